"""Alembic migrations of the encounter store, shipped inside the package (no alembic.ini needed)."""

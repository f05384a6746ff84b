"""Reusable widgets of the examination: item rows, panels, banner, live panel, assessment."""

"""FHIR R4 exchange: an encounter and its assessment as a document Bundle, and back.

A view of the domain model (ARCHITECTURE: exchange formats are views): nothing here changes
``Encounter`` or ``Assessment``. Resources are the R4B models of ``fhir.resources`` (R4B
interoperates with R4 systems; docs/decisions.md). Nothing here imports Streamlit or the store.
"""

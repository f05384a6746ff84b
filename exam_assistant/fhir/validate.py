"""Every resource through its ``fhir.resources`` R4B model, with a plain message on failure.

fhir.resources checks structure, cardinality and primitive formats, not code bindings
(TECH-NOTES), so the few bindings the import relies on are checked where they are read.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError


class FhirValidationError(ValueError):
    """A resource that its R4B model rejects; the message names the resource and the first problem only."""


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(resource)"
    return f"{where}: {err['msg']}"


def validate_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as its R4B model serialises it; raises FhirValidationError when the model rejects it."""
    kind = resource.get("resourceType")
    if not isinstance(kind, str):
        raise FhirValidationError("not a FHIR resource: no resourceType")
    try:
        model = get_fhir_model_class(kind)
    except (KeyError, ValueError) as exc:  # fhir.resources raises ValueError for an unknown type name
        raise FhirValidationError(f"unknown FHIR resource type '{kind}'") from exc
    try:
        parsed = model.model_validate(resource)
    except ValidationError as exc:
        raise FhirValidationError(f"{kind} {resource.get('id', '')}: {_first_problem(exc)}".replace("  ", " ")) from exc
    out: dict[str, Any] = parsed.model_dump(mode="json", exclude_none=True)
    return out

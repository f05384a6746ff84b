"""A Questionnaire per protocol pack, and a QuestionnaireResponse per pack keeping its sections as groups."""

from __future__ import annotations

from typing import Any

from exam_assistant.fhir.answers import questionnaire_item, response_item
from exam_assistant.fhir.codes import extension_url, identifier_system, load_codes, project_coding, questionnaire_url
from exam_assistant.library import Library, LoadedPack
from exam_assistant.models import Encounter

CONTENT_HASH = "protocol-content-sha256"


class ExportError(ValueError):
    """The encounter cannot be expressed against the loaded packs (e.g. a finding of an unknown item)."""


def canonical(pack_id: str, version: str) -> str:
    """``url|version``: the FHIR way to name one version of a Questionnaire."""
    return f"{questionnaire_url(pack_id)}|{version}"


def questionnaire(loaded: LoadedPack, resource_id: str) -> dict[str, Any]:
    pack = loaded.pack
    panels = load_codes().codes.panels
    groups = []
    for section in pack.sections:
        codings = [project_coding(section.id, section.title)]
        if section.id in panels:
            codings.insert(0, panels[section.id].coding())
        groups.append({
            "linkId": section.id,
            "code": codings,
            "text": section.title,
            "type": "group",
            "item": [questionnaire_item(item) for item in section.items],
        })
    out: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": resource_id,
        "url": questionnaire_url(pack.id),
        "identifier": [{"system": identifier_system(CONTENT_HASH), "value": loaded.content_hash}],
        "version": pack.version,
        "name": "".join(part.capitalize() for part in pack.id.split("_")),
        "title": pack.title,
        "status": "active",
        "publisher": ", ".join(pack.authors),
        "description": pack.description,
        "copyright": pack.licence,
    }
    if groups:
        out["item"] = groups
    return out


def response_packs(encounter: Encounter, library: Library) -> list[tuple[str, str, str | None]]:
    """(pack id, version, content hash or None) of every pack the encounter used or answered, in order.

    The encounter's own ``protocols`` come first and keep their recorded version and hash; a pack
    that holds findings but is not listed follows with the loaded version and no hash, so import
    gives back exactly the list the encounter had.
    """
    out: list[tuple[str, str, str | None]] = [(use.id, use.version, use.content_hash) for use in encounter.protocols]
    seen = {use.id for use in encounter.protocols}
    for item_id in encounter.findings:
        pack_id = library.item_pack.get(item_id)
        if pack_id is None:
            raise ExportError(f"finding '{item_id}' belongs to no loaded protocol pack")
        if pack_id not in seen:
            seen.add(pack_id)
            out.append((pack_id, library.packs[pack_id].pack.version, None))
    return out


def questionnaire_response(
    encounter: Encounter,
    library: Library,
    pack: tuple[str, str, str | None],
    resource_id: str,
    refs: dict[str, dict[str, str]],
) -> dict[str, Any]:
    """The answers of one pack: section groups holding the answered items, in the pack's order."""
    pack_id, version, content_hash = pack
    groups = []
    loaded = library.packs.get(pack_id)
    for section in loaded.pack.sections if loaded else []:
        answered = [response_item(item, encounter.findings[item.id]) for item in section.items
                    if item.id in encounter.findings]
        if answered:
            groups.append({"linkId": section.id, "text": section.title, "item": answered})
    out: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id,
        "questionnaire": canonical(pack_id, version),
        "status": "completed" if encounter.status == "final" else "in-progress",
        "subject": refs["patient"],
        "encounter": refs["encounter"],
        "authored": encounter.updated_at.isoformat(),
    }
    if content_hash:
        out["extension"] = [{"url": extension_url(CONTENT_HASH), "valueString": content_hash}]
    if "practitioner" in refs:
        out["author"] = refs["practitioner"]
    if loaded and any(getattr(encounter.findings.get(i.id), "reported_by", None) == "patient" for i in loaded.pack.items()):
        out["source"] = refs["patient"]  # the patient answered (part of) it before the visit
    if groups:
        out["item"] = groups
    return out

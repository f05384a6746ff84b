"""One finding <-> one Questionnaire(Response) item, both ways, so export then import is lossless.

Sided answers become a group with a ``left`` and a ``right`` child (linkId ``<item>/left``);
a sided test's side is itself a group of result, criteria, time and note. Codes are the
project's (``codes.py``): choice options and criteria are ``<item id>:<value>``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from exam_assistant.fhir.codes import RESULTS, SENSATION, YES_NO, extension_url, option_code, project_coding
from exam_assistant.models import (
    Choice,
    Finding,
    Mrc,
    MultiChoice,
    Number,
    Reflex,
    Sensation,
    SidedTest,
    SideResult,
    Text,
    YesNo,
)
from exam_assistant.protocol import Item

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
SIDES = ("left", "right")
SCREEN = "screen-answer"


class AnswerError(ValueError):
    """A response item that cannot be read back as a finding of its item."""


def _coding(code: str, display: str) -> dict[str, Any]:
    return project_coding(code, display)


def _options(codes: dict[str, str], prefix: str) -> list[dict[str, Any]]:
    return [{"valueCoding": _coding(f"{prefix}.{k}", v)} for k, v in codes.items()]


def questionnaire_item(item: Item) -> dict[str, Any]:
    """The Questionnaire item that asks for this protocol item."""
    out: dict[str, Any] = {"linkId": item.id, "code": [_coding(item.id, item.label)], "text": item.label}
    if item.answer == "yes_no":
        return {**out, "type": "choice", "answerOption": _options(YES_NO, "answer")}
    if item.answer in ("choice", "multi_choice"):
        options = []
        for o in item.options:
            coding = _coding(option_code(item.id, o.value), o.label)
            if o.score is not None:
                coding["extension"] = [{"url": ORDINAL, "valueDecimal": o.score}]
            options.append({"valueCoding": coding})
        return {**out, "type": "choice", "repeats": item.answer == "multi_choice", "answerOption": options}
    if item.answer == "number":
        return {**out, "type": "decimal"}
    if item.answer == "text":
        return {**out, "type": "text", "maxLength": item.max_length}
    children: list[dict[str, Any]] = []
    for side in SIDES:
        link = f"{item.id}/{side}"
        if item.answer == "sided_test":
            criteria = [{"valueCoding": _coding(option_code(item.id, c.value), c.label)} for c in item.criteria]
            parts: list[dict[str, Any]] = [
                {"linkId": f"{link}/result", "text": "Result", "type": "choice", "answerOption": _options(RESULTS, "result")},
                {"linkId": f"{link}/seconds", "text": "Seconds to symptoms", "type": "decimal"},
                {"linkId": f"{link}/note", "text": "Note", "type": "string"},
            ]
            if criteria:
                parts.insert(1, {"linkId": f"{link}/criteria", "text": "Reproduced or observed", "type": "choice",
                                 "repeats": True, "answerOption": criteria})
            children.append({"linkId": link, "text": side.capitalize(), "type": "group", "item": parts})
        elif item.answer == "sensation":
            children.append({"linkId": link, "text": side.capitalize(), "type": "choice",
                             "answerOption": _options(SENSATION, "sensation")})
        else:  # mrc, reflex: a grade per side
            children.append({"linkId": link, "text": side.capitalize(), "type": "integer"})
    return {**out, "type": "group", "item": children}


def _number(value: float) -> int | float:
    # Whole numbers go out as integers: "6", not "6.0", matches what a clinician typed.
    return int(value) if float(value).is_integer() else value


def response_item(item: Item, finding: Finding) -> dict[str, Any]:
    """The QuestionnaireResponse item holding this finding."""
    out: dict[str, Any] = {"linkId": item.id, "text": item.label}
    if isinstance(finding, YesNo):
        answer: dict[str, Any] = {"valueCoding": _coding(f"answer.{finding.value}", YES_NO[finding.value])}
        if getattr(finding, "screen", False):  # answered by the all-negative screen button, not asked alone
            answer["extension"] = [{"url": extension_url(SCREEN), "valueBoolean": True}]
        return {**out, "answer": [answer]}
    if isinstance(finding, Choice | MultiChoice):
        labels = {o.value: o for o in item.options}
        values = [finding.value] if isinstance(finding, Choice) else finding.values
        answers = []
        for v in values:
            option = labels.get(v)
            coding = _coding(option_code(item.id, v), option.label if option else v)
            if option is not None and option.score is not None:
                coding["extension"] = [{"url": ORDINAL, "valueDecimal": option.score}]
            answers.append({"valueCoding": coding})
        return {**out, "answer": answers} if answers else out
    if isinstance(finding, Number):
        if finding.unit:
            return {**out, "answer": [{"valueQuantity": {"value": _number(finding.value), "unit": finding.unit}}]}
        return {**out, "answer": [{"valueDecimal": _number(finding.value)}]}
    if isinstance(finding, Text):
        return {**out, "answer": [{"valueString": finding.value}]} if finding.value.strip() else out
    children = []
    for side in SIDES:
        link = f"{item.id}/{side}"
        value = getattr(finding, side)
        if isinstance(finding, SidedTest):
            children.append({"linkId": link, "text": side.capitalize(), "item": _side_items(item, link, value)})
        elif isinstance(finding, Sensation):
            children.append({"linkId": link, "answer": [{"valueCoding": _coding(f"sensation.{value}", SENSATION[value])}]})
        elif value is not None:  # Mrc, Reflex: an untested side has no answer
            children.append({"linkId": link, "answer": [{"valueInteger": value}]})
    return {**out, "item": children} if children else out


def _side_items(item: Item, link: str, side: SideResult) -> list[dict[str, Any]]:
    labels = {c.value: c.label for c in item.criteria}
    parts: list[dict[str, Any]] = [
        {"linkId": f"{link}/result", "answer": [{"valueCoding": _coding(f"result.{side.result}", RESULTS[side.result])}]}
    ]
    if side.criteria:
        parts.append({"linkId": f"{link}/criteria", "answer": [
            {"valueCoding": _coding(option_code(item.id, c), labels.get(c, c))} for c in side.criteria
        ]})
    if side.seconds is not None:
        parts.append({"linkId": f"{link}/seconds", "answer": [{"valueDecimal": _number(side.seconds)}]})
    if side.note:
        parts.append({"linkId": f"{link}/note", "answer": [{"valueString": side.note}]})
    return parts


# ------------------------------------------------------------------ reading back


def _answers(node: dict[str, Any]) -> list[dict[str, Any]]:
    answers = node.get("answer") or []
    if not isinstance(answers, list):
        raise AnswerError(f"{node.get('linkId')}: 'answer' is not a list")
    return answers


def _code(answer: dict[str, Any], link: str, prefix: str = "") -> str:
    coding = answer.get("valueCoding")
    if not isinstance(coding, dict) or not isinstance(coding.get("code"), str):
        raise AnswerError(f"{link}: expected a coded answer")
    code: str = coding["code"]
    if prefix and not code.startswith(prefix):
        raise AnswerError(f"{link}: code '{code}' is not one of this item's codes")
    return code[len(prefix):]


def _one(node: dict[str, Any], link: str) -> dict[str, Any] | None:
    answers = _answers(node)
    if len(answers) > 1:
        raise AnswerError(f"{link}: more than one answer to a single-answer item")
    return answers[0] if answers else None


def _float(answer: dict[str, Any], link: str) -> float:
    for key in ("valueDecimal", "valueInteger"):
        if isinstance(answer.get(key), int | float | Decimal) and not isinstance(answer.get(key), bool):
            return float(answer[key])
    quantity = answer.get("valueQuantity")
    if isinstance(quantity, dict) and quantity.get("value") is not None:
        return float(quantity["value"])
    raise AnswerError(f"{link}: expected a number")


def _children(node: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c.get("linkId", ""): c for c in node.get("item") or [] if isinstance(c, dict)}


def finding_from(item: Item, node: dict[str, Any]) -> Finding | None:
    """The finding a response item records for ``item``; None when it records nothing."""
    link = item.id
    if item.answer == "yes_no":
        answer = _one(node, link)
        if answer is None:
            return None
        screened = any(e.get("url") == extension_url(SCREEN) and e.get("valueBoolean") for e in answer.get("extension") or [])
        return YesNo.model_validate({"value": _code(answer, link, "answer."), **({"screen": True} if screened else {})})
    if item.answer == "choice":
        answer = _one(node, link)
        return Choice(value=_code(answer, link, f"{item.id}:")) if answer else None
    if item.answer == "multi_choice":
        values = [_code(a, link, f"{item.id}:") for a in _answers(node)]
        return MultiChoice(values=values) if values else None
    if item.answer == "number":
        answer = _one(node, link)
        if answer is None:
            return None
        quantity = answer.get("valueQuantity")
        unit = quantity.get("unit") if isinstance(quantity, dict) else None
        return Number(value=_float(answer, link), unit=unit)
    if item.answer == "text":
        answer = _one(node, link)
        return Text(value=str(answer.get("valueString", ""))) if answer else None
    sides = _children(node)
    if not sides:
        return None
    per_side: dict[str, Any] = {}
    for side in SIDES:
        child = sides.get(f"{link}/{side}")
        if child is None:
            continue
        if item.answer == "sided_test":
            per_side[side] = _side_from(item, f"{link}/{side}", child)
        elif item.answer == "sensation":
            answer = _one(child, f"{link}/{side}")
            if answer:
                per_side[side] = _code(answer, f"{link}/{side}", "sensation.")
        else:
            answer = _one(child, f"{link}/{side}")
            if answer:
                per_side[side] = int(_float(answer, f"{link}/{side}"))
    kinds: dict[str, type[SidedTest | Sensation | Mrc | Reflex]] = {
        "sided_test": SidedTest, "sensation": Sensation, "mrc": Mrc, "reflex": Reflex,
    }
    return kinds[item.answer].model_validate(per_side)


def _side_from(item: Item, link: str, node: dict[str, Any]) -> SideResult:
    parts = _children(node)
    result = parts.get(f"{link}/result")
    answer = _one(result, f"{link}/result") if result else None
    out: dict[str, Any] = {"result": _code(answer, f"{link}/result", "result.") if answer else "not_tested"}
    if f"{link}/criteria" in parts:
        out["criteria"] = [_code(a, link, f"{item.id}:") for a in _answers(parts[f"{link}/criteria"])]
    if f"{link}/seconds" in parts and (seconds := _one(parts[f"{link}/seconds"], link)):
        out["seconds"] = _float(seconds, link)
    if f"{link}/note" in parts and (note := _one(parts[f"{link}/note"], link)):
        out["note"] = str(note.get("valueString", ""))
    return SideResult.model_validate(out)

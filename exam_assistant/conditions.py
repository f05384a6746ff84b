"""Conditions as data: the small language that rules, clusters and suggestions are written in.

There is no ``eval``. A condition is one of:

* ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}``, ``{at_least: N, of: [...]}``;
* a comparison on one item: ``{item: radic.spurling, side: any, is: positive}``;
* a comparison on the patient: ``{patient: age, at_least: 65}``;
* a reference to another rule: ``{rule: radic.wainner}`` or ``{rule: radic.wainner, at_least: 3}``.

Evaluation (``exam_assistant.engine.evaluate``) is three-valued, so an item that was not
tested is *unknown*, never *negative*.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

Side = Literal["left", "right", "any", "both"]
Status = Literal[
    "positive",
    "negative",
    "tested",
    "not_tested",
    "could_not_complete",
    "yes",
    "no",
    "unknown",
    "answered",
    "not_answered",
    "normal",
    "abnormal",
    "reduced",
    "absent",
    "brisk",
]
Scalar = str | float | bool


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AllOf(_Strict):
    all: Annotated[list[Condition], Field(min_length=1)]


class AnyOf(_Strict):
    any: Annotated[list[Condition], Field(min_length=1)]


class NotOf(_Strict):
    not_: Condition = Field(alias="not")


class CountOf(_Strict):
    at_least: int = Field(ge=1)
    of: Annotated[list[Condition], Field(min_length=1)]

    @model_validator(mode="after")
    def _reachable(self) -> CountOf:
        if self.at_least > len(self.of):
            raise ValueError(f"at_least {self.at_least} of {len(self.of)} conditions can never hold")
        return self


_COMPARATORS = ("is_", "equals", "in_", "at_least", "at_most", "contains")


class _Comparison(_Strict):
    is_: Status | None = Field(default=None, alias="is")
    equals: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in")
    at_least: float | None = None
    at_most: float | None = None
    contains: str | None = None

    @model_validator(mode="after")
    def _one_comparison(self) -> _Comparison:
        used = [name.rstrip("_") for name in _COMPARATORS if getattr(self, name) is not None]
        numeric_pair = set(used) == {"at_least", "at_most"}
        if not used:
            raise ValueError("a comparison needs one of: is, equals, in, at_least, at_most, contains")
        if len(used) > 1 and not numeric_pair:
            raise ValueError(f"use one comparison at a time, got {', '.join(used)}")
        return self


class ItemCondition(_Comparison):
    item: str
    side: Side = "any"
    criterion_in: list[str] | None = Field(
        default=None, description="sided tests: count only positives with one of these recorded criteria"
    )


class PatientCondition(_Comparison):
    patient: Literal["age", "sex"]


class RuleCondition(_Strict):
    rule: str
    at_least: float | None = None
    at_most: float | None = None


def _tag(value: Any) -> str:
    keys = set(value) if isinstance(value, dict) else {k for k in _FIELDS if hasattr(value, k)}
    for key, tag in (("all", "all"), ("any", "any"), ("not", "not"), ("not_", "not"), ("of", "count"),
                     ("item", "item"), ("patient", "patient"), ("rule", "rule")):
        if key in keys:
            return tag
    return "unknown"


_FIELDS = ("all", "any", "not_", "of", "item", "patient", "rule")

Condition = Annotated[
    Annotated[AllOf, Tag("all")] | Annotated[AnyOf, Tag("any")] | Annotated[NotOf, Tag("not")] | Annotated[CountOf, Tag("count")] | Annotated[ItemCondition, Tag("item")] | Annotated[PatientCondition, Tag("patient")] | Annotated[RuleCondition, Tag("rule")],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message="a condition needs one of: all, any, not, at_least+of, item, patient, rule",
    ),
]

for _model in (AllOf, AnyOf, NotOf, CountOf):
    _model.model_rebuild()


def walk(condition: Condition) -> list[Condition]:
    """Every node of a condition tree, the root first."""
    out: list[Condition] = [condition]
    if isinstance(condition, AllOf):
        for c in condition.all:
            out.extend(walk(c))
    elif isinstance(condition, AnyOf):
        for c in condition.any:
            out.extend(walk(c))
    elif isinstance(condition, NotOf):
        out.extend(walk(condition.not_))
    elif isinstance(condition, CountOf):
        for c in condition.of:
            out.extend(walk(c))
    return out


def item_ids(condition: Condition) -> set[str]:
    return {c.item for c in walk(condition) if isinstance(c, ItemCondition)}


def rule_ids(condition: Condition) -> set[str]:
    return {c.rule for c in walk(condition) if isinstance(c, RuleCondition)}

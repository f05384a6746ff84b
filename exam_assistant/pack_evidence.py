"""The base of the pack schema and its evidence: stable ids, references, and the figures
(sensitivity, specificity, likelihood ratios) a test or cluster is worth, each with its source."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from exam_assistant.tiers import TIER_ORDER as TIER_ORDER
from exam_assistant.tiers import Tier as Tier

PACK_SCHEMA_VERSION = "1"
Verification = Literal["primary", "secondary", "unverified"]

ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
LEVELS = ("C4", "C5", "C6", "C7", "C8", "T1")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


StableId = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]


class Reference(Strict):
    """A source that items, figures and rules cite by key."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    citation: Annotated[str, Field(min_length=10)]
    year: int | None = Field(default=None, ge=1800, le=2100)
    doi: str | None = None
    url: str | None = None
    note: str | None = None
    unverified: str | None = Field(
        default=None, min_length=10,
        description="why a reader cannot locate the source by a DOI, a PubMed id or the publisher's or guideline body's page",
    )

    @model_validator(mode="after")
    def _locatable(self) -> Reference:
        if not (self.doi or self.url):
            raise ValueError(f"reference '{self.key}' needs a doi or a url so a reader can find it")
        return self


class Figure(Strict):
    """One accuracy figure: a point estimate, its confidence interval, or a range across studies.

    A bare number in YAML is accepted as the point estimate.
    """

    point: float | None = None
    ci: tuple[float, float] | None = None
    range: tuple[float, float] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, (int, float)) and not isinstance(data, bool):
            return {"point": data}
        return data

    @model_validator(mode="after")
    def _something(self) -> Figure:
        if self.point is None and self.ci is None and self.range is None:
            raise ValueError("a figure needs a point, a ci or a range")
        for pair in (self.ci, self.range):
            if pair is not None and pair[0] > pair[1]:
                raise ValueError(f"interval {pair} has its low end above its high end")
        return self

    def text(self, percent: bool = False) -> str:
        def fmt(x: float) -> str:
            return f"{x * 100:.0f}%" if percent else f"{x:g}"

        parts: list[str] = []
        if self.point is not None:
            parts.append(fmt(self.point))
        if self.ci is not None:
            parts.append(f"(95% CI {fmt(self.ci[0])}–{fmt(self.ci[1])})")
        if self.range is not None:
            parts.append(f"range {fmt(self.range[0])}–{fmt(self.range[1])}")
        return " ".join(parts)


class Evidence(Strict):
    """Diagnostic accuracy of one item for one target condition, from one source or review."""

    target: str
    sensitivity: Figure | None = None
    specificity: Figure | None = None
    lr_positive: Figure | None = None
    lr_negative: Figure | None = None
    population: str
    reference_standard: str | None = None
    verification: Verification
    note: str | None = None
    references: Annotated[list[str], Field(min_length=1)]

    @model_validator(mode="after")
    def _has_a_figure(self) -> Evidence:
        if not any((self.sensitivity, self.specificity, self.lr_positive, self.lr_negative)):
            raise ValueError("evidence needs at least one of sensitivity, specificity, lr_positive, lr_negative")
        for name in ("sensitivity", "specificity"):
            fig = getattr(self, name)
            if fig is not None:
                for v in (fig.point, *(fig.ci or ()), *(fig.range or ())):
                    if v is not None and not 0 <= v <= 1:
                        raise ValueError(f"{name} must be a proportion between 0 and 1, got {v}")
        return self

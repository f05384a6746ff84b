"""What every section builder reads: the inputs, the styles, citations and de-identification."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exam_assistant.engine.assessment import Assessment
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from reports.flowables import Paragraph, para
from reports.layout import PAPER, SIDE_MARGIN
from reports.localtime import Clock
from reports.options import ClinicProfile, NoteOptions
from reports.signing import SignatureSpot
from reports.styles import Styles, styles
from reports.text import escape, markup

REMOVED = "[removed]"


class Citations:
    """Numbers references in order of first use, so the list at the end holds only cited ones."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def numbers(self, keys: Iterable[str]) -> list[int]:
        out: list[int] = []
        for key in keys:
            if key not in self.order:
                self.order.append(key)
            n = self.order.index(key) + 1
            if n not in out:
                out.append(n)
        return out

    def mark(self, keys: Iterable[str]) -> str:
        """Markup such as `` [1, 3]`` (empty when no keys)."""
        nums = sorted(self.numbers(keys))
        return f" [{', '.join(str(n) for n in nums)}]" if nums else ""


def identifier_redactor(encounter: Encounter) -> Callable[[str], str]:
    """A function that removes the patient's name, identifier and date of birth from free text.

    It only knows what the encounter records: other identifying details typed into free text
    (an address, a relative's name) are not found and stay.
    """
    patient = encounter.patient
    dob = patient.date_of_birth
    literal = [patient.name, *(t for t in re.split(r"[\s,.;:()\"'\-]+", patient.name) if len(t) >= 2)]
    if patient.identifier and patient.identifier.strip():
        literal.append(patient.identifier.strip())
    dates = {
        dob.isoformat(),
        f"{dob.day:02d}/{dob.month:02d}/{dob.year}",
        f"{dob.month:02d}/{dob.day:02d}/{dob.year}",
        f"{dob.day}/{dob.month}/{dob.year}",
        f"{dob.month}/{dob.day}/{dob.year}",
        f"{dob.day:02d}.{dob.month:02d}.{dob.year}",
        f"{dob.day}.{dob.month}.{dob.year}",
        f"{dob.day:02d}-{dob.month:02d}-{dob.year}",
        dob.strftime("%d %B %Y"),
        dob.strftime("%d %b %Y"),
        dob.strftime("%B %d, %Y"),
        f"{dob.day} {dob.strftime('%B %Y')}",
    }
    words = sorted({w for w in literal + sorted(dates) if w}, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)
    return lambda text: pattern.sub(REMOVED, text)


@dataclass
class NoteContext:
    encounter: Encounter
    assessment: Assessment
    library: Library
    profile: ClinicProfile
    options: NoteOptions
    generated_at: datetime
    st: Styles = field(default_factory=styles)
    citations: Citations = field(default_factory=Citations)
    clock: Clock = field(default_factory=Clock)
    signature_spots: list[SignatureSpot] = field(default_factory=list)
    _redact: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        if self.options.deidentified:
            self._redact = identifier_redactor(self.encounter)
        self.clock = self.profile.clock()

    def when(self, moment: datetime) -> str:
        """A stored UTC time in the clinic's zone and date format."""
        return self.clock.when(moment)

    def day(self, value: date) -> str:
        return self.clock.day(value)

    @property
    def width(self) -> float:
        """Width of the text frame in points for this paper."""
        return float(PAPER[self.profile.paper][0] - 2 * SIDE_MARGIN)

    def cols(self, *widths: float | None) -> list[float]:
        """Column widths filling the frame: each None shares what the fixed widths leave."""
        fixed = sum(w for w in widths if w is not None)
        flexible = sum(1 for w in widths if w is None) or 1
        return [w if w is not None else (self.width - fixed) / flexible for w in widths]

    @property
    def visit_date(self) -> date:
        """The visit's calendar day in the clinic's time zone (not UTC's)."""
        return self.clock.local_day(self.encounter.created_at)

    def user(self, text: str) -> str:
        """Free text from the encounter, with identifiers removed in de-identified mode."""
        return self._redact(text) if self._redact is not None else text

    def p(self, text: str, style: ParagraphStyle | None = None, *, label: str = "", user: bool = False) -> Flowable:
        """A paragraph of untrusted text (protocol or user), escaped; ``label`` printed in bold first."""
        style = style or self.st.body
        prefix = f"<b>{escape(label)}</b> " if label else ""
        return para(self.user(text) if user else text, style, prefix=prefix)

    def why(self, reason: str, references: list[str], rule_id: str | None = None) -> Flowable:
        """The small grey line that answers "why?": the reason, its references and the rule id."""
        refs = self.citations.mark(references)
        rule = f" · rule {escape(rule_id)}" if rule_id else ""
        return Paragraph(f"<b>Why:</b> {markup(reason, newlines=False)}{refs}{rule}", self.st.small)

    def review_date(self, weeks: int | None) -> str:
        if weeks is None:
            return ""
        if self.options.deidentified:
            return f"in {weeks} week{'s' if weeks != 1 else ''}"
        when = self.visit_date + timedelta(weeks=weeks)
        return f"in {weeks} week{'s' if weeks != 1 else ''} ({self.day(when)})"

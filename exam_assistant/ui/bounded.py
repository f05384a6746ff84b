"""Numbers and dates with limits: the browser takes what is typed, the app says what is allowed.

Why: a Streamlit number or date widget given ``min_value``/``max_value`` refuses an out-of-range
entry in the browser by turning the field red, and the app never hears of it (the old value
stays, or none). So the widgets here get no limits, or limits wide enough for any typing, and
the value is checked in Python: an entry outside the range gets one plain message naming the
field, what was entered and what is allowed, and is not saved.

The date-of-birth and visit-date rules are the encounter's own (``models.Patient`` and
``input_limits.date_problems``), so the form refuses exactly what the store would.
"""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError

from exam_assistant.errors import Problem
from exam_assistant.input_limits import date_problems
from exam_assistant.models import Encounter, Patient
from exam_assistant.protocol import Item

# Wide enough for any date a person types by mistake (1726, 2206); the app checks the real range.
ANY_DATE_MIN = date(1000, 1, 1)
ANY_DATE_MAX = date(2999, 12, 31)
MAX_AGE_YEARS = 120  # models.Patient: a date of birth giving an older age is refused


def shown_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def number_text(value: float) -> str:
    return f"{value:,g}" if abs(value) < 1e15 else f"{value:.3g}"


def range_problem(field: str, value: float | None, lo: float | None, hi: float | None, unit: str = "",
                  integer: bool = False) -> str | None:
    """Why ``value`` is not allowed in ``field`` (None when it is, or when nothing was entered)."""
    if value is None:
        return None
    unit_text = f" {unit}" if unit else ""
    if lo is not None and hi is not None:
        allowed = f"from {number_text(lo)} to {number_text(hi)}{unit_text}"
    elif lo is not None:
        allowed = f"{number_text(lo)}{unit_text} or more"
    elif hi is not None:
        allowed = f"up to {number_text(hi)}{unit_text}"
    else:
        allowed = ""
    outside = (lo is not None and value < lo) or (hi is not None and value > hi)
    if outside:
        return f"{field}: {number_text(value)}{unit_text} is outside the allowed range; enter a number {allowed}."
    if integer and value != int(value):
        return f"{field}: {number_text(value)} is not a whole number; enter a whole number {allowed}.".replace(" .", ".")
    return None


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def earliest_birth_date(today: date | None = None) -> date:
    """The earliest date of birth the encounter accepts (an age of 120 years today)."""
    earliest = years_after(today or date.today(), -MAX_AGE_YEARS - 1)
    return date.fromordinal(earliest.toordinal() + 1)


def birth_date_problem(born: date | None, field: str = "Date of birth") -> str | None:
    """Why ``born`` cannot be a date of birth (missing, in the future, an age over 120), in words."""
    allowed = f"enter a date from {shown_date(earliest_birth_date())} to today, as DD/MM/YYYY"
    if born is None:
        return f"{field}: missing; {allowed}."
    try:
        Patient.model_validate({"name": "-", "date_of_birth": born})
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if err["loc"] == ("date_of_birth",):
                years = date.today().year - born.year
                reason = (f"{shown_date(born)} is in the future" if born > date.today()
                          else f"{shown_date(born)} would make the patient about {years} years old")
                return f"{field}: {reason}; {allowed}."
    return None


FOLLOW_UP_YEARS = 2  # a plausibility bound on typing, not clinical advice: later is a new referral


def follow_up_problem(value: date | None, visit: date) -> str | None:
    """Why ``value`` cannot be this visit's follow-up date (before the visit, or implausibly far
    after it), naming what is allowed; None when it can, or when nothing is entered."""
    if value is None:
        return None
    latest = years_after(visit, FOLLOW_UP_YEARS)
    allowed = f"choose a date from {shown_date(visit)} (the visit) to {shown_date(latest)}"
    if value < visit:
        return f"Follow-up date: {shown_date(value)} is before the visit ({shown_date(visit)}); {allowed}."
    if value > latest:
        return f"Follow-up date: {shown_date(value)} is more than {FOLLOW_UP_YEARS} years after the visit; {allowed}."
    return None


def visit_date_problem(encounter: Encounter) -> str | None:
    """The store's visit-before-birth rule, in words naming both dates."""
    problems: list[Problem] = date_problems(encounter, "form")
    if not problems:
        return None
    return (f"Date of birth: {shown_date(encounter.patient.date_of_birth)} is after this visit's date "
            f"({shown_date(encounter.visit_date)}); a visit cannot be before the patient was born. "
            "Check the date of birth.")


def number_placeholder(item: Item) -> str:
    """What an empty number field shows: 'Not recorded', with the allowed range when it has one."""
    unit = f" {item.unit}" if item.unit else ""
    if item.minimum is not None and item.maximum is not None:
        return f"Not recorded ({number_text(item.minimum)} to {number_text(item.maximum)}{unit})"
    return "Not recorded"

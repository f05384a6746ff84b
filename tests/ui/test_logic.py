"""The app's Streamlit-free logic: widget values <-> findings, steps, escaping, settings, figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exam_assistant.engine.assess import assess
from exam_assistant.library import cached_library
from exam_assistant.models import Encounter, Mrc, Patient, Reflex, Sensation, SidedTest, SideResult, YesNo
from exam_assistant.ui import findings as fx
from exam_assistant.ui import steps
from exam_assistant.ui.clinic_settings import SettingsError, load_profile, parse_percent, save_logo, save_profile
from exam_assistant.ui.dermatome import dermatome_summary, dermatome_svg
from exam_assistant.ui.text import md, tier_label
from reports import ClinicProfile

LIB = cached_library()
# A real 1x1 PNG: the logo is decoded before use, so magic bytes alone are refused (issue 13).
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8\x00\x00\x00\x00IEND\xaeB`\x82")


def _encounter(**findings: object) -> Encounter:
    return Encounter(patient=Patient(name="Test", date_of_birth="1970-01-01"), findings=findings)  # type: ignore[arg-type]


@pytest.mark.parametrize("item_id", ["tos.roos_east", "neuro.sens_c6", "neuro.power_wrist_extension",
                                     "neuro.reflex_triceps", "history.fever", "history.pain_now",
                                     "history.onset", "history.location", "history.occupation"])
def test_untouched_widgets_record_nothing(item_id: str) -> None:
    """Every answer type's default widget values mean "not recorded", never a negative."""
    item = LIB.items[item_id]
    assert fx.build_finding(item, fx.widget_values(item, None)) is None


@pytest.mark.parametrize(("item_id", "finding"), [
    ("tos.roos_east", SidedTest(left=SideResult(result="positive", criteria=["pain_reproduced"]))),
    ("neuro.sens_c6", Sensation(left="reduced", right="normal")),
    ("neuro.power_wrist_extension", Mrc(left=4, right=None)),
    ("neuro.reflex_triceps", Reflex(left=0, right=2)),
    ("history.fever", YesNo(value="no")),
])
def test_findings_survive_a_trip_through_the_widgets(item_id: str, finding: object) -> None:
    """A stored finding shown in the widgets and read back is the same finding."""
    item = LIB.items[item_id]
    assert finding == fx.build_finding(item, fx.widget_values(item, finding))  # type: ignore[arg-type]


def test_criteria_are_dropped_when_a_side_is_not_positive() -> None:
    """Criteria left in a hidden widget never reach a negative side."""
    item = LIB.items["tos.roos_east"]
    built = fx.build_finding(item, {"L": "negative", "R": "not_tested", "Lc": ["pain_reproduced"], "Rc": []})
    assert SidedTest(left=SideResult(result="negative")) == built


def test_normal_keeps_what_was_recorded_and_fills_the_rest() -> None:
    """normal_finding fills untested sides only; a question is not a sign and is not filled by default."""
    roos = LIB.items["tos.roos_east"]
    kept = fx.normal_finding(roos, SidedTest(right=SideResult(result="positive")))
    assert SidedTest(left=SideResult(result="negative"), right=SideResult(result="positive")) == kept
    assert Mrc(left=3, right=5) == fx.normal_finding(LIB.items["neuro.power_wrist_extension"], Mrc(left=3))
    assert not fx.has_normal(LIB.items["tos.svs_no_better_explanation"])
    assert fx.has_normal(LIB.items["history.fever"], include_questions=True)


def plain_escapes(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_markdown_escaping_shows_user_text_literally() -> None:
    """md(): formatting, links, HTML and Streamlit directives in user text are escaped."""
    escaped = md("**bold** <b>x</b> [a](http://x) :red[alarm] $x$")
    assert "\\*\\*bold\\*\\*" in escaped and "\\<b\\>" in escaped and "\\[a\\]" in escaped
    assert "\\:red\\[alarm\\]" in escaped and "\\$x\\$" in escaped
    # GFM autolinks are found after escapes are resolved: an invisible word joiner breaks each pattern
    unlinked = plain_escapes(md("http://evil.example HTTPS://e.x www.evil.example ann@evil.example"))
    assert unlinked == "http\u2060://evil.example HTTPS\u2060://e.x www\u2060.evil.example ann\u2060@evil.example"


def test_tier_labels_carry_a_word_and_an_icon() -> None:
    """Meaning never by colour alone: each tier has its own icon and word."""
    labels = {tier_label(t) for t in ("EMERGENCY", "SAME_DAY", "URGENT", "ROUTINE")}
    assert len(labels) == 4
    assert ":material/dangerous: EMERGENCY" in labels and ":material/warning: SAME DAY" in labels


def test_history_step_asks_the_red_flag_screen_first() -> None:
    """red_flag_screen holds the bedside red-flag checks and the history questions red-flag rules read."""
    screen = {i.id for i in steps.red_flag_screen(LIB)}
    assert {"rf.pulse_or_bp_difference", "history.sphincter_change", "history.arm_swelling"} <= screen
    rest = {i.id for _, items in steps.history_sections(LIB) for i in items}
    assert not screen & rest
    assert "history.occupation" in rest


def test_trauma_is_examined_before_anything_else() -> None:
    """trauma (order 8) is the first examination step and the first suggestion after an injury."""
    enc = _encounter(**{"history.trauma": {"kind": "choice", "value": "minor"},
                        "history.paraesthesia": {"kind": "yes_no", "value": "yes"}})
    enc = steps.with_protocols(enc, LIB, {"radiculopathy", "neuro", "trauma"})
    exam = [s.pack for s in steps.steps_for(enc, LIB) if s.pack]
    assert exam[0] == "trauma"
    suggested = [s.pack for s in steps.suggestions(enc, assess(enc, LIB), LIB)]
    assert suggested[0] == "trauma" and "radiculopathy" in suggested


def test_unknown_step_falls_back_to_history() -> None:
    """A stored step that no longer exists (pack removed) opens the history step."""
    enc = steps.with_protocols(_encounter(), LIB, set())
    all_steps = steps.steps_for(enc, LIB)
    assert all_steps[steps.step_index(all_steps, "exam.gone")].id == steps.HISTORY


def test_profile_round_trips_through_the_settings_file(tmp_path: Path) -> None:
    """save_profile then load_profile gives the same profile; a missing logo is dropped."""
    logo = save_logo(PNG, tmp_path)
    profile = ClinicProfile(name="Harbour", paper="Letter", logo_path=logo, default_pretest_probabilities={"x": 0.2})
    save_profile(profile, tmp_path / "s.json")
    assert profile == load_profile(tmp_path / "s.json")
    logo.unlink()
    assert load_profile(tmp_path / "s.json").logo_path is None


def test_logo_must_be_a_small_png_or_jpeg(tmp_path: Path) -> None:
    """save_logo refuses other formats and files over 1 MB."""
    with pytest.raises(SettingsError, match="PNG or JPEG"):
        save_logo(b"GIF89a....", tmp_path)
    with pytest.raises(SettingsError, match="limit"):
        save_logo(PNG + b"\x00" * 1_000_001, tmp_path)


def test_percentages_are_parsed_as_proportions() -> None:
    """parse_percent('35%') is 0.35; out-of-range values are refused."""
    assert parse_percent("35%") == 0.35
    assert parse_percent(" ") is None
    with pytest.raises(SettingsError):
        parse_percent("100")


def test_dermatome_figure_marks_abnormal_roots_in_words() -> None:
    """The schematic and its caption name the abnormal root, side and grade."""
    enc = _encounter(**{"neuro.sens_c6": Sensation(left="reduced"), "neuro.power_finger_abduction": Mrc(right=3)})
    assert "C6 left reduced" in dermatome_summary(enc, LIB.items)
    assert "T1 right not tested (M)" in dermatome_summary(enc, LIB.items)
    svg = dermatome_svg(enc, LIB.items)
    assert svg.startswith("<svg") and "C6 ↓" in svg and 'aria-label="Dermatome chart' in svg

"""Any name or text a user types prints literally: markup, entities, emoji, RTL scripts, CJK, 300 characters."""

from __future__ import annotations

import pytest

from reports.fonts import register_fonts
from reports.text import clean, escape, font_runs, markup, visual_line
from tests.reports.conftest import Render, example, save_artifact, with_patient
from tests.reports.pdftext import all_text, runs_with_fonts, squashed

LONG_NAME = (" ".join(["Maximiliana-Wilhelmina"] * 14))[:299] + "Z"
HOSTILE_NAMES = {
    "markup": "<b>bold</b> Smith",
    "entity": "Tom &amp; Jerry",
    "comparison": "x<y and y>z",
    "emoji": "Ana 😀 Smile 🙂",
    "arabic": "سارة عبد الله",
    "hebrew": "שלום כהן",
    "cjk": "王小明",
    "greek": "Ναταλία Παπαδοπούλου",
    "vietnamese": "Nguyễn Văn An",
    "300 characters": LONG_NAME,
}


@pytest.mark.parametrize("kind", list(HOSTILE_NAMES))
def test_hostile_patient_name_appears_literally(render: Render, kind: str) -> None:
    """The patient's name and a note quoting it come back from the PDF's text exactly as typed."""
    name = HOSTILE_NAMES[kind]
    assert len(LONG_NAME) == 300
    encounter = with_patient(example("c6_radiculopathy"), name=name)
    encounter = encounter.model_copy(update={"notes": f"Spoke with {name} about the plan."})
    pdf = render(encounter)
    save_artifact(f"hostile_{kind.replace(' ', '_')}", pdf)
    text = squashed(all_text(pdf))
    assert squashed(name) in text
    assert squashed(f"Spoke with {name} about the plan.") in text


def test_markup_like_name_is_not_interpreted(render: Render) -> None:
    """``<b>`` and ``&amp;`` are printed, never applied or decoded, in the body and the header."""
    encounter = with_patient(example("c6_radiculopathy"), name="<b>Tom</b> &amp; x<y")
    text = all_text(render(encounter))
    assert text.count("<b>Tom</b> &amp; x<y") >= 2


def test_cjk_name_is_drawn_with_the_cjk_font(render: Render) -> None:
    """The text runs holding 王小明 use the CJK font, never DejaVu (which has no glyphs for it)."""
    fonts = register_fonts()
    assert fonts.cjk_embedded, f"no CJK TrueType font found; fell back to {fonts.cjk_source}"
    pdf = render(with_patient(example("c6_radiculopathy"), name="王小明"))
    cjk_runs = [(text, font) for text, font in runs_with_fonts(pdf) if "王" in text or "明" in text]
    assert cjk_runs
    for _, font in cjk_runs:
        assert "WenQuanYi" in font or "CJK" in font or "Hei" in font, font
        assert "DejaVu" not in font


def test_latin_text_around_cjk_stays_in_dejavu() -> None:
    """A mixed line is split into runs: Latin in DejaVu, Han in the CJK font."""
    fonts = register_fonts()
    runs = font_runs("Mr 王小明 (id 7)", fonts)
    assert [f for f, _ in runs] == [fonts.regular, fonts.cjk, fonts.regular]
    assert "".join(chunk for _, chunk in runs) == "Mr 王小明 (id 7)"


def test_escape_makes_markup_characters_literal() -> None:
    """&, < and > are escaped, and only those."""
    assert escape("<b>a & b</b> > c") == "&lt;b&gt;a &amp; b&lt;/b&gt; &gt; c"
    assert escape("plain 'quoted' \"text\"") == "plain 'quoted' \"text\""


def test_markup_wraps_fallback_runs_in_font_tags_and_escapes_inside() -> None:
    """The CJK run gets a font tag; user text inside it is still escaped."""
    fonts = register_fonts()
    assert markup("王<b>", fonts) == f'<font name="{fonts.cjk}">王</font>&lt;b&gt;'


def test_control_and_direction_override_characters_are_removed() -> None:
    """NUL, escape and bidi overrides go; newlines stay; tabs become spaces."""
    assert clean("a\x00b\x1bc\u202ed\te\nf") == "abcd e\nf"


def test_hebrew_is_put_in_visual_order_for_drawing() -> None:
    """A right-to-left run is reversed for drawing; left-to-right text around it keeps its order."""
    assert visual_line("Patient שלום") == "Patient םולש"
    assert visual_line("plain text") == "plain text"


def test_long_right_to_left_note_wraps_over_lines_and_reads_back(render: Render) -> None:
    """A long Hebrew note wraps inside the page and its words all come back from the text layer."""
    note = " ".join(["שלום כהן מרגיש כאב בצוואר ובזרוע השמאלית"] * 40)
    pdf = render(example("c6_radiculopathy").model_copy(update={"notes": note}))
    save_artifact("hostile_long_hebrew_note", pdf)
    assert squashed(all_text(pdf)).count(squashed("שלום כהן מרגיש")) >= 40

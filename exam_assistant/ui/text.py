"""Plain-text helpers for the screen: markdown escaping and the words and icons of each tier.

No Streamlit here. Every piece of user or pack text shown through ``st.markdown`` (and the
widgets whose labels are markdown) goes through :func:`md` first, so that text a clinician typed
is shown as typed and never interpreted as formatting, links, colours or HTML.
"""

from __future__ import annotations

import re

from exam_assistant.protocol import Tier

# Every ASCII punctuation character may be backslash-escaped in CommonMark; Streamlit's own
# directives (":red[...]", ":material/x:", "$...$") are punctuation-led too, so escaping
# all of it shows the text literally.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|:$<>~=&\"'^%@/;,?])")
# Escaping is not enough against GFM autolinks: Streamlit's renderer finds "http://", "www." and
# e-mail addresses in the text after escapes are resolved (seen in Chromium: an escaped URL in a
# patient's name became a link). An invisible WORD JOINER (U+2060) placed where those patterns
# need a particular character breaks them, and shows nothing.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp)(?=:)|(www)(?=\.)|(?=@)")

TIER_WORD: dict[str, str] = {
    "EMERGENCY": "EMERGENCY",
    "SAME_DAY": "SAME DAY",
    "URGENT": "URGENT",
    "ROUTINE": "ROUTINE",
}
# Meaning never rests on colour alone: each tier has a word and a distinct icon shape. The icons
# are Streamlit's bundled Material Symbols (emoji need an emoji font the clinic's machine may lack).
TIER_ICON: dict[str, str] = {
    "EMERGENCY": ":material/dangerous:",
    "SAME_DAY": ":material/warning:",
    "URGENT": ":material/priority_high:",
    "ROUTINE": ":material/info:",
}
ICON_ERROR = ":material/error:"
ICON_WARNING = ":material/warning:"
ICON_DONE = ":material/check_circle:"
ICON_BLOCKED = ":material/block:"


def md(text: object) -> str:
    """``text`` escaped so markdown shows it literally (newlines kept as line breaks), never a
    link: an invisible word joiner breaks each URL and e-mail pattern."""
    unlinked = _AUTOLINK.sub(lambda m: (m.group(0) or "") + WORD_JOINER, str(text))
    escaped = _PUNCTUATION.sub(r"\\\1", unlinked)
    return escaped.replace("\n", "  \n")


def tier_label(tier: Tier | str) -> str:
    """The tier as an icon plus a word, e.g. ':material/dangerous: EMERGENCY'."""
    return f"{TIER_ICON.get(tier, '')} {TIER_WORD.get(tier, str(tier))}".strip()


def percent(value: float | None) -> str:
    """A probability as a whole percentage, or an em dash when unknown."""
    return "—" if value is None else f"{value * 100:.0f}%"


def humanise(value: str) -> str:
    """An option or status value in words: 'not_tested' -> 'not tested'."""
    return value.replace("_", " ")

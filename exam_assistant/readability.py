"""Flesch reading ease of plain English text, for checking patient-facing wording.

Flesch (1948): 206.835 - 1.015 x (words / sentences) - 84.6 x (syllables / words); 60-70 reads
as plain English. Syllables are counted with the usual vowel-group heuristic, which is what
readability tools such as textstat also approximate; it is close, not exact, for English words.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*[-•])")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Syllables of one English word: vowel groups, less a silent final 'e', at least one."""
    w = word.lower().replace("'", "")
    count = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith(("ed", "es")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "shes", "ches", "xes")) \
            and count > 1:
        count -= 1
    return max(count, 1)


def counts(text: str) -> tuple[int, int, int]:
    """(sentences, words, syllables) of ``text``; a heading or list line without a full stop counts as a sentence."""
    words = _WORD.findall(text)
    parts = [p for p in _SENTENCE_END.split(text) if _WORD.search(p)]
    return max(len(parts), 1), len(words), sum(syllables(w) for w in words)


def flesch_reading_ease(text: str) -> float:
    sentences, words, syl = counts(text)
    if words == 0:
        return 0.0
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syl / words)

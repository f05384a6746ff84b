"""Every reference can be found by a reader: a DOI, a PubMed id, or the publisher's or guideline
body's own page, never a search page or a file-sharing copy; otherwise it says why, in
``unverified`` (issue 11)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from exam_assistant.library import Library
from exam_assistant.protocol import Reference
from reports.hosts import url_allowed

SEARCH_PAGE = re.compile(r"[?&](term|q|query|s|search)=|/search\b", re.IGNORECASE)
PUBMED_ARTICLE = re.compile(r"^https://(pubmed\.ncbi\.nlm\.nih\.gov/\d+|(www\.)?ncbi\.nlm\.nih\.gov/(pmc/articles|books)/|pmc\.ncbi\.nlm\.nih\.gov/articles/)")
PUBMED_ID_IN_NOTE = re.compile(r"PubMed \d{6,9}\b")


def locatable(ref: Reference) -> bool:
    if ref.doi:
        return True
    if ref.note and PUBMED_ID_IN_NOTE.search(ref.note):
        return True
    if not ref.url or SEARCH_PAGE.search(ref.url):
        return False
    if PUBMED_ARTICLE.match(ref.url):
        return True
    # a publisher's or guideline body's page: an allowed host and a path, not its home page
    return url_allowed(ref.url) and urlparse(ref.url).path.strip("/") != ""


def test_every_reference_is_locatable_or_says_why_not(library: Library) -> None:
    missing = sorted(k for k, r in library.references.items() if not locatable(r) and not r.unverified)
    assert not missing, f"references without a DOI, PubMed id or publisher/guideline page and not marked unverified: {missing}"


@pytest.mark.parametrize(("ref", "expected"), [
    (Reference(key="a", citation="Author A. Title. J 2020.", doi="10.1000/x"), True),
    (Reference(key="b", citation="Author A. Title. J 2020.", url="https://pubmed.ncbi.nlm.nih.gov/12345678/"), True),
    (Reference(key="c", citation="Author A. Title. J 2020.", url="https://pubmed.ncbi.nlm.nih.gov/?term=author+title"), False),
    (Reference(key="d", citation="Author A. Title. J 2020.", url="https://www.nice.org.uk/guidance/ng59"), True),
    (Reference(key="e", citation="Author A. Title. J 2020.", url="https://doczz.net/doc/1"), False),
    (Reference(key="f", citation="Author A. Title. J 2020.", url="https://acsearch.acr.org"), False),
    (Reference(key="g", citation="Author A. Title. J 2020.", url="https://doczz.net/doc/1", note="PubMed 9562199."), True),
])
def test_the_locatable_check(ref: Reference, expected: bool) -> None:
    assert locatable(ref) is expected


def test_a_search_page_marked_unverified_needs_a_reason() -> None:
    with pytest.raises(ValueError):
        Reference(key="h", citation="Author A. Title. J 2020.", url="https://x.org/?q=a", unverified="no")

"""Reference hygiene: every reference URL in the packs points at an allowed host (DOI, PubMed,
publishers, guideline bodies, professional societies), never a file-sharing site or mirror."""

from __future__ import annotations

import copy
from urllib.parse import urlparse

from exam_assistant.library import Library
from reports.hosts import host_allowed, url_allowed
from tests.reports.conftest import Render, example
from tests.reports.pdftext import all_text, squashed


def offenders(library: Library) -> dict[str, str]:
    return {
        key: urlparse(ref.url).hostname or ref.url
        for key, ref in library.references.items()
        if ref.url and not url_allowed(ref.url)
    }


def test_the_allow_list_check_refuses_file_sharing_and_accepts_subdomains() -> None:
    assert host_allowed("pubmed.ncbi.nlm.nih.gov") and host_allowed("www.nice.org.uk")
    assert not host_allowed("doczz.net") and not host_allowed("evil-nice.org.uk")
    assert not host_allowed("staging.formulary.nhs.scot") and not url_allowed("http://www.nice.org.uk/x")


def test_every_reference_url_host_is_on_the_allow_list(library: Library) -> None:
    """No pack reference points at a file-sharing site, a mirror or a personal page (issue 11)."""
    assert offenders(library) == {}, "reference URLs outside reports/assets/reference_hosts.txt"


def test_the_note_never_prints_a_link_outside_the_allow_list(render: Render, library: Library) -> None:
    """A reference linking to a file-sharing site keeps its citation in the note, never its link
    (wainner_2003, cited by the C6 note, is given such a link here)."""
    shared = "https://www.passeidireto.com/arquivo/1/copy-of-the-paper"
    ref = library.references["wainner_2003"]
    changed = copy.copy(library)
    changed.references = {**library.references, "wainner_2003": ref.model_copy(update={"url": shared})}
    text = squashed(all_text(render(example("c6_radiculopathy"), lib=changed)))
    assert not url_allowed(shared)
    assert squashed(ref.citation[:50]) in text
    assert squashed(shared) not in text and "passeidireto" not in text


def test_the_note_prints_an_allowed_link_of_a_reference_without_a_doi(render: Render, library: Library) -> None:
    """wainner_2003 has no DOI; its university repository link is allowed and printed."""
    ref = library.references["wainner_2003"]
    assert ref.doi is None and ref.url and url_allowed(ref.url)
    text = squashed(all_text(render(example("c6_radiculopathy"))))
    assert squashed(ref.url) in text

"""Progress over time from the store, and the feedback PDF (reports/feedback.py)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from exam_assistant.library import Library
from exam_assistant.practice.case import Case
from exam_assistant.practice.feedback import feedback_for
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.practice.progress import StoredAttempt, domain_series, progress_rows
from exam_assistant.practice.scoring import score_attempt
from exam_assistant.store import PracticeRepository, open_store
from reports.feedback import render_feedback
from tests.practice.conftest import attempt_for

WHEN = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def test_saved_attempts_come_back_as_progress_rows_oldest_first(tmp_path: Path, fixture_case: Case,
                                                                library: Library) -> None:
    """Two attempts saved in the store give two rows, oldest first, with their domain percentages."""
    repo = PracticeRepository(open_store(f"sqlite:///{tmp_path / 'p.sqlite'}").engine)
    weak = score_attempt(fixture_case, attempt_for(fixture_case, ["history.arm_symptoms"]), library)
    strong = score_attempt(fixture_case, model_attempt(fixture_case, library), library)
    repo.save_attempt("scoring_fixture", "ana", "exam", WHEN + timedelta(days=7), None, strong.model_dump(mode="json"))
    repo.save_attempt("scoring_fixture", "ana", "learning", WHEN, None, weak.model_dump(mode="json"))
    repo.save_attempt("scoring_fixture", "ben", "learning", WHEN, None, weak.model_dump(mode="json"))
    stored = repo.list_attempts("ana")
    rows = progress_rows([StoredAttempt(a.case_id, a.mode, a.started_at, a.score) for a in stored],
                         {"scoring_fixture": "Fixture"})
    assert [weak.percent, 100.0] == [r["Score %"] for r in rows]
    assert [r["Mode"] for r in rows] == ["learning", "exam"]
    assert [r["History"] for r in rows] == [50.0, 100.0]
    assert rows[0]["Case"] == "Fixture"


def test_domain_series_leaves_out_domains_never_scored(fixture_case: Case, library: Library) -> None:
    """The chart series hold only domains that appear in at least one attempt."""
    score = score_attempt(fixture_case, attempt_for(fixture_case), library).model_dump(mode="json")
    score["domains"] = [d for d in score["domains"] if d["domain"] == "plan"]
    series = domain_series(progress_rows([StoredAttempt("scoring_fixture", "exam", WHEN, score)]))
    assert list(series) == ["Plan"]


def test_feedback_pdf_prints_the_score_and_user_text_literally(fixture_case: Case, library: Library) -> None:
    """The PDF shows the case, the score and a student label with markup characters and Greek as typed."""
    attempt = attempt_for(fixture_case, ["radic.valsalva"])
    attempt.student = "Ana <b>&</b> Ελένη"
    feedback = feedback_for(fixture_case, attempt, library)
    pdf = render_feedback(feedback, generated_at=WHEN, invariant=True)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF")
    assert "Ana <b>&</b> Ελένη" in text
    assert f"Score {feedback.score.total:g} of {feedback.score.maximum:g}" in text
    assert "Unsafe test" in text
    assert library.references["wainner_2003"].citation.split(",")[0] in text


def test_feedback_pdf_is_repeatable_when_invariant(fixture_case: Case, library: Library) -> None:
    """With a fixed time and invariant output, the same feedback renders to the same bytes."""
    feedback = feedback_for(fixture_case, attempt_for(fixture_case), library)
    assert render_feedback(feedback, WHEN, invariant=True) == render_feedback(feedback, WHEN, invariant=True)

"""Page: practice mode. Pick a simulated case, ask and examine, commit, get OSCE-style feedback.

Learning mode offers hints and technique help; exam mode has a timer and neither. Attempts are
saved to the store under a student label (no patient data: every case is simulated) and shown
as scores over time by domain. An attempt autosaves after every question, test and hint, and a
refreshed page resumes it (``ui/practice_autosave.py``). Asking a question or performing a test
is one click on a filtered list (``ui/widgets/pick_list.py``).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import altair as alt
import pandas as pd
import streamlit as st

from exam_assistant.library import PATH_ENV, Library
from exam_assistant.practice.attempt import Answers, Attempt, InterpretationAnswer
from exam_assistant.practice.case import Case
from exam_assistant.practice.choices import (
    DOMAIN_LABELS,
    EFFECT_LABELS,
    GLOBAL_RATING_LABELS,
    IMAGING_LABELS,
    PLAN_LABELS,
    Mode,
)
from exam_assistant.practice.feedback import Feedback, feedback_for
from exam_assistant.practice.loader import CaseLibrary, load_cases
from exam_assistant.practice.model_answer import model_attempt
from exam_assistant.practice.progress import StoredAttempt, domain_series, progress_rows
from exam_assistant.practice.run import act, can_act, finish, interpretable, menu, next_hint, seconds_left, start
from exam_assistant.practice.simulate import reveal
from exam_assistant.protocol import RedFlagEffect
from exam_assistant.ui import resources
from exam_assistant.ui.access_gate import require_page
from exam_assistant.ui.practice_autosave import autosave, begin, current, forget, resume, save_problem
from exam_assistant.ui.text import ICON_WARNING, md
from exam_assistant.ui.widgets.condition_view import ICON_GUIDE, condition_link, condition_view
from exam_assistant.ui.widgets.pick_list import pick_list
from exam_assistant.ui.widgets.technique import item_details, reference_line

KEY = "practice"
SAVED = f"{KEY}.saved"
FILTER = f"{KEY}.filter"
# Emoji need an emoji font the machine may lack (they showed as empty boxes): Material icons instead
HINT_ICON = ":material/lightbulb:"
LIST_HEIGHT = 420  # px: the lists scroll inside their box, so what was found stays near
STATUS_ICON = {"met": ":material/check_circle:", "partial": ":material/timelapse:", "missed": ":material/cancel:",
               "penalty": ":material/block:"}
STATUS_WORD = {"met": "Met", "partial": "Partly met", "missed": "Missed", "penalty": "Penalty"}
LEVEL_CHOICES = {"none": "No single root level", **{lv: lv for lv in ("C4", "C5", "C6", "C7", "C8", "T1")}}
LEVEL_WORDS = {"foundation": "Foundation", "intermediate": "Intermediate", "advanced": "Advanced"}


@st.cache_resource(show_spinner="Loading practice cases…")
def _cases(_protocol_path: str) -> CaseLibrary:
    return load_cases(resources.library())


def cases() -> CaseLibrary:
    return _cases(os.environ.get(PATH_ENV, ""))


# ------------------------------------------------------------------ callbacks


def _start() -> None:
    case = cases().get(st.session_state[f"{KEY}.case"])
    if case is None:
        return
    mode: Mode = "exam" if st.session_state[f"{KEY}.mode"] == "Exam" else "learning"
    begin(start(case, mode, st.session_state.get(f"{KEY}.student", "")))
    st.session_state.pop(SAVED, None)
    st.session_state.pop(FILTER, None)


def _act(widget: str) -> None:
    """One click on a question or test: ask or perform it, and autosave the attempt."""
    attempt = current()
    item_id = st.session_state.get(widget)
    st.session_state[widget] = None
    case = cases().get(attempt.case_id) if attempt is not None else None
    if attempt is None or case is None or not item_id:
        return
    if act(attempt, case, resources.library(), item_id):
        autosave(attempt)


def _hint() -> None:
    attempt = current()
    case = cases().get(attempt.case_id) if attempt is not None else None
    if attempt is not None and case is not None and next_hint(attempt, case) is not None:
        autosave(attempt)


def _reset() -> None:
    forget()
    st.session_state.pop(SAVED, None)
    for key in [k for k in st.session_state if str(k).startswith(f"{KEY}.answer.")]:
        del st.session_state[key]


# ------------------------------------------------------------------ sections of the page


def choose_case(case_lib: CaseLibrary) -> None:
    ordered = case_lib.ordered()
    titles = {lc.case.id: f"{lc.case.title} · {LEVEL_WORDS[lc.case.level]}" for lc in ordered}
    st.selectbox("Case", list(titles), format_func=titles.__getitem__, key=f"{KEY}.case")
    picked = case_lib.get(st.session_state[f"{KEY}.case"])
    if picked is not None:
        st.caption(f"{picked.patient.age}-year-old {picked.patient.sex} · "
                   f"{picked.time_limit_minutes}-minute station · {md(picked.presenting_complaint)}")
    st.radio("Mode", ["Learning", "Exam"], horizontal=True, key=f"{KEY}.mode",
             help="Learning: hints and technique help, no time limit. Exam: a timer and no hints.")
    st.text_input("Your name or nickname (for your progress)", max_chars=80, key=f"{KEY}.student",
                  placeholder="e.g. J. Smith or a nickname; no patient details",
                  help="Letters, digits, spaces and . @ - _ only. Left empty, the attempt is saved as 'student'.")
    st.button("Start case", type="primary", on_click=_start, key=f"{KEY}.start")


@st.fragment(run_every=1)
def timer(attempt: Attempt, case: Case) -> None:
    left = seconds_left(attempt, case, datetime.now(UTC))
    if left is None:
        return
    minutes, seconds = divmod(int(left), 60)
    if left > 0:
        st.markdown(f":material/timer: **Time left: {minutes:02d}:{seconds:02d}**")
    else:
        st.markdown(":material/timer: **Time is up: commit your answers.**")
        if not st.session_state.get(f"{KEY}.time_up"):
            st.session_state[f"{KEY}.time_up"] = True
            st.rerun(scope="app")


def encounter_panel(attempt: Attempt, case: Case, lib: Library) -> None:
    st.info(f"**{case.patient.age}-year-old {case.patient.sex}.** {md(case.presenting_complaint)}", icon=":material/person:")
    learning = attempt.mode == "learning"
    if not learning:
        timer(attempt, case)
    allowed = can_act(attempt, case)
    problem = save_problem()
    if problem:
        st.warning(f"Not saved yet: {md(problem)}. Your answers are kept on this page and saved again with "
                   "your next question or test.", icon=ICON_WARNING)
    done = set(attempt.actions)
    query = st.text_input("Find a question or test", key=FILTER, placeholder="e.g. numbness, Spurling, rash",
                          help="Type words and press Enter to narrow both lists; clear it to see everything. "
                               "One click on a question asks it; one click on a test performs it.")
    left, right = st.columns(2)
    with left:
        st.subheader("Ask")
        with st.container(height=LIST_HEIGHT, border=True):
            pick_list([m for m in menu(lib, questions=True) if m.item_id not in done], query, f"{KEY}.ask",
                      _act, not allowed, "No question")
    with right:
        st.subheader("Examine")
        tests = [m for m in menu(lib, questions=False) if m.item_id not in done]
        with st.container(height=LIST_HEIGHT, border=True):
            pick_list(tests, query, f"{KEY}.perform", _act, not allowed, "No test")
        if learning:
            how = {m.item_id: m.label for m in menu(lib, questions=False)}
            chosen = st.selectbox("How to perform a test (learning help; does not perform it)", list(how),
                                  format_func=how.__getitem__, index=None, placeholder="Choose a test",
                                  key=f"{KEY}.how_choice")
            if chosen:
                with st.expander(f"How to perform: {md(lib.items[chosen].label)}", expanded=True):
                    item_details(lib.items[chosen], lib)
    if learning and case.hints:
        st.button(f"Hint ({attempt.hints_used} of {len(case.hints)} used)", on_click=_hint,
                  key=f"{KEY}.hint", disabled=attempt.hints_used >= len(case.hints))
        for hint in case.hints[: attempt.hints_used]:
            st.caption(f"{HINT_ICON} {md(hint)}")
    st.subheader("What you found")
    if not attempt.actions:
        st.caption("Nothing asked or examined yet.")
    for item_id in attempt.done():
        if item_id in lib.items:
            r = reveal(case, lib, item_id)
            icon = ":material/chat:" if r.kind == "question" else ":material/stethoscope:"
            st.markdown(f"{icon} **{md(r.label)}** — {md(r.says)}")


def commit_form(attempt: Attempt, case: Case, lib: Library) -> None:
    red_flags = {rid: r.title for rid in lib.rule_order if isinstance((r := lib.rules[rid]).effect, RedFlagEffect)}
    diagnoses = {d.id: d.name for d in sorted(lib.diagnoses.values(), key=lambda d: d.name)}
    key = f"{KEY}.answer"
    _restore_answers(attempt)
    # not an st.form: each choice autosaves with the attempt, so a refreshed page keeps it too
    with st.container(border=True):
        st.subheader("Commit")
        tests = interpretable(attempt, lib)
        if tests:
            st.markdown("**Interpretation of your tests**")
        for item_id in tests:
            item = lib.items[item_id]
            target = item.evidence[0].target if item.evidence else case.expected.diagnosis
            target_name = lib.diagnoses[target].name if target in lib.diagnoses else target
            c1, c2 = st.columns(2)
            c1.radio(f"{md(item.label)}: result", ["positive", "negative"], index=None, horizontal=True,
                     key=f"{key}.{item_id}.result", on_change=_answers_changed)
            c2.radio(f"…and for {md(target_name)} it", list(EFFECT_LABELS), index=None,
                     format_func=EFFECT_LABELS.__getitem__, key=f"{key}.{item_id}.effect", on_change=_answers_changed)
        st.multiselect("Red flags present", list(red_flags), format_func=red_flags.__getitem__,
                       key=f"{key}.red_flags", placeholder="None (leave empty if there are none)",
                       on_change=_answers_changed)
        st.selectbox("Most likely diagnosis", list(diagnoses), format_func=diagnoses.__getitem__, index=None,
                     key=f"{key}.diagnosis", on_change=_answers_changed)
        st.multiselect("Differential (alternatives to keep in mind)", list(diagnoses),
                       format_func=diagnoses.__getitem__, key=f"{key}.differential", on_change=_answers_changed)
        c1, c2 = st.columns(2)
        c1.selectbox("Root level", list(LEVEL_CHOICES), key=f"{key}.level", format_func=LEVEL_CHOICES.__getitem__,
                     on_change=_answers_changed)
        c2.selectbox("Side", ["left", "right", "bilateral", "none"], key=f"{key}.side", on_change=_answers_changed)
        st.selectbox("First imaging or investigation", list(IMAGING_LABELS), index=None,
                     format_func=IMAGING_LABELS.__getitem__, key=f"{key}.imaging", on_change=_answers_changed)
        st.multiselect("First-line plan", list(PLAN_LABELS), format_func=PLAN_LABELS.__getitem__,
                       key=f"{key}.plan", on_change=_answers_changed)
        if st.button("Commit and see feedback", type="primary", key=f"{KEY}.commit"):
            _commit(attempt, case, lib, tests)


def _answers(case: Case, tests: list[str]) -> Answers:
    """The commitment as the widgets hold it now."""
    key = f"{KEY}.answer"
    side = case.expected.side if case.expected.side in ("left", "right") else "any"
    interpretations = [
        InterpretationAnswer(item=i, side=side, result=st.session_state[f"{key}.{i}.result"],
                             effect=st.session_state.get(f"{key}.{i}.effect"))
        for i in tests if st.session_state.get(f"{key}.{i}.result")
    ]
    return Answers(
        interpretations=interpretations, red_flags=st.session_state.get(f"{key}.red_flags", []),
        diagnosis=st.session_state.get(f"{key}.diagnosis"), differential=st.session_state.get(f"{key}.differential", []),
        level=st.session_state.get(f"{key}.level"), side=st.session_state.get(f"{key}.side"),
        imaging=st.session_state.get(f"{key}.imaging"), plan=st.session_state.get(f"{key}.plan", []),
    )


def _answers_changed() -> None:
    """A choice in the commit part changed: keep it in the attempt and autosave."""
    attempt = current()
    case = cases().get(attempt.case_id) if attempt is not None else None
    if attempt is None or case is None:
        return
    attempt.answers = _answers(case, interpretable(attempt, resources.library()))
    autosave(attempt)


def _restore_answers(attempt: Attempt) -> None:
    """After a refresh: give the commit widgets the choices saved with the attempt (first draw only)."""
    key = f"{KEY}.answer"
    a = attempt.answers
    saved: dict[str, object] = {
        f"{key}.red_flags": a.red_flags, f"{key}.diagnosis": a.diagnosis, f"{key}.differential": a.differential,
        f"{key}.level": a.level, f"{key}.side": a.side, f"{key}.imaging": a.imaging, f"{key}.plan": a.plan,
    }
    for i in a.interpretations:
        saved[f"{key}.{i.item}.result"] = i.result
        saved[f"{key}.{i.item}.effect"] = i.effect
    for widget, value in saved.items():
        if widget not in st.session_state and value not in (None, []):
            st.session_state[widget] = value


def _commit(attempt: Attempt, case: Case, lib: Library, tests: list[str]) -> None:
    attempt.answers = _answers(case, tests)
    finish(attempt)
    fb = feedback_for(case, attempt, lib)
    st.session_state[SAVED] = save(attempt, fb)
    st.rerun()


def save(attempt: Attempt, fb: Feedback) -> str:
    """Commit the autosaved attempt with its score; the message to show."""
    if not autosave(attempt, fb.score.model_dump(mode="json")):
        return f"warning:Not saved to your progress: {save_problem()}"
    return f"success:Saved to the progress of '{attempt.student}'."


def _diagnoses_named(attempt: Attempt, case: Case) -> list[str]:
    """The expected diagnosis, then the student's choices, once each: the conditions a diagnosis line links to."""
    chosen = [attempt.answers.diagnosis] if attempt.answers.diagnosis else []
    return list(dict.fromkeys([case.expected.diagnosis, *chosen, *attempt.answers.differential]))


def _conditions_of_line(checklist_id: str | None, attempt: Attempt, case: Case, lib: Library) -> list[str]:
    """The conditions a feedback line is about: the diagnoses named, or those the expected red flags suggest."""
    item = next((c for c in case.marking.checklist if c.id == checklist_id), None)
    if item is None:
        return []
    if item.check.check in ("diagnosis", "differential"):
        return _diagnoses_named(attempt, case)
    if item.check.check == "red_flags":
        effects = [lib.rules[r].effect for r in case.expected.red_flags if r in lib.rules]
        return list(dict.fromkeys(d for e in effects if isinstance(e, RedFlagEffect) for d in e.suggests))
    return []


def show_feedback(attempt: Attempt, case: Case, lib: Library) -> None:
    fb = feedback_for(case, attempt, lib)
    s = fb.score
    saved = st.session_state.get(SAVED, "")
    if saved:
        kind, _, text = saved.partition(":")
        (st.success if kind == "success" else st.warning)(md(text))
    c1, c2, c3 = st.columns(3)
    c1.metric("Score", f"{s.total:g} / {s.maximum:g} ({s.percent:g}%)")
    c2.metric("Global rating", GLOBAL_RATING_LABELS[s.global_rating])
    if s.duration_seconds is not None:
        c3.metric("Time", f"{int(s.duration_seconds // 60)} min {int(s.duration_seconds % 60)} s",
                  "over the limit" if s.overtime else None, delta_color="inverse" if s.overtime else "off")
    for why in s.capped_by:
        st.warning(f"Rating capped: {md(why)}", icon=ICON_WARNING)
    st.dataframe(pd.DataFrame([{"Domain": DOMAIN_LABELS[d.domain], "Points": f"{d.earned:g} of {d.available:g}",
                                "Percent": d.percent} for d in s.domains]), hide_index=True)
    st.subheader("Item by item")
    for e in fb.entries:
        with st.expander(f"{STATUS_WORD[e.status]}: {md(e.title)} — {md(e.detail)}", icon=STATUS_ICON[e.status],
                         expanded=e.status != "met"):
            for line in e.explanation:
                st.markdown(f"- {md(line)}")
            if not e.explanation and e.status != "met":
                st.caption("The model answer below shows what was expected.")
            for k in e.references:
                st.caption(f"Source: {reference_line(k, lib)}")
            for dx_id in _conditions_of_line(e.checklist_id, attempt, case, lib):
                condition_link(dx_id, lib)
    st.subheader("What the evidence says")
    for n in fb.evidence:
        st.markdown(f"**{md(n.title)}**  \nYour findings: {md(n.yours)}  \nThe whole case: {md(n.whole_case)}")
    if case.expected.diagnosis in lib.conditions:
        with st.expander(f"Condition guide: {md(lib.diagnoses[case.expected.diagnosis].name)}", icon=ICON_GUIDE):
            condition_view(lib.conditions[case.expected.diagnosis], lib)
    with st.expander("Model answer"):
        model = model_attempt(case, lib)
        st.markdown("**Asked and examined:** " + md("; ".join(lib.items[i].label for i in model.actions)))
        exp = case.expected
        st.markdown(f"**Most likely:** {md(lib.diagnoses[exp.diagnosis].name)} · **imaging:** "
                    f"{md(IMAGING_LABELS[exp.imaging.correct[0]])} · **plan:** "
                    + md("; ".join(PLAN_LABELS[p] for p in exp.plan.required)))
        st.caption(md(exp.imaging.why) + " " + md(exp.plan.why))
    with st.expander("References"):
        for r in fb.references:
            st.caption(f"[{md(r.key)}] {reference_line(r.key, lib)}")

    def pdf() -> bytes:
        from reports.feedback import render_feedback

        return render_feedback(fb)

    st.download_button("Download feedback (PDF)", data=pdf, file_name=f"practice-{case.id}.pdf",
                       mime="application/pdf", on_click="ignore", key=f"{KEY}.pdf")
    st.button("Try another case", on_click=_reset, key=f"{KEY}.again")


def progress(case_lib: CaseLibrary, student: str) -> None:
    from exam_assistant.store import PracticeRepository, StoreError

    st.subheader("Progress")
    who = st.text_input("Student", value=student, max_chars=80, key=f"{KEY}.progress_student").strip()
    if not who:
        st.caption("Enter your name or nickname to see your scores over time.")
        return
    try:
        stored = PracticeRepository(resources.store().engine).list_attempts(who)
    except StoreError as exc:
        st.warning(f"Progress is not available: {md(exc)}")
        return
    titles = {cid: lc.case.title for cid, lc in case_lib.cases.items()}
    rows = progress_rows([StoredAttempt(a.case_id, a.mode, a.started_at, a.score) for a in stored], titles)
    if not rows:
        st.caption("No saved attempts yet.")
        return
    table = pd.DataFrame(rows)
    st.dataframe(table.dropna(axis="columns", how="all"), hide_index=True)
    series = domain_series(rows)
    if series:
        wide = pd.DataFrame(series)
        wide.insert(0, "Attempt", range(1, len(rows) + 1))
        clock = resources.clinic_profile().clock()  # the clinic's time zone and date format
        wide.insert(1, "Date", [clock.when(r["Date"]) for r in rows])
        long = wide.melt(id_vars=["Attempt", "Date"], var_name="Domain", value_name="Percent").dropna()
        chart = alt.Chart(long).mark_line(point=True).encode(
            x=alt.X("Attempt:O", title="Attempt (oldest first)"),
            y=alt.Y("Percent:Q", title="Percent of the domain's points", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("Domain:N"), tooltip=["Date:N", "Domain:N", "Percent:Q"],
        )
        st.altair_chart(chart)


# ------------------------------------------------------------------ the page

require_page("practice")  # every run: records roles without practice see nothing below
st.title("Practice")
st.caption("Simulated patients for OSCE practice. No real patient data is used or stored.")
lib = resources.library()
case_lib = cases()
if not case_lib.cases:
    st.error("No practice case could be loaded.")
for problem in case_lib.problems:
    st.warning(md(str(problem)), icon=":material/close:")

resume()
attempt = current()
active = case_lib.get(attempt.case_id) if attempt is not None else None
if attempt is None or active is None:
    choose_case(case_lib)
    progress(case_lib, st.session_state.get(f"{KEY}.student", ""))
elif attempt.finished_at is None:
    st.header(md(active.title))
    st.caption(f"{'Learning' if attempt.mode == 'learning' else 'Exam'} mode")
    encounter_panel(attempt, active, lib)
    commit_form(attempt, active, lib)
    st.button("Abandon this case", on_click=_reset, key=f"{KEY}.abandon")
else:
    st.header(f"Feedback: {md(active.title)}")
    show_feedback(attempt, active, lib)
    progress(case_lib, attempt.student)

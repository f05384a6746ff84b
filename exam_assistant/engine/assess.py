"""``assess(encounter, library) -> Assessment``: a pure function, cheap enough for every rerun."""

from __future__ import annotations

from collections import defaultdict

from exam_assistant import conditions as c
from exam_assistant.engine.assessment import (
    Assessment,
    ClusterResult,
    Contraindication,
    DecisionResult,
    DifferentialEntry,
    Evidence,
    ImagingSuggestion,
    OpenQuestion,
    ProtocolSuggestion,
    RedFlag,
    TreatmentPathway,
    Trigger,
)
from exam_assistant.engine.describe import finding_text
from exam_assistant.engine.evaluate import Facts, Interval, Truth, evaluate, kleene_all, true_leaves
from exam_assistant.engine.level import localise
from exam_assistant.engine.open_questions import open_questions
from exam_assistant.engine.policy import apply_policy, holders, items_with_tags, suspected_diagnoses
from exam_assistant.engine.probability import post_test_probability
from exam_assistant.engine.ranking import apply_rank_floors
from exam_assistant.engine.scores import band_for, compute_score
from exam_assistant.library import Library
from exam_assistant.models import Encounter
from exam_assistant.protocol import (
    TIER_ORDER,
    ClusterEffect,
    ContraindicateEffect,
    DecisionEffect,
    DifferentialEffect,
    FlagEffect,
    ImagingEffect,
    PointsEffect,
    RedFlagEffect,
    Rule,
    SuggestProtocolEffect,
    Threshold,
    Tier,
    TreatmentEffect,
)

RED_FLAG_WEIGHT: dict[str, float] = {"EMERGENCY": 4.0, "SAME_DAY": 3.0, "URGENT": 2.0, "ROUTINE": 1.0}


def _triggers(rule: Rule, facts: Facts, lib: Library) -> list[Trigger]:
    out: list[Trigger] = []
    seen: set[str] = set()
    for leaf in true_leaves(rule.when, facts):
        if isinstance(leaf, c.PatientCondition):
            key, label = f"patient.{leaf.patient}", leaf.patient.capitalize()
            value = str(facts.encounter.age) if leaf.patient == "age" else facts.encounter.patient.sex
        else:
            item = lib.items.get(leaf.item)
            finding = facts.encounter.findings.get(leaf.item)
            key, label = leaf.item, item.label if item else leaf.item
            # a rule may fire on an unanswered question on purpose (read as present): say so
            value = finding_text(finding, item) if finding is not None else "not answered"
        if key not in seen:
            seen.add(key)
            out.append(Trigger(item=key, label=label, value=value))
    for node in c.walk(rule.when):
        if isinstance(node, c.RuleCondition) and facts.rule_truth.get(node.rule) and node.rule not in seen:
            seen.add(node.rule)
            title = lib.rules[node.rule].title if node.rule in lib.rules else node.rule
            out.append(Trigger(item=node.rule, label=title, value="met"))
    return out


def _band(thresholds: list[Threshold], positive: int, unknown: int) -> Threshold | None:
    for t in thresholds:
        if t.at_least is not None and positive < t.at_least:
            continue
        if t.at_most is not None and positive + unknown > t.at_most:
            continue
        return t
    return None


class _Run:
    """One assessment in progress; keeps ``assess`` itself short and readable."""

    def __init__(self, encounter: Encounter, lib: Library):
        self.enc = encounter
        self.lib = lib
        self.facts = Facts(encounter, lib.items)
        self.fired: list[Rule] = []
        self.clusters: list[ClusterResult] = []
        self.decisions: list[DecisionResult] = []

    def run(self) -> None:
        for rule_id in self.lib.rule_order:
            rule = self.lib.rules[rule_id]
            eff = rule.effect
            if isinstance(eff, ClusterEffect):
                truth = self._cluster(rule, eff)
            elif isinstance(eff, PointsEffect):
                truth = self._points(rule, eff)
            elif isinstance(eff, DecisionEffect):
                truth = self._decision(rule, eff)
            else:
                truth = evaluate(rule.when, self.facts)
            self.facts.rule_truth[rule_id] = truth
            if truth is True:
                self.fired.append(rule)

    def _cluster(self, rule: Rule, eff: ClusterEffect) -> Truth:
        gate = evaluate(rule.when, self.facts)
        values = [evaluate(ci.when, self.facts) for ci in eff.items]
        tested = [evaluate(ci.tested, self.facts) if ci.tested is not None else None for ci in eff.items]
        positive = sum(v is True for v in values)
        negative = sum(v is False for v in values)
        unknown = len(values) - positive - negative
        self.facts.rule_value[rule.id] = Interval(positive, positive + unknown)
        threshold = eff.positive_from or min((t.at_least for t in eff.thresholds if t.at_least), default=1)
        count_truth: Truth = True if positive >= threshold else False if positive + unknown < threshold else None
        if eff.positive_when is not None:
            count_truth = evaluate(eff.positive_when, self.facts)
        truth = kleene_all([gate, count_truth])
        if gate is False or (positive == 0 and negative == 0 and not any(tested)):
            return truth
        band = _band(eff.thresholds, positive, unknown)
        lr = None
        if band is not None:
            lr = (band.lr_positive or band.lr_negative)
        pretest = self.enc.pretest_probabilities.get(rule.id, eff.pretest_probability)
        post = post_test_probability(pretest, lr.point) if (pretest and lr and lr.point) else None
        if band is not None:
            interpretation = band.interpretation
        elif unknown:
            interpretation = f"{len(values) - unknown} of {len(values)} items tested: not enough to read the cluster yet."
        else:
            interpretation = "No threshold of this cluster is met; it neither rules in nor rules out."
        self.clusters.append(
            ClusterResult(
                id=rule.id, title=rule.title, target=eff.target,
                positive=positive, negative=negative, not_tested=unknown, total=len(values),
                complete=unknown == 0,
                positive_items=[ci.label for ci, v in zip(eff.items, values, strict=True) if v is True],
                band=band.label if band else None, interpretation=interpretation,
                lr_positive=band.lr_positive.point if band and band.lr_positive else None,
                lr_negative=band.lr_negative.point if band and band.lr_negative else None,
                pretest_probability=pretest if lr else None,
                pretest_source=eff.pretest_source if lr else None,
                posttest_probability=post,
                verification=band.verification if band else "primary",
                called_positive=truth, caveat=eff.caveat, reason=rule.reason, references=list(rule.references),
            )
        )
        return truth

    def _points(self, rule: Rule, eff: PointsEffect) -> Truth:
        values = [evaluate(cat.when, self.facts) for cat in eff.categories]
        points = sum(v is True for v in values)
        unknown = sum(v is None for v in values)
        self.facts.rule_value[rule.id] = Interval(points, points + unknown)
        truth = evaluate(rule.when, self.facts)
        if points or unknown == 0:
            missing = [cat.label for cat, v in zip(eff.categories, values, strict=True) if v is None]
            self.decisions.append(
                DecisionResult(
                    id=rule.id, title=rule.title, applicable=True,
                    outcome=band_for(points, eff.bands),
                    score=points, band=band_for(points, eff.bands), missing=missing,
                    reason=rule.reason, references=list(rule.references),
                )
            )
        return truth

    def _decision(self, rule: Rule, eff: DecisionEffect) -> Truth:
        applies = evaluate(eff.applies_when, self.facts) if eff.applies_when is not None else True
        # Unknown applicability is read as "applies": a rule that calls for imaging is not
        # switched off because a question about the patient was left unanswered.
        truth = evaluate(rule.when, self.facts) if applies is not False else False
        items = c.item_ids(rule.when)
        answered = [i for i in items if i in self.enc.findings]
        if not answered and truth is not True:
            return truth
        missing = sorted(self.lib.items[i].label for i in items if i not in self.enc.findings and i in self.lib.items)
        outcome = None
        if applies is False:
            outcome = eff.not_applicable or "Rule not applicable to this patient"
        elif truth is True:
            outcome = eff.outcome
        elif truth is False:
            outcome = eff.otherwise
        self.decisions.append(
            DecisionResult(
                id=rule.id, title=rule.title, applicable=applies is not False, outcome=outcome,
                missing=missing if truth is None else [], reason=rule.reason, references=list(rule.references),
            )
        )
        return truth


def assess(encounter: Encounter, lib: Library) -> Assessment:
    run = _Run(encounter, lib)
    run.run()
    fired = run.fired

    red_flags = [
        RedFlag(id=r.id, title=r.title, tier=r.effect.tier, action=r.effect.action, suggests=list(r.effect.suggests),
                triggered_by=_triggers(r, run.facts, lib), reason=r.reason, references=list(r.references))
        for r in fired if isinstance(r.effect, RedFlagEffect)
    ]
    red_flags.sort(key=lambda f: -TIER_ORDER[f.tier])
    urgency: Tier = red_flags[0].tier if red_flags else "ROUTINE"
    emergency = urgency == "EMERGENCY"

    ranked = _differential(fired, red_flags, lib)
    suspected = suspected_diagnoses(red_flags, ranked, lib)
    differential = apply_rank_floors(ranked, suspected, lib)
    proposed_imaging = [
        (ImagingSuggestion(id=r.id, title=r.title, scenario=r.effect.scenario, first=r.effect.first,
                           alternatives=list(r.effect.alternatives), not_appropriate=list(r.effect.not_appropriate),
                           review_in_weeks=r.effect.review_in_weeks, acr_topic=r.effect.acr_topic,
                           acr_version=r.effect.acr_version, verification=r.effect.verification,
                           classes=list(r.effect.classes), reason=r.reason, references=list(r.references)),
         list(r.effect.classes))
        for r in sorted((r for r in fired if isinstance(r.effect, ImagingEffect)), key=lambda r: r.effect.priority)  # type: ignore[union-attr]
        if isinstance(r.effect, ImagingEffect)
    ]
    proposed_treatment = [
        (TreatmentPathway(id=r.id, title=r.title, pathway=r.effect.pathway, steps=list(r.effect.steps),
                          reason=r.reason, references=list(r.references)),
         list(r.effect.classes))
        for r in sorted((r for r in fired if isinstance(r.effect, TreatmentEffect)), key=lambda r: r.effect.priority)  # type: ignore[union-attr]
        if isinstance(r.effect, TreatmentEffect)
    ]
    from_rules = [
        Contraindication(id=r.id, item=item, why=r.effect.why, references=list(r.references))
        for r in fired if isinstance(r.effect, ContraindicateEffect)
        for item in dict.fromkeys([*r.effect.items, *items_with_tags(r.effect.tags, lib)])
    ]
    proposed_protocols = [
        ProtocolSuggestion(id=r.id, protocol=r.effect.protocol, why=r.effect.why, classes=list(r.effect.classes),
                           references=list(r.references))
        for r in fired if isinstance(r.effect, SuggestProtocolEffect)
    ]
    policy = apply_policy(imaging=proposed_imaging, treatment=proposed_treatment, protocols=proposed_protocols,
                          contraindications=from_rules, held_by=holders(red_flags, suspected, lib), lib=lib)
    imaging, treatment = policy.imaging, policy.treatment
    contraindications, suggestions = policy.contraindications, policy.suggested_protocols
    scores = [s for s in (compute_score(d, encounter, lib.items) for d in lib.scores.values()) if s.answered]
    level = localise(encounter, lib.items, lib.lookalikes)

    questions = open_questions(run.facts, lib)
    if emergency:
        headline = f"EMERGENCY: stop the routine examination and act now. {red_flags[0].action}"
    elif red_flags:
        headline = f"{urgency.replace('_', ' ')}: {red_flags[0].title}. {red_flags[0].action}"
    else:
        headline = "No red flag raised by the findings recorded so far."
    headline += lead_above_urgency(differential, urgency, questions)

    refs: list[str] = []
    for group in (red_flags, run.clusters, run.decisions, scores, differential, imaging, treatment,
                  contraindications, suggestions, policy.do_not):
        for entry in group:
            refs.extend(entry.references)
    if level is not None:
        refs.extend(level.references)
    return Assessment(
        urgency=urgency, stop_examination=emergency, headline=headline, red_flags=red_flags,
        clusters=run.clusters, decisions=run.decisions, scores=scores, level=level,
        differential=differential, imaging=imaging, treatment=treatment,
        contraindications=contraindications, suggested_protocols=suggestions, held_back=policy.held_back,
        do_not=policy.do_not, suspected=suspected,
        flags=[r.id for r in fired if isinstance(r.effect, FlagEffect)],
        open_questions=questions,
        references=list(dict.fromkeys(refs)),
    )


def leading_above_urgency(differential: list[DifferentialEntry], urgency: Tier) -> DifferentialEntry | None:
    """The leading diagnosis when its tier is above the urgency (an acute coronary syndrome or a
    dissection on top under "no red flag"), else None."""
    if differential and TIER_ORDER[differential[0].tier] > TIER_ORDER[urgency]:
        return differential[0]
    return None


def lead_above_urgency(differential: list[DifferentialEntry], urgency: Tier, questions: list[OpenQuestion]) -> str:
    """A sentence for the headline when the leading diagnosis is more urgent than the urgency, so
    it never sits under a bare "no red flag" and a routine plan. Empty otherwise."""
    lead = leading_above_urgency(differential, urgency)
    if lead is None:
        return ""
    tier = lead.tier.replace("_", " ")
    if any(lead.id in q.suggests for q in questions):
        return (f" {lead.name} ({tier} if confirmed) leads the differential and its red flag is not decided yet: "
                "answer the questions that decide it before a routine plan.")
    return (f" {lead.name} ({tier} if confirmed) leads the differential, though the answers recorded meet no "
            "red flag for it: review the findings before a routine plan.")


def _differential(fired: list[Rule], red_flags: list[RedFlag], lib: Library) -> list[DifferentialEntry]:
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    refs: dict[str, list[str]] = defaultdict(list)
    raised: set[str] = set()  # diagnoses some finding other than a supporting one points to
    for rule in fired:
        if isinstance(rule.effect, DifferentialEffect):
            eff = rule.effect
            evidence[eff.diagnosis].append(Evidence(rule=rule.id, finding=eff.finding, weight=eff.weight))
            refs[eff.diagnosis].extend(rule.references)
            if eff.weight > 0 and not eff.supporting:
                raised.add(eff.diagnosis)
    for flag in red_flags:
        for suggested in flag.suggests:
            weight = RED_FLAG_WEIGHT[flag.tier]
            evidence[suggested].append(Evidence(rule=flag.id, finding=f"red flag: {flag.title}", weight=weight))
            refs[suggested].extend(flag.references)
            if weight > 0:
                raised.add(suggested)
    entries: list[DifferentialEntry] = []
    for dx_id, ev in evidence.items():
        dx = lib.diagnoses.get(dx_id)
        if dx is None or dx_id not in raised:  # risk factors alone never list a diagnosis
            continue
        score = round(dx.prior + sum(e.weight for e in ev), 2)
        pro = [e for e in ev if e.weight > 0]
        con = [e for e in ev if e.weight < 0]
        entries.append(
            DifferentialEntry.model_validate({
                "id": dx.id, "name": dx.name, "score": score, "tier": dx.default_tier,
                "for": pro, "against": con,
                "reason": f"{len(pro)} finding(s) for, {len(con)} against; ranked by summed rule weights.",
                "references": list(dict.fromkeys(list(dx.references) + refs[dx_id])),
            })
        )
    entries.sort(key=lambda e: (-e.score, -TIER_ORDER[e.tier], e.name))
    return entries

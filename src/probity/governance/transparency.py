"""The transparency record, in the shape of the UK Algorithmic Transparency Recording Standard
(tier 1 and tier 2), and a model card: filled from the policy file, the data contract, the
detector catalogue and the last run's measured figures, never by hand."""

from __future__ import annotations

from typing import Any

from probity.contract.tables import TABLES
from probity.detectors.registry import all_detectors
from probity.policy import Policy

DESCRIPTION = (
    "Probity brings together a police force's workforce data (HR, rosters, overtime and "
    "expenses, absence, complaints and conduct, vetting, declared interests, and the audit "
    "trail of look-ups in police systems) and surfaces potential misconduct, welfare and "
    "culture concerns for professional-standards and welfare teams to review. It never "
    "decides about a person: it surfaces, explains and records; people decide."
)
HUMAN_REVIEW = (
    "Every queue entry is reviewed by a person in the role that serves its purpose "
    "(professional standards or welfare), who sees the evidence rows behind each signal and "
    "records a decision with a reason (no further action, management advice, referral for a "
    "professional-standards assessment, referral to welfare). Identities are pseudonymous until "
    "a reviewer reveals one with a reason. Every view, reveal, export, decision, configuration "
    "change and run is written to a hash-chained audit log that an auditor can query."
)
RISKS = (
    (
        "Historic complaint and conduct records are biased (the Casey Review found Black officers "
        "81% more likely than White colleagues to receive a misconduct allegation).",
        "Sex and ethnicity are never detector or model inputs; flag rates and the model's "
        "calibration are audited by group on every run, with alerts outside 0.8–1.25.",
    ),
    (
        "False positives: innocent explanations for what a detector sees.",
        "Each detector documents its innocent explanations, is tested against look-alike decoys, "
        "and raises a signal for review only; people decide.",
    ),
    (
        "Intrusion and function creep: a system that reads look-up trails and personal data.",
        "Roles and purposes limit who sees what; health data is for the welfare purpose only; "
        "pseudonyms until a reason is given; every access is audited; retention removes what "
        "nobody acted on.",
    ),
    (
        "Wrongly joined identities across systems.",
        "Linkage thresholds are in the policy file; uncertain links go to clerical review, whose "
        "judgements override the model; each link carries its method and probability.",
    ),
)


def record(
    policy: Policy, report: dict[str, Any], evaluation: dict[str, Any] | None
) -> dict[str, Any]:
    t = policy.transparency
    detectors = report.get("detectors", {})
    tables = report.get("tables", {})
    return {
        "standard": "UK Algorithmic Transparency Recording Standard",
        "tier_1": {
            "name": "Probity",
            "description": DESCRIPTION,
            "organisation": t.organisation,
            "contact": t.contact,
            "phase": t.phase,
            "how_it_is_used": HUMAN_REVIEW,
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation": t.organisation,
                "team": t.team,
                "senior_responsible_owner": t.senior_responsible_owner,
                "supplier": "Probity (open source), deployed and operated by the organisation",
            },
            "description_and_rationale": DESCRIPTION,
            "decision_making_process": HUMAN_REVIEW,
            "tool_specification": {
                "detectors": [
                    {
                        "name": d.name,
                        "concern": d.concern,
                        "purpose": d.purpose,
                        "looks_for": d.looks_for,
                        "thresholds": d.params(policy.thresholds(d.name)),
                        "last_run": detectors.get(d.name, {}).get("status"),
                        "signals_last_run": detectors.get(d.name, {}).get("signals"),
                    }
                    for d in all_detectors()
                ],
                "early_warning_model": model_card(report),
            },
            "data": {
                "sources": [
                    {
                        "table": spec.name,
                        "lawful_regime": spec.regime,
                        "provided_last_run": spec.name in tables,
                        "rows_loaded_last_run": tables.get(spec.name, {}).get("rows_loaded"),
                        "protected_columns": [c.name for c in spec.columns if c.protected],
                        "health_columns": [c.name for c in spec.columns if c.health],
                    }
                    for spec in TABLES
                ],
                "protected_characteristics": "read only by the fairness audit, never as inputs",
                "retention": {
                    "signals_nobody_acted_on_days": policy.retention.signal_days,
                    "no_further_action_decisions_days": policy.retention.no_further_action_days,
                    "runs_kept": policy.runs_kept,
                },
            },
            "risks": [{"risk": r, "mitigation": m} for r, m in RISKS],
            "latest_run": {
                "run_id": report.get("run_id"),
                "finished_at": report.get("finished_at"),
                "queue": report.get("queue"),
                "fairness": {
                    "alerts": report.get("fairness", {}).get("alerts", []),
                    "ratios": fairness_ratios(report),
                    "held_by_the_gate": {
                        name: held["because"]
                        for name, held in report.get("fairness", {})
                        .get("gate", {})
                        .get("held", {})
                        .items()
                    },
                },
            },
            "latest_evaluation": evaluation_summary(evaluation),
        },
    }


def model_card(report: dict[str, Any]) -> dict[str, Any]:
    m = report.get("model", {})
    card: dict[str, Any] = {"status": m.get("status"), "reason": m.get("reason")}
    if m.get("status") == "ran":
        card.update(
            {
                "predicts": m["label"],
                "method": "gradient-boosted trees (LightGBM), isotonic calibration, tree SHAP reasons",
                "validation": "rolling origin in time; training labels end before each test cutoff",
                "training_examples": m["training_examples"],
                "training_positives": m["training_positives"],
                "backtest": m["backtest"],
                "top_features": [f["feature"] for f in m["top_features"]],
                "signals_last_run": m["signals"],
                "calibration_by_group": report.get("fairness", {}).get("model_calibration"),
                "limitations": "learns from historic outcomes, which carry the bias of what was reported "
                "and investigated; used as one weak signal among detectors, never alone",
            }
        )
    return card


def fairness_ratios(report: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    fairness = report.get("fairness", {})
    sets = {**fairness.get("purposes", {})}
    if fairness.get("model"):
        sets["early_warning_model"] = fairness["model"]
    return {
        f"{name}/{dim}/{g['group']}": g.get("ratio")
        for name, section in sets.items()
        for dim, groups in section.get("groups", {}).items()
        for g in groups
        if not g.get("suppressed")
    }


def evaluation_summary(evaluation: dict[str, Any] | None) -> dict[str, Any] | None:
    if not evaluation:
        return None
    ps = evaluation["purposes"]["professional_standards"]
    k = ps["at_k"]["one_and_a_half_times_planted"]
    baseline = ps.get("baseline", {}).get("at_k", {}).get("one_and_a_half_times_planted", {})
    return {
        "run_id": evaluation["run_id"],
        "note": "measured against planted cases in a synthetic force",
        "k": k["k"],
        "precision_at_k": k["precision"],
        "recall_at_k": k["recall"],
        "decoys_at_k": k["decoys"],
        "baseline_true_positives_at_k": baseline.get("true_positives"),
        "true_positive_ratio_to_baseline": baseline.get("true_positive_ratio"),
    }


def markdown(rec: dict[str, Any]) -> str:
    """The record as a readable page (the JSON is the authoritative form)."""
    t1, t2 = rec["tier_1"], rec["tier_2"]
    lines = [
        "# Algorithmic transparency record: Probity",
        "",
        "## Tier 1",
        "",
        f"- **Organisation**: {t1['organisation']}",
        f"- **Contact**: {t1['contact']}",
        f"- **Phase**: {t1['phase']}",
        "",
        t1["description"],
        "",
        t1["how_it_is_used"],
        "",
        "## Tier 2",
        "",
        "### Owner and responsibility",
        "",
        *(f"- **{k.replace('_', ' ')}**: {v}" for k, v in t2["owner_and_responsibility"].items()),
        "",
        "### Detectors (thresholds from the policy file; signals in the last run)",
        "",
        "| detector | concern | purpose | signals |",
        "|---|---|---|---:|",
        *(
            f"| {d['name']} | {d['concern']} | {d['purpose']} | {d['signals_last_run'] if d['signals_last_run'] is not None else '–'} |"
            for d in t2["tool_specification"]["detectors"]
        ),
        "",
        "### Early-warning model",
        "",
        *(
            f"- **{k.replace('_', ' ')}**: {v}"
            for k, v in t2["tool_specification"]["early_warning_model"].items()
            if v is not None
        ),
        "",
        "### Data",
        "",
        "| table | regime | provided | rows |",
        "|---|---|---|---:|",
        *(
            f"| {s['table']} | {s['lawful_regime']} | {'yes' if s['provided_last_run'] else 'no'} | {s['rows_loaded_last_run'] if s['rows_loaded_last_run'] is not None else '–'} |"
            for s in t2["data"]["sources"]
        ),
        "",
        f"Protected characteristics: {t2['data']['protected_characteristics']}.",
        "",
        "### Risks and mitigations",
        "",
        *(f"- {r['risk']} *Mitigation*: {r['mitigation']}" for r in t2["risks"]),
        "",
        "### Latest run and fairness audit",
        "",
        f"Run {t2['latest_run']['run_id']}, finished {t2['latest_run']['finished_at']}; queue {t2['latest_run']['queue']}.",
        f"Fairness alerts: {len(t2['latest_run']['fairness']['alerts'])}.",
        *(f"- {a}" for a in t2["latest_run"]["fairness"]["alerts"]),
        *(
            f"- Held out of the queue by the fairness gate: `{name}` ({because})."
            for name, because in t2["latest_run"]["fairness"]["held_by_the_gate"].items()
        ),
        "",
        "### Latest evaluation",
        "",
        *(
            [f"- **{k.replace('_', ' ')}**: {v}" for k, v in t2["latest_evaluation"].items()]
            if t2["latest_evaluation"]
            else ["No evaluation recorded for the current run."]
        ),
        "",
    ]
    return "\n".join(lines)

"""Pay gap sections (sex, ethnicity, disability) from protected `PayGapReport` dicts."""

from __future__ import annotations

from typing import Any

from parity.report.questions import paygap_findings, questions_for
from parity.report.view import TAGS, Fmt, Section, Table, words

LABELS = {"male": "Men", "female": "Women"}
TITLES = {"sex": "Gender pay gap", "ethnicity": "Ethnicity pay gap", "disability": "Disability pay gap"}
MEASURES = (("mean_hourly_gap", "Mean hourly pay gap"), ("median_hourly_gap", "Median hourly pay gap"),
            ("mean_bonus_gap", "Mean bonus pay gap"), ("median_bonus_gap", "Median bonus pay gap"))
DEFINITION = {
    "Regulations": "Gender Pay Gap Information Regulations 2017 (regs 6–13), applied to public authorities by the "
                   "Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017, Schedule 1; the "
                   "ethnicity gap follows the government's Ethnicity pay reporting guidance (2023).",
    "Population": "Relevant employees at the 31 March snapshot; hourly measures and quarters use full-pay relevant "
                  "employees only.",
    "Gap": "(reference − comparison) ÷ reference × 100: positive when the reference group is paid more.",
    "Statistics": "Bootstrap percentile intervals (stratified); within-band gaps and a band-mix / within-band "
                  "decomposition of the mean gap (explanation aids, not in the regulations).",
}


def label(group: str) -> str:
    return LABELS.get(group, group)


def paygap_section(by: str, pg: dict[str, Any], marker: str) -> Section:
    results = pg.get("results") or []
    withheld = bool(pg.get("suppressed")) or any(r.get("withheld") for r in results)
    f = Fmt(marker, withheld)
    first = results[0] if results else {}
    found = paygap_findings(first, pg.get("bootstrap_intervals"), pg.get("decomposition"), pg.get("within_band") or [])
    tag_label, colour = TAGS.get(found[0], ("", "grey"))
    ref, cmp = label(first.get("reference_group", "")), label(first.get("comparison_group", ""))
    tables = [_measures(results, f), *[_quarters(r, f) for r in results[:1]], _within_band(pg, f), _decomposition(pg, f)]
    intervals = pg.get("bootstrap_intervals") or {}
    notes = [n for r in results for n in r.get("notes") or []] + list(pg.get("notes") or [])
    mean_ci = intervals.get("mean") or {}
    from parity.report.findings import _cap, _pay_group  # "White staff", "ethnic minority staff", "women"

    narrative = "" if first.get("mean_hourly_gap") is None else (
        f"{_cap(_pay_group(first.get('reference_group')))} were paid on average {abs(first['mean_hourly_gap']):.1f}% "
        f"{'more' if first['mean_hourly_gap'] >= 0 else 'less'} "
        f"per hour than {_pay_group(first.get('comparison_group'))} (mean; 95% bootstrap interval "
        f"{f.ci(mean_ci.get('ci_low'), mean_ci.get('ci_high'), 1)}); the median gap is {f.pct(first.get('median_hourly_gap'))}.")
    quality = []
    if first.get("not_disclosed_percent") is not None:
        quality.append(f"Not disclosed: {first['not_disclosed_percent']:.1f}% of relevant employees.")
    for reason, n in (first.get("excluded") or {}).items():
        quality.append(f"Left out ({words(reason).lower()}): {f.count(n)}.")
    return Section(
        id=f"paygap.{by}", anchor=f"paygap-{by}", standard="Pay gaps", title=TITLES.get(by, by),
        headline=f.pct(first.get("mean_hourly_gap")), headline_label=f"Mean hourly gap ({ref} − {cmp})",
        tag=(tag_label, colour), trend="—", narrative=narrative, tables=[t for t in tables if t.rows],
        data_quality=quality, notes=notes, questions=questions_for(f"paygap.{by}", found),
        definition=DEFINITION, withheld=withheld)


def _measures(results: list[dict], f: Fmt) -> Table:
    header = ["Comparison", *[name for _, name in MEASURES], "Bonus % (reference)", "Bonus % (comparison)"]
    rows = []
    for r in results:
        bonus = r.get("bonus_percent") or {}
        rows.append([f"{label(r['reference_group'])} vs {label(r['comparison_group'])}",
                     *[f.pct(r.get(key)) for key, _ in MEASURES],
                     f.pct(bonus.get(r["reference_group"])), f.pct(bonus.get(r["comparison_group"]))])
    return Table("The six statutory measures", header, rows, [False] + [True] * (len(header) - 1))


def _quarters(r: dict, f: Fmt) -> Table:
    ref, cmp = r["reference_group"], r["comparison_group"]
    rows = [[q["quarter"].replace("_", " ").capitalize(), f.count((q.get("counts") or {}).get(ref)),
             f.pct((q.get("percent") or {}).get(ref)), f.count((q.get("counts") or {}).get(cmp)),
             f.pct((q.get("percent") or {}).get(cmp))] for q in r.get("quarters") or []]
    return Table("Pay quarters (lower to top)", ["Quarter", f"{label(ref)} (n)", f"{label(ref)} %",
                                                 f"{label(cmp)} (n)", f"{label(cmp)} %"], rows,
                 [False, True, True, True, True])


def _within_band(pg: dict, f: Fmt) -> Table:
    rows = [[words(r.get("pay_band")), f.count(r.get("n_reference")), f.count(r.get("n_comparison")),
             f.pct(r.get("mean_gap")), f.pct(r.get("median_gap"))] for r in pg.get("within_band") or []]
    return Table("Gaps within pay bands", ["Pay band", "Reference (n)", "Comparison (n)", "Mean gap", "Median gap"],
                 rows, [False, True, True, True, True])


def _decomposition(pg: dict, f: Fmt) -> Table:
    d = pg.get("decomposition") or {}
    if not d:
        return Table("", [], [])
    return Table("Mean gap: band mix and pay within bands", ["Total mean gap", "Band mix", "Within band"],
                 [[f.pct(d.get("total_gap")), f.pct(d.get("band_mix")), f.pct(d.get("within_band"))]],
                 [True, True, True])

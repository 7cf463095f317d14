"""Time to progression and to leaving: Kaplan–Meier curves, log-rank tests and Cox models by group.

`parity explore progression --method survival` and `parity explore retention --method survival`
(issue 17). From every 31 March snapshot up to ``year`` (spells: `survival_data`), for each
attribute in ``by``: each group's Kaplan–Meier curve and median time (years in band before
promotion, or in post before leaving), a log-rank test across the groups and against the
reference, and a Cox model giving each group's hazard ratio against the reference adjusted for
``adjust`` (default starting band — as strata —, staff group, FTE and age band; `survival_fit`).
A hazard ratio below 1 means the group is promoted (or leaves) at a lower rate than the reference.

Groups below ``min_cell`` spells (or whose reference is) are counted but not modelled; the Unknown
group is counted and shown, never compared (as everywhere in the explorer). Findings carry their
four counts (spells and events of the group and the reference), so the published view
(`protect_survival`) withholds them as `parity.disclosure.explore` withholds any finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parity.contract.codes import BAND_ORDER, STAFF_GROUPS
from parity.explore.attributes import ATTRIBUTES, DEFAULT_REFERENCE, UNKNOWN, attribute, with_attributes
from parity.explore.phrases import describe
from parity.explore.result import ExploreResult
from parity.explore.sources import open_sources
from parity.explore.survival_data import SPELL_COLUMNS, leaving_spells, promotion_spells
from parity.explore.survival_fit import cox, km_curve, logrank, median

OUTCOMES = {"progression": "promotion", "retention": "leaving"}
DEFAULT_ADJUST = ("band", "staff_group", "fte", "age_band")
ADJUST_WORDS = {"band": "band", "staff_group": "staff group", "fte": "FTE", "age_band": "age band"}
BAD_ADJUST = "--adjust {name!r}: choose from band, fte or an attribute ({valid})"
BAD_BAND = "--band {band!r} is not an Agenda for Change band: choose from {valid}"
NO_REST = ("--reference rest is not available with --method survival: each group is compared with a named "
           "reference (e.g. --reference ethnicity=White)")
NOTE_TRUNCATED = ("{n:,} of {total:,} spells were already under way at the first snapshot ({first}): the "
                  "data hold no date of entry, so their clock starts when first seen and their time is "
                  "understated (use only spells that start within the data to avoid this).")
NOTE_TIES = ("Times come from yearly snapshots, so many are tied: the Cox models use Efron's method "
             "for ties{strata}.")
NOTE_CENSORING = {
    "promotion": "A person who leaves, moves down or off the Agenda for Change ladder is censored when last "
                 "seen in band, not counted as never promoted. Medical grades are not on the ladder.",
    "leaving": "A person still in post at the last snapshot, or gone without a leaver record, is censored "
               "when last seen.",
}
NOTE_NO_LEAVERS = "No leavers table (or it is empty): a person missing from the next snapshot is counted as leaving then."
NOTE_NO_SPELLS = "No spells: the workforce needs at least two 31 March snapshots up to {year}."


def survival(source, *, kind: str = "progression", year: int, by=("ethnicity",), reference=None,
             adjust=DEFAULT_ADJUST, band: str | None = None, staff_group: str | None = None,
             new_only: bool = False, fdr: float = 0.05, min_cell: int = 30, org: str | None = None,
             **_ignored) -> ExploreResult:
    """Survival analysis of promotion (``kind="progression"``) or leaving (``"retention"``)."""
    from scipy.stats import false_discovery_control

    event = OUTCOMES[kind]
    by, adjust = tuple(by), tuple(adjust or ())
    for name in by:
        attribute(name)  # a clear error for unknown names
    for name in adjust:
        if name not in ("band", "fte") and name not in ATTRIBUTES:
            raise ValueError(BAD_ADJUST.format(name=name, valid=", ".join(ATTRIBUTES)))
    if reference == "rest":
        raise ValueError(NO_REST)
    if staff_group in STAFF_GROUPS:  # a national code: its label, as the attribute gives it
        staff_group = STAFF_GROUPS[staff_group][0]
    if band is not None and band not in BAND_ORDER:
        raise ValueError(BAD_BAND.format(band=band, valid=", ".join(BAND_ORDER)))
    spells, notes = _spells(source, event, year=year, by=by, adjust=adjust, staff_group=staff_group, org=org)
    if band is not None:
        spells = spells[spells.start_band == band]
    if staff_group is not None:
        spells = spells[spells.staff_group.str.lower() == staff_group.lower()]
    if new_only:
        spells = spells[~spells.left_truncated]
    findings, not_tested, groups, curves, tests = [], [], [], [], []
    context = {"year": year, "scope": scope(band, staff_group)}
    for name in by:
        ref = _reference(spells, name, reference)
        f, nt, g, c, t = _attribute(spells, name, ref, event, adjust, min_cell, context)
        findings += f
        not_tested += nt
        groups.append(g)
        curves.append(c)
        tests.append(t)
    if findings:
        p = np.array([f["p_value"] if f["p_value"] is not None else 1.0 for f in findings])
        q = false_discovery_control(p)
        for f, qi in zip(findings, q, strict=True):
            f["p_adjusted"] = None if f["p_value"] is None else float(qi)
            f["significant"] = f["p_value"] is not None and bool(qi < fdr)
    for f in findings:
        f["narrative"] = sentence(f, event, band=band, staff_group=staff_group, adjust=adjust)
    findings.sort(key=lambda f: (not f["significant"], f["p_value"] if f["p_value"] is not None else 2))
    if len(spells):
        n_trunc, first = int(spells.left_truncated.sum()), int(spells.start_year.min())
        notes.append(NOTE_TRUNCATED.format(n=n_trunc, total=len(spells), first=f"31 March {first}"))
        notes.append(NOTE_CENSORING[event])
        notes.append(NOTE_TIES.format(strata=", stratified by starting band" if "band" in adjust else ""))
    elif not notes:
        notes.append(NOTE_NO_SPELLS.format(year=year))
    return ExploreResult(
        kind=kind, frame=_frame(groups), findings=findings,
        comparisons=sum(1 for f in findings if f["p_value"] is not None), not_tested=not_tested,
        settings={"method": "survival", "outcome": event, "year": year, "org": org, "by": list(by),
                  "reference": reference, "adjust": list(adjust), "band": band, "staff_group": staff_group,
                  "new_spells_only": new_only, "fdr": fdr, "min_cell": min_cell, "ties": "efron",
                  "strata": "start_band" if "band" in adjust else None, "time_unit": "years"},
        notes=notes,
        tables={"groups": _frame(groups), "curves": _frame(curves), "logrank": _frame(tests)},
    )


def _frame(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _spells(source, event: str, *, year: int, by, adjust, staff_group, org) -> tuple[pd.DataFrame, list[str]]:
    """Spells with the `by` and `adjust` attributes (and FTE) as at their start."""
    names = list(dict.fromkeys([*by, *[a for a in adjust if a not in ("band", "fte")],
                                *(["staff_group"] if staff_group else [])]))
    notes: list[str] = []
    src = open_sources(source, org=org)
    try:
        if not src.has("workforce"):
            return _no_spells(names), ["No workforce table in this workspace."]
        staff = src.staff.filter(src.staff.year <= year)
        t = with_attributes(staff, names).select("org_code", "person_id", "year", "pay_band", *names)
        if "fte" in adjust:
            t = t.left_join(_fte(src), ["org_code", "year", "person_id"]).select(*t.columns, "fte")
        panel = t.to_pandas()
        leavers = None
        if event == "leaving":
            if src.has("leavers"):
                leavers = src.table("leavers").select("org_code", "person_id", "leave_date").to_pandas()
            if leavers is None or leavers.empty:  # a workspace's leavers table is empty until imported
                leavers = None
                notes.append(NOTE_NO_LEAVERS)
    finally:
        src.release()
    if panel.empty:
        return _no_spells(names), notes
    if event == "promotion":
        return promotion_spells(panel, last_year=year), notes
    return leaving_spells(panel, leavers, last_year=year), notes


def _no_spells(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("time", "event") else object)
                         for c in [*SPELL_COLUMNS, *names]})


def _fte(src):
    """Each person's contracted FTE at each 31 March: the sum over their non-bank assignments."""
    from parity.indicators.periods import is_year_end

    wf = src.table("workforce")
    wf = wf.filter(is_year_end(wf.snapshot_date) & (wf.assignment_category != "bank"))
    wf = wf.mutate(year=wf.snapshot_date.year().cast("int64"))
    return wf.group_by(["org_code", "year", "person_id"]).aggregate(fte=wf.fte.sum())


def _reference(spells: pd.DataFrame, name: str, reference) -> str | None:
    if isinstance(reference, dict) and name in reference:
        return reference[name]
    if name in DEFAULT_REFERENCE:
        return DEFAULT_REFERENCE[name]
    known = spells.loc[spells[name] != UNKNOWN, name] if name in spells else pd.Series(dtype=str)
    return None if known.empty else str(known.value_counts().idxmax())  # the largest group


def _attribute(spells, name, ref, event, adjust, min_cell, context):
    """Findings, untested cells, the group table, curves and log-rank tests of one attribute."""
    groups, curves, findings, not_tested = [], [], [], []
    stats = {}
    for value, part in spells.groupby(name, sort=True):
        m = median(part.time.to_numpy(), part.event.to_numpy())
        stats[value] = {"n": len(part), "events": int(part.event.sum()), **m}
        groups.append({"attribute": name, "group": value, "reference": value == ref, **stats[value],
                       "left_truncated": int(part.left_truncated.sum()),
                       "follow_up_years": float(part.time.max())})
        curves.append(km_curve(part.time.to_numpy(), part.event.to_numpy()).assign(attribute=name, group=value))
    testable = [v for v, s in stats.items() if v != UNKNOWN and s["n"] >= min_cell]
    ref_ok = ref in testable
    used = spells[spells[name].isin(testable)]
    overall = logrank(used.time.to_numpy(), used.event.to_numpy(), used[name].to_numpy())
    test = pd.DataFrame([{"attribute": name, "groups": len(testable), **overall}])
    hr = pd.DataFrame()
    covariates = [a for a in adjust if a != "band" and a != name]
    if ref_ok and len(testable) > 1:
        model = used.dropna(subset=[c for c in covariates if c == "fte"])
        hr = cox(model, name, ref, covariates=covariates, strata="start_band" if "band" in adjust else None)
    hr = hr.set_index("value") if len(hr) else hr
    for value, s in stats.items():
        if value in (ref, UNKNOWN):
            continue
        r = stats.get(ref, {"n": 0, "events": 0})
        counts = {"events": s["events"], "n": s["n"], "reference_events": r["events"], "reference_n": r["n"]}
        base = {"outcome": event, "group": {name: value}, "reference_group": {name: ref}, "context": context}
        if value not in testable or not ref_ok:
            reason = "reference too small" if not ref_ok else f"fewer than {min_cell} spells"
            not_tested.append({**base, **counts, "reason": reason})
            continue
        pair = used[used[name].isin([value, ref])]
        lr = logrank(pair.time.to_numpy(), pair.event.to_numpy(), pair[name].to_numpy())
        h = hr.loc[value].to_dict() if len(hr) and value in hr.index else {}
        findings.append({**base, "counts": counts,
                         "median_years": s["median"], "median_ci_low": s["median_ci_low"],
                         "median_ci_high": s["median_ci_high"], "reference_median_years": r["median"],
                         "reference_median_ci_low": r["median_ci_low"],
                         "reference_median_ci_high": r["median_ci_high"],
                         "follow_up_years": float(pair.time.max()),
                         "logrank_chi2": lr["chi2"], "logrank_p": lr["p_value"],
                         "hazard_ratio": h.get("hazard_ratio"), "ci_low": h.get("ci_low"),
                         "ci_high": h.get("ci_high"), "p_value": h.get("p_value")})
    return findings, not_tested, pd.DataFrame(groups), _frame(curves), test


def scope(band: str | None, staff_group: str | None) -> str:
    """"band 5 staff in the Nursing and midwifery registered staff group", or "staff"."""
    text = f"band {band} staff" if band else "staff"
    return f"{text} in the {staff_group} staff group" if staff_group else text


def _years(x: float | None) -> str:
    return f"{x:.1f} years"


def sentence(f: dict, event: str, *, band: str | None, staff_group: str | None, adjust) -> str:
    """ "Among band 5 staff …, BME staff waited a median 4.1 years for promotion to band 6, White staff
    2.9 years; adjusted for band, staff group, FTE and age band, BME staff were promoted at 0.68 times
    the rate (95% CI 0.59–0.78)." """
    who, ref = describe(f["group"]), describe(f["reference_group"])
    follow = _years(f["follow_up_years"])
    m, m_ref = f["median_years"], f["reference_median_years"]
    if event == "promotion":
        ladder = list(BAND_ORDER)
        nxt = ladder[ladder.index(band) + 1] if band and band != ladder[-1] else None
        goal, still, verb = (f"promotion to band {nxt}" if nxt else "promotion"), "in band", "were promoted"
        waited = "waited a median {} for " + goal
        unreached = f"reached a median wait for {goal} within {follow} (more than half still {still})"
    else:
        still, verb = "in post", "left"
        waited = "stayed a median {} before leaving"
        unreached = f"reached a median stay within {follow} (more than half still {still})"
    if m is None and m_ref is None:
        wait = f"neither {who} nor {ref} {unreached}"
    elif m is None:
        wait = f"{who} had not {unreached}, {ref} {waited.format(_years(m_ref))}"
    elif m_ref is None:
        wait = f"{who} {waited.format(_years(m))}, while more than half of {ref} were still {still} after {follow}"
    else:
        wait = f"{who} {waited.format(_years(m))}, {ref} {_years(m_ref)}"
    text = f"Among {scope(band, staff_group)}, {wait}"
    if f.get("hazard_ratio") is None:
        return text + "; no hazard ratio could be estimated."
    words = [ADJUST_WORDS.get(a, a.replace("_", " ")) for a in adjust]
    adjusted = ("adjusted for " + (", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0])
                + ", ") if words else ""
    return (f"{text}; {adjusted}{who} {verb} at {f['hazard_ratio']:.2f} times the rate of {ref} "
            f"(95% CI {f['ci_low']:.2f}–{f['ci_high']:.2f}).")

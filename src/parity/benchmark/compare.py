"""Every organisation of a multi-organisation workspace against the national (all-organisations)
figure and its peers, for one indicator and year: value, funnel position, rank and percentile."""

from __future__ import annotations

import math

import numpy as np

from parity.benchmark.funnel import POSITIONS, Z95, Z998, difference_se0, overdispersion, position, ratio_se0

ADJUSTMENTS = ("none", "multiplicative", "additive")
FEW_ORGS = "Benchmarking needs two or more organisations in the workspace; it holds {n}"
NOT_COMPARABLE = "{indicator} is a {kind} indicator: funnel plots are for relative likelihoods and percentage gaps"
UNKNOWN_ORG = "No organisation {org!r} in {year} (organisations: {orgs})"


def _better_low(defn) -> bool:
    """True when a lower value is better for the disadvantaged group."""
    if defn.kind == "relative_likelihood":
        return defn.adverse_when != "below"
    return defn.higher_is_worse is not False


def compare(source, *, year: int, indicator: str = "wres.2", org: str | None = None,
            adjust: str = "none") -> dict:
    from parity.indicators.catalogue import CATALOGUE, indicators
    from parity.report.release import standard_results

    if adjust not in ADJUSTMENTS:
        raise ValueError(f"Unknown adjustment {adjust!r}: choose from {', '.join(ADJUSTMENTS)}")
    indicators("WRES")
    if indicator not in CATALOGUE:
        raise ValueError(f"Unknown indicator {indicator!r}: use a catalogue id such as wres.2")
    defn = CATALOGUE[indicator]
    if defn.kind not in ("relative_likelihood", "percentages", "difference"):
        raise ValueError(NOT_COMPARABLE.format(indicator=indicator, kind=defn.kind))
    results, orgs = standard_results(indicator.split(".")[0], source, years=[year])
    if len(orgs) < 2:
        raise ValueError(FEW_ORGS.format(n=len(orgs)))
    if org is not None and org not in orgs:
        raise ValueError(UNKNOWN_ORG.format(org=org, year=year, orgs=", ".join(orgs)))
    nat = results[((), year)][indicator]
    ga, gb = nat.groups[defn.group_a], nat.groups[defn.group_b]
    pa0, pb0 = ga.numerator / ga.denominator, gb.numerator / gb.denominator
    ratio = defn.kind == "relative_likelihood"
    rows = []
    for o in orgs:
        r = results.get(((o,), year))
        if r is None:
            continue
        ind = r[indicator]
        a, b = ind.groups[defn.group_a], ind.groups[defn.group_b]
        row = {"org": o, "value": ind.value, "denominator": int((a.denominator or 0) + (b.denominator or 0)),
               "se0": None, "z": None, "position": None}
        if a.denominator and b.denominator and ind.value is not None and (not ratio or ind.value > 0):
            if ratio:
                se = ratio_se0(a.denominator, b.denominator, pa0, pb0)
                row["se0"], row["z"] = se, (math.log(ind.value) - math.log(nat.value)) / se
            else:
                se = 100 * difference_se0(a.denominator, b.denominator, pa0, pb0)
                row["se0"], row["z"] = se, (ind.value - nat.value) / se
        rows.append(row)
    tested = [r for r in rows if r["z"] is not None]
    od = overdispersion(np.array([r["z"] for r in tested]), np.array([r["se0"] for r in tested]))
    for r in tested:
        inflate = 1.0
        if adjust == "multiplicative" and od["phi"]:
            inflate = math.sqrt(od["phi"])
        elif adjust == "additive" and od["tau2"] is not None:
            inflate = math.sqrt(r["se0"] ** 2 + od["tau2"]) / r["se0"]
        r["position"] = position(r["z"], inflate)
        r["limits"] = _limits(nat.value, r["se0"] * inflate, ratio)
    low_is_good = _better_low(defn)
    valued = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"],
                    reverse=not low_is_good)
    values = np.array([r["value"] for r in valued])
    for rank, r in enumerate(valued, 1):
        r["rank"] = rank  # 1 = the best for the disadvantaged group
        r["peer_percentile"] = round(100 * float(np.mean(values <= r["value"])), 1)
    out = {
        "indicator": indicator, "title": defn.title, "year": year, "kind": defn.kind,
        "better": "lower" if low_is_good else "higher",
        "national": {"value": nat.value, defn.group_a: {"numerator": ga.numerator, "denominator": ga.denominator},
                     defn.group_b: {"numerator": gb.numerator, "denominator": gb.denominator}},
        "limits": {"method": "normal approximation on the log scale" if ratio else "normal approximation",
                   "z95": Z95, "z998": Z998, "adjustment": adjust},
        "peers": {"organisations": len(values),
                  **({"median": float(np.median(values)), "q1": float(np.percentile(values, 25)),
                      "q3": float(np.percentile(values, 75))} if len(values) else {})},
        "organisations": rows, "overdispersion": od,
        "outliers": {p: [r["org"] for r in rows if r.get("position") == p] for p in POSITIONS if p != "within"},
    }
    if org is not None:
        out["organisation"] = next(r for r in rows if r["org"] == org)
    return out


def _limits(target: float, spread: float, ratio: bool) -> dict:
    """95% and 99.8% limits around the national value at this organisation's size."""
    if ratio:
        t = math.log(target)
        return {"95": [math.exp(t - Z95 * spread), math.exp(t + Z95 * spread)],
                "99.8": [math.exp(t - Z998 * spread), math.exp(t + Z998 * spread)]}
    return {"95": [target - Z95 * spread, target + Z95 * spread],
            "99.8": [target - Z998 * spread, target + Z998 * spread]}

"""Every organisation of a multi-organisation workspace against the national (all-organisations)
figure and its peers, for one indicator and year: value, funnel position, rank and percentile."""

from __future__ import annotations

import math

import numpy as np

from parity.benchmark import figures
from parity.benchmark import peers as peer_group
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
            adjust: str = "none", peers: str | None = None) -> dict:
    """Every organisation against the national figure: from the `benchmarks` table when it holds this
    year and indicator, otherwise counted from the workspace's raw tables (docs/benchmark.md)."""
    from parity.indicators.source import open_source

    if adjust not in ADJUSTMENTS:
        raise ValueError(f"Unknown adjustment {adjust!r}: choose from {', '.join(ADJUSTMENTS)}")
    defn = definition(indicator)
    con, _ = open_source(source)
    frame, origin = figures.from_table(con, year=year, indicator=indicator), "benchmarks table"
    if frame.empty:
        from parity.report.release import standard_results

        # the year's values only (no comparison with last year): the year and the one before counted
        results, orgs = standard_results(indicator.split(".")[0], con, years=[year], restrict_years=True)
        frame, origin = figures.from_results(results, orgs, year=year, defn=defn), "workspace"
    out = score(frame, defn, year=year, org=org, adjust=adjust, peers=peers)
    out["source"] = origin
    out["disclosure"] = disclosure(out["origins"])
    return out


def origins(rows: list[dict]) -> dict[str, int]:
    """How many of the organisations' figures came from each origin (`figures.ORIGINS`)."""
    out: dict[str, int] = {}
    for r in rows:
        key = r.get("origin") or "not recorded"
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


def describe(counts: dict[str, int]) -> str:
    """"Figures: published figures imported … (5 organisations); …" for the table and the JSON."""
    parts = [f"{figures.ORIGINS.get(k, k)} ({n} organisation{'s' if n != 1 else ''})" for k, n in counts.items()]
    return "Figures: " + "; ".join(parts) + "."


def disclosure(counts: dict[str, int]) -> dict:
    """What the comparison says about itself: protected only when no figure was computed unprotected
    (issue 10: analyst outputs stay honest, and so do published and protected ones)."""
    if "unprotected" in counts:
        from parity.commands.render import ANALYST_VIEW

        return {**ANALYST_VIEW, "origins": counts, "figures": describe(counts)}
    return {"protected": True, "marking": None, "origins": counts, "figures": describe(counts),
            "note": "Published or protected figures only: no count was computed unprotected in this run."}


def definition(indicator: str):
    """The catalogue entry of a comparable indicator; a clear error otherwise."""
    from parity.indicators.catalogue import CATALOGUE, indicators

    indicators("WRES")
    if indicator not in CATALOGUE:
        raise ValueError(f"Unknown indicator {indicator!r}: use a catalogue id such as wres.2")
    defn = CATALOGUE[indicator]
    if defn.kind not in figures.COMPARABLE_KINDS:
        raise ValueError(NOT_COMPARABLE.format(indicator=indicator, kind=defn.kind))
    return defn


def _num(v) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def national(frame, defn) -> dict:
    """The national figure: the organisations' counts pooled (those with all four counts)."""
    full = frame.dropna(subset=["numerator_a", "denominator_a", "numerator_b", "denominator_b"])
    xa, na, xb, nb = (float(full[c].sum()) for c in ("numerator_a", "denominator_a", "numerator_b", "denominator_b"))
    pa = xa / na if na else None
    pb = xb / nb if nb else None
    value = None
    if pa is not None and pb is not None:
        if defn.kind == "relative_likelihood":
            value = pa / pb if pb else None
        else:
            value = 100 * (pa - pb)
    return {"value": value, "pa": pa, "pb": pb, "organisations_pooled": len(full),
            defn.group_a: {"numerator": xa, "denominator": na}, defn.group_b: {"numerator": xb, "denominator": nb}}


def score(frame, defn, *, year: int, org: str | None = None, adjust: str = "none",
          peers: str | None = None) -> dict:
    """Funnel positions (around the national figure of every organisation in `frame`, whose columns
    are `figures.COLUMNS`), and ranks, percentiles and quartiles among the peers (`peer_group`)."""
    orgs = sorted(str(o) for o in frame["org_code"].dropna().unique())
    if len(orgs) < 2:
        raise ValueError(FEW_ORGS.format(n=len(orgs)))
    if org is not None and org not in orgs:
        raise ValueError(UNKNOWN_ORG.format(org=org, year=year, orgs=", ".join(orgs)))
    wanted = peer_group.parse(peers)
    members = peer_group.choose(frame, wanted, org) if wanted else orgs
    nat = national(frame, defn)
    pa0, pb0, target = nat.pop("pa"), nat.pop("pb"), nat["value"]
    ratio = defn.kind == "relative_likelihood"
    can_test = target is not None and pa0 and pb0 and pa0 < 1 and pb0 < 1 and (not ratio or target > 0)
    rows = []
    for rec in frame.sort_values("org_code").to_dict("records"):
        value = _num(rec["value"])
        na, nb = _num(rec["denominator_a"]), _num(rec["denominator_b"])
        row = {"org": rec["org_code"], "value": value, "denominator": int((na or 0) + (nb or 0)),
               "se0": None, "z": None, "position": None, "rank": None, "peer_percentile": None}
        for extra in ("org_name", "org_type", "region", "origin"):
            if rec.get(extra) is not None and rec.get(extra) == rec.get(extra):
                row[extra] = rec[extra]
        if can_test and na and nb and value is not None and (not ratio or value > 0):
            if ratio:
                se = ratio_se0(na, nb, pa0, pb0)
                row["se0"], row["z"] = se, (math.log(value) - math.log(target)) / se
            else:
                se = 100 * difference_se0(na, nb, pa0, pb0)
                row["se0"], row["z"] = se, (value - target) / se
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
        r["limits"] = _limits(target, r["se0"] * inflate, ratio)
    low_is_good = _better_low(defn)
    rows = [r for r in rows if r["org"] in set(members)]
    values = _rank(rows, low_is_good)
    out = {
        "indicator": defn.id, "title": defn.title, "year": year, "kind": defn.kind,
        "better": "lower" if low_is_good else "higher", "national": nat,
        "limits": {"method": "normal approximation on the log scale" if ratio else "normal approximation",
                   "z95": Z95, "z998": Z998, "adjustment": adjust},
        "peers": {"organisations": len(values), "members": members,
                  **({"chosen_by": wanted, "variables": list(peer_group.VARIABLES)} if wanted else {}),
                  **({"median": float(np.median(values)), "q1": float(np.percentile(values, 25)),
                      "q3": float(np.percentile(values, 75))} if len(values) else {})},
        "organisations": rows, "overdispersion": od, "origins": origins(rows),
        "outliers": {p: [r["org"] for r in rows if r.get("position") == p] for p in POSITIONS if p != "within"},
    }
    if org is not None:
        out["organisation"] = next(r for r in rows if r["org"] == org)
    return out


def _rank(rows: list[dict], low_is_good: bool) -> np.ndarray:
    """Rank (1 = the best for the disadvantaged group) and percentile (share of the peers with a
    value at or below this one) of each row with a value; returns the values."""
    valued = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"],
                    reverse=not low_is_good)
    values = np.array([r["value"] for r in valued])
    for rank, r in enumerate(valued, 1):
        r["rank"] = rank
        r["peer_percentile"] = round(100 * float(np.mean(values <= r["value"])), 1)
    return values


def _limits(target: float, spread: float, ratio: bool) -> dict:
    """95% and 99.8% limits around the national value at this organisation's size."""
    if ratio:
        t = math.log(target)
        return {"95": [math.exp(t - Z95 * spread), math.exp(t + Z95 * spread)],
                "99.8": [math.exp(t - Z998 * spread), math.exp(t + Z998 * spread)]}
    return {"95": [target - Z95 * spread, target + Z95 * spread],
            "99.8": [target - Z998 * spread, target + Z998 * spread]}

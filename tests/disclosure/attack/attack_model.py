"""What a reader knows, as linear constraints on the hidden counts of a release.

Variables are the counts of every document of the release (named ``(org, year, standard) + path``,
the true values taken from the raw results). Constraints, each tagged with the documents a reader
needs to know it:

- a published count is an equality; a count lies between 0 and its denominator;
- a published percentage ``p`` (given to some decimals) bounds ``100 * numerator / denominator``:
  ``(p - e) * den <= 100 * num <= (p + e) * den``, linear even when the denominator is withheld;
- a published relative likelihood ``v = (nA / dA) / (nB / dB)`` with both denominators published:
  ``(v - e) * dA * nB <= dB * nA <= (v + e) * dA * nB``; the same for a breakdown's value, and for
  year Y's ``previous`` / ``change.previous`` value against year Y-1's cells;
- tables add up: a band row's total is the sum of its cells; group totals are sums of bands;
  a data-quality total repeats the denominators;
- levels add up: the all-organisations count is the sum of the organisations' counts;
- two-year rolling windows (WRES 3, WDES 3) are sums of years: year Y's numerator is Y's cases plus
  Y-1's, its denominator the two year-end headcounts (each year's own figures are variables too,
  from the single-year results, `Document.yearly`), so windows of consecutive years share a year.

An identity goes in only when it holds on the raw figures (so the system is always feasible and no
wrong assumption about the indicator definitions can invent a leak); an attacker knowing the
definitions knows at least as much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from attack_cells import Path, counts, half_step, number, numbers

ALL = "ALL"
Var = tuple  # (org, year, standard, *path)
#: path suffix of a count over this year alone, inside a two-year rolling window's group figures
ONE_YEAR = "this year"


@dataclass
class Document:
    """One published release unit: an organisation's (or all organisations', ``org == ALL``)
    results for one year, as the public receives them (`published`) and as they really are (`raw`).
    Keys of both are standard names: "WRES", "WDES", "PAYGAP:disability", ..."""

    org: str
    year: int
    published: dict[str, dict[str, Any]]
    raw: dict[str, dict[str, Any]]
    files: dict[str, Any] = field(default_factory=dict)
    #: the protected `Report` object the files were rendered from (None outside reports)
    report: Any = None
    #: the raw results over one financial year only (WRES 3 / WDES 3 single-year): the parts of a
    #: two-year rolling window (the truth for `ONE_YEAR` variables)
    yearly: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.org} {self.year}"


@dataclass
class Constraint:
    coefs: dict[Var, float]
    lo: float
    hi: float
    sources: frozenset[str]
    why: str


@dataclass
class Model:
    truth: dict[Var, int] = field(default_factory=dict)
    constraints: list[Constraint] = field(default_factory=list)
    published: dict[Var, float] = field(default_factory=dict)

    def between(self, coefs_at, value: float, sources, why: str, step: float | None = None) -> None:
        """``coefs_at(v) . x == 0`` for the published `value` taken as exact; where the raw figures
        show it was rounded, for every v within half a unit of its last decimal instead (the two
        inequalities ``coefs_at(v + e) . x <= 0 <= coefs_at(v - e) . x``, true when x >= 0 and the
        coefficient of v multiplies a count)."""
        before = len(self.constraints)
        self.add(coefs_at(value), -1e-9, 1e-9, sources, why + " (exact)")
        if len(self.constraints) > before:
            return
        e = step if step is not None else half_step(value)
        self.add(coefs_at(value + e), -float("inf"), 0.0, sources, why)
        self.add(coefs_at(value - e), 0.0, float("inf"), sources, why)

    def add(self, coefs: dict[Var, float], lo: float, hi: float, sources, why: str, *, check: bool = True) -> None:
        coefs = {v: c for v, c in coefs.items() if c}
        if not coefs or any(v not in self.truth for v in coefs):
            return
        if check:
            value = sum(c * self.truth[v] for v, c in coefs.items())
            scale = 1e-7 * max(1.0, abs(lo), abs(hi))
            if not (lo - scale <= value <= hi + scale):
                return  # not an identity of this data: a reader could not rely on it either
        self.constraints.append(Constraint(coefs, lo, hi, frozenset(sources), why))


def build_model(documents: list[Document], *, across_standards: bool = False) -> Model:
    m = Model()
    for doc in documents:
        for std, raw in doc.raw.items():
            for path, value in counts(raw).items():
                m.truth[(doc.org, doc.year, std, *path)] = value
        for std, path, value in one_year_counts(doc):
            m.truth[(doc.org, doc.year, std, *path)] = value
    by_key = {(d.org, d.year): d for d in documents}
    for doc in documents:
        for std, pub in doc.published.items():
            _published_counts(m, doc, std, pub)
            _derived(m, doc, std, pub)
            _previous(m, doc, std, pub, by_key.get((doc.org, doc.year - 1)))
        for std, raw in doc.raw.items():
            _sums(m, doc, std, raw)
        _trends(m, doc, by_key)
        _windows(m, doc, by_key)
        if across_standards:
            _across_standards(m, doc)
    _levels(m, documents)
    return m


#: the same indicator's people in both standards (WRES 9 and WDES 10: the same board; WRES 5 and WDES
#: 4a.i, WRES 7 and WDES 5: the same staff survey question in the packaged question map)
SAME_PEOPLE = {"wres.1": "wdes.1", "wres.2": "wdes.2", "wres.3": "wdes.3", "wres.9": "wdes.10",
               "wres.5": "wdes.4a.i", "wres.7": "wdes.5"}
#: pairs whose events are the same too (WRES 3 counts disciplinary cases, WDES 3 capability cases)
SAME_EVENTS = {"wres.1", "wres.2", "wres.9", "wres.5", "wres.7"}


def _across_standards(m: Model, doc: Document) -> None:
    """WRES and WDES count the same staff, applicants, cases and board: a total or members count that
    does not depend on the grouping is one number printed twice, and so is the sum over every group
    (Unknown included) of a group's denominator (and, for the same events, numerator). Each identity
    is checked on the raw figures."""
    if not {"WRES", "WDES"} <= set(doc.raw):
        return
    src = {doc.name}
    for var in [v for v in m.truth if v[0] == doc.org and v[1] == doc.year and v[2] == "WRES"]:
        path = var[3:]
        if len(path) < 3 or path[0] != "indicators" or path[1] not in SAME_PEOPLE:
            continue
        if path[-1] not in ("total", "members") or "groups" in path:
            continue
        other = (doc.org, doc.year, "WDES", path[0], SAME_PEOPLE[path[1]], *path[2:])
        m.add({var: 1.0, other: -1.0}, 0, 0, src, "the same people counted by both standards")
    theirs = {str(i["id"]): i for i in doc.raw["WDES"].get("indicators") or []}
    for ind in doc.raw["WRES"].get("indicators") or []:
        partner = theirs.get(SAME_PEOPLE.get(str(ind["id"]), ""))
        if partner is None:
            continue
        for base, mine, other in _containers(ind, partner):
            for f in ("numerator", "denominator") if ind["id"] in SAME_EVENTS else ("denominator",):
                coefs = {_var(doc, "WRES", ("indicators", str(ind["id"]), *base, g, f)): 1.0 for g in mine}
                coefs.update({_var(doc, "WDES", ("indicators", str(partner["id"]), *base, g, f)): -1.0 for g in other})
                m.add(coefs, 0, 0, src, f"{ind['id']} {'.'.join(base)} {f}: the same people summed over every group")


def _containers(ind: dict, partner: dict):
    """(path, WRES groups, WDES groups) of each group figure both indicators hold."""
    yield ("groups",), ind.get("groups") or {}, partner.get("groups") or {}
    by_name = {b.get("breakdown"): b for b in partner.get("breakdowns") or []}
    for b in ind.get("breakdowns") or []:
        other = by_name.get(b.get("breakdown"))
        if other is not None:
            for key in ("groups", "workforce"):
                if b.get(key) and other.get(key):
                    yield ("breakdowns", str(b["breakdown"]), key), b[key], other[key]


def one_year_counts(doc: Document):
    """(standard, path, value) of each rate's numerator and denominator over this year alone."""
    for std, raw in doc.yearly.items():
        for ind in raw.get("indicators") or []:
            if ind.get("period_rule") is None:
                continue
            for g, fig in (ind.get("groups") or {}).items():
                for f in ("numerator", "denominator"):
                    if isinstance(fig.get(f), (int, float)):
                        yield std, ("indicators", str(ind["id"]), "groups", g, f, ONE_YEAR), fig[f]


def _windows(m: Model, doc: Document, by_key: dict) -> None:
    """A window is the sum of its years: rolling = this year + last year; single year = this year.
    A year's headcount is also the band table's group total (when the raw figures agree)."""
    last = by_key.get((doc.org, doc.year - 1))
    src = {doc.name} | ({last.name} if last is not None else set())
    for std, raw in doc.raw.items():
        band = next((i for i in raw.get("indicators") or [] if i.get("kind") == "distribution"), None)
        for ind in raw.get("indicators") or []:
            rule = ind.get("period_rule")
            if rule is None:
                continue
            base = ("indicators", str(ind["id"]), "groups")
            for g in ind.get("groups") or {}:
                for f in ("numerator", "denominator"):
                    parts = {_var(doc, std, (*base, g, f, ONE_YEAR)): 1.0}
                    if rule == "two_year_rolling":
                        if last is None:
                            continue
                        parts[_var(last, std, (*base, g, f, ONE_YEAR))] = 1.0
                    m.add({**parts, _var(doc, std, (*base, g, f)): -1.0}, 0, 0, src, f"{ind['id']} window = its years")
                if band is not None:
                    m.add({_var(doc, std, (*base, g, "denominator", ONE_YEAR)): 1.0,
                           _var(doc, std, ("indicators", str(band["id"]), "groups", g, "numerator")): -1.0}, 0, 0,
                          {doc.name}, "a year's headcount is the band table's group total")


def _trends(m: Model, doc: Document, by_key: dict) -> None:
    """A report's trend shows earlier years' values: constraints on those years' cells."""
    trends = getattr(doc.report, "trends", None) or {}
    for std, pub in doc.published.items():
        for ind in pub.get("indicators") or []:
            if ind.get("kind") != "relative_likelihood":
                continue
            for point in trends.get(ind["id"]) or []:
                other = by_key.get((doc.org, point.get("year")))
                if other is None or other is doc or std not in other.published:
                    continue
                _ratio(m, doc, std, ("indicators", str(ind["id"])), ind, point.get("value"),
                       {doc.name, other.name}, f"{doc.name} {ind['id']} trend {point.get('year')}", cells=other)


def _var(doc: Document, std: str, path: Path) -> Var:
    return (doc.org, doc.year, std, *path)


def _published_counts(m: Model, doc: Document, std: str, pub: dict) -> None:
    for path, value in numbers(pub).items():
        var = _var(doc, std, path)
        if var in m.truth and float(value).is_integer():
            m.published[var] = value
            m.add({var: 1.0}, value, value, {doc.name}, f"{doc.name} {std} publishes {'.'.join(path)}", check=False)


def _pairs(obj: Any, path: Path = ()):
    """(path, dict) of every dict holding figures of one group: numerator/denominator or count."""
    if isinstance(obj, dict):
        if "numerator" in obj or "count" in obj:
            yield path, obj
        for key, value in obj.items():
            if isinstance(value, (dict, list)):
                yield from _pairs(value, (*path, str(key)))
    elif isinstance(obj, list):
        from attack_cells import label

        for i, item in enumerate(obj):
            yield from _pairs(item, (*path, label(item, i)))


def _derived(m: Model, doc: Document, std: str, pub: dict) -> None:
    src = {doc.name}
    for path, cell in _pairs(pub):
        if "numerator" in cell and "denominator" in cell:
            num, den = _var(doc, std, (*path, "numerator")), _var(doc, std, (*path, "denominator"))
            m.add({num: 1.0, den: -1.0}, -float("inf"), 0.0, src, "numerator <= denominator")
        else:
            num, den = _var(doc, std, (*path, "count")), _var(doc, std, (*path[:-2], "total"))
        p = number(cell.get("percent"))
        if p is not None:
            m.between(lambda v, num=num, den=den: {num: 100.0, den: -v}, p, src, f"percent {'.'.join(path)}")
    for ind in pub.get("indicators") or []:
        if ind.get("kind") != "relative_likelihood":
            continue
        base = ("indicators", str(ind["id"]))
        _ratio(m, doc, std, base, ind, ind.get("value"), src, f"{ind['id']} value")
        for b in ind.get("breakdowns") or []:
            _ratio(m, doc, std, (*base, "breakdowns", str(b.get("breakdown"))), {**ind, **b}, b.get("value"), src,
                   f"{ind['id']} {b.get('breakdown')} value")


def _ratio(m: Model, doc: Document, std: str, base: Path, ind: dict, value, src, why: str,
           cells: Document | None = None, step: float | None = None) -> None:
    """(nA / dA) / (nB / dB) = value, with dA, dB as published in `cells` (default `doc`)."""
    v = number(value)
    direction = str(ind.get("direction") or "")
    if v is None or "÷" not in direction:
        return
    a, b = (s.strip() for s in direction.split("÷", 1))
    cells = cells or doc
    target = cells.published.get(std) or {}
    figures = numbers(target)
    path_a = (*base, "groups", a)
    path_b = (*base, "groups", b)
    d_a, d_b = figures.get((*path_a, "denominator")), figures.get((*path_b, "denominator"))
    if d_a is None or d_b is None:
        return  # products of unknowns: not linear
    n_a, n_b = _var(cells, std, (*path_a, "numerator")), _var(cells, std, (*path_b, "numerator"))
    m.between(lambda x: {n_a: d_b, n_b: -x * d_a}, v, src, why, step)


def _previous(m: Model, doc: Document, std: str, pub: dict, last: Document | None) -> None:
    """Year Y's "previous" figures are year Y-1's values: constraints on Y-1's cells."""
    if last is None or std not in last.published:
        return
    for ind in pub.get("indicators") or []:
        if ind.get("kind") == "percentages":
            _survey_previous(m, doc, std, ind, last)
        if ind.get("kind") != "relative_likelihood":
            continue
        for key, value in (("previous", (ind.get("previous") or {}).get("value")),
                           ("change.previous", (ind.get("change") or {}).get("previous"))):
            _ratio(m, doc, std, ("indicators", str(ind["id"])), ind, value, {doc.name, last.name},
                   f"{doc.name} {ind['id']} {key}", cells=last)


def _survey_previous(m: Model, doc: Document, std: str, ind: dict, last: Document) -> None:
    """A survey indicator's last-year figures: ``previous.value`` is last year's difference of the two
    groups' percentages (A - B, points), ``change.previous`` group A's percentage last year, and
    ``change.difference`` group A's percentage now minus last year's. Linear in the counts once the
    denominators (responses) are published."""
    direction = str(ind.get("direction") or "")
    if "−" not in direction:
        return
    a, b = (x.strip() for x in direction.split("−", 1))
    base = ("indicators", str(ind["id"]), "groups")
    src = {doc.name, last.name}
    shown = {d.name: numbers(d.published.get(std) or {}) for d in (doc, last)}

    def pct(d: Document, g: str):  # (numerator variable, denominator variable, published denominator)
        den = shown[d.name].get((*base, g, "denominator"))
        return _var(d, std, (*base, g, "numerator")), _var(d, std, (*base, g, "denominator")), den

    (na, da, dav), (nb, _db, dbv), (nn, dn, dnv) = pct(last, a), pct(last, b), pct(doc, a)
    change = ind.get("change") or {}
    why = f"{doc.name} {ind['id']}"
    if dav and dbv and number((ind.get("previous") or {}).get("value")) is not None:
        m.between(lambda x: {na: 100.0 * dbv, nb: -100.0 * dav, da: -x * dbv}, number(ind["previous"]["value"]),
                  src, f"{why} previous (last year's difference)")
    if dav and number(change.get("previous")) is not None:
        m.between(lambda x: {na: 100.0, da: -x}, number(change["previous"]), src, f"{why} change.previous")
    if dav and dnv and number(change.get("difference")) is not None:
        m.between(lambda x: {nn: 100.0 * dav, na: -100.0 * dnv, dn: -x * dav}, number(change["difference"]),
                  src, f"{why} change.difference")


def _sums(m: Model, doc: Document, std: str, raw: dict) -> None:
    """Tables add up (checked on the raw figures, so only true identities are used)."""
    src = {doc.name}
    for ind in raw.get("indicators") or []:
        base = ("indicators", str(ind["id"]))
        groups = list(ind.get("groups") or {})
        rows = [(*base, "rows", lab) for lab in _row_labels(ind)]
        for row in rows:
            cells = {_var(doc, std, (*row, "groups", g, "count")): 1.0 for g in groups}
            m.add({**cells, _var(doc, std, (*row, "total")): -1.0}, 0, 0, src, "row total")
        for g in groups:
            if rows:
                cells = {_var(doc, std, (*row, "groups", g, "count")): 1.0 for row in rows}
                m.add({**cells, _var(doc, std, (*base, "groups", g, "numerator")): -1.0}, 0, 0, src, "group total")
        dens = {_var(doc, std, (*base, "groups", g, "denominator")): 1.0 for g in groups}
        nums = {_var(doc, std, (*base, "groups", g, "numerator")): 1.0 for g in groups}
        total = _var(doc, std, (*base, "data_quality", "total"))
        unknown = _var(doc, std, (*base, "data_quality", "unknown_count"))
        for parts, why in ((dens, "data-quality total = sum of denominators"),
                           (nums, "data-quality total = sum of numerators")):
            m.add({**parts, total: -1.0}, 0, 0, src, why)
        for g in groups:
            if g.lower().startswith("unknown") and ind.get("kind") == "difference":
                # the board's unknown count is the workforce's (`parity.indicators.build.unknown_quality`):
                # equal to the board's Unknown only by coincidence (both 0), which no reader can rely on
                for b in (ind.get("breakdowns") or [])[:1]:
                    m.add({_var(doc, std, (*base, "breakdowns", str(b.get("breakdown")), "workforce", g, "numerator")): 1.0,
                           unknown: -1.0}, 0, 0, src, "unknown count repeats the workforce's Unknown group")
            elif g.lower().startswith("unknown"):
                for f in ("denominator", "numerator"):
                    m.add({_var(doc, std, (*base, "groups", g, f)): 1.0, unknown: -1.0}, 0, 0, src,
                          "unknown count repeats the Unknown group")
            for other in groups:  # the same denominator shown for every group (distribution)
                if other != g:
                    m.add({_var(doc, std, (*base, "groups", g, "denominator")): 1.0,
                           _var(doc, std, (*base, "groups", other, "denominator")): -1.0}, 0, 0, src, "same total")


def _row_labels(ind: dict) -> list[str]:
    from attack_cells import label

    return [label(row, i) for i, row in enumerate(ind.get("rows") or [])]


def _levels(m: Model, documents: list[Document]) -> None:
    """All organisations = the sum of the organisations, figure by figure."""
    for top in (d for d in documents if d.org == ALL):
        orgs = [d for d in documents if d.year == top.year and d.org != ALL]
        if not orgs:
            continue
        sources = {top.name, *(d.name for d in orgs)}
        for var in [v for v in m.truth if v[0] == ALL and v[1] == top.year]:
            parts = {(d.org, *var[1:]): 1.0 for d in orgs}
            if all(p in m.truth for p in parts):
                m.add({**parts, var: -1.0}, 0, 0, sources, "all organisations = sum of organisations")

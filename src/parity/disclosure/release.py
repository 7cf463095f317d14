"""One protection pass over a whole release: every year and every level that is published together.

A reader sees more than one table: this year's report shows last year's value and the change, a
trend shows five years, and the all-organisations report sits beside each organisation's report.
Protecting each result on its own lets a reader combine them (issue 10): last year's withheld count
follows from this year's "last year 0.78", and an organisation's withheld count from the
all-organisations total minus the other organisations. A `Release` therefore builds ONE linked
system (`parity.disclosure.system`) from every result it is given:

* each result (a unit — ``()`` for all organisations, ``("RXX",)`` for one organisation, later
  ``("RXX", "division")`` — and a year) adds its atoms and quantities as `protect` models them;
* **levels are margins**: a quantity of a unit equals the sum of the same quantity over its child
  units (when the values agree); that identity is known to every reader and is added to the system,
  so secondary suppression chooses cells such that no subtraction between levels recovers a hidden
  cell. A sub-level plugs in by adding results with longer units;
* **years are linked through their derived figures**: year Y's ``previous`` and ``change`` (and the
  sentence mentioning last year) are computed from year Y-1's quantities, so they are shown only when
  Y-1's own published figures determine them. A previous value whose year is not in the release is
  withheld (it cannot be checked);
* **two-year rolling windows** (`parity.disclosure.windows`): consecutive windows share a year of
  cases, so each window's own year of cases is a protected hidden quantity, last year's taken as known;
* **standards are linked where they count the same people** (`parity.disclosure.across`): WRES and
  WDES of one unit and year are two documents of the release (``add(..., standard=...)``), and each
  total both print (staff in a band, applicants shortlisted, board members) is one number, so
  neither standard's complementary cell is printed by the other (issue 10 leak 12);
* the system is solved per connected component (`parity.disclosure.components`), so a release of many
  organisations stays fast, and a component that cannot be protected is withheld with its reason.

>>> from parity.disclosure.release import Release
>>> release = Release()                                   # doctest: +SKIP
>>> release.add(wres_2025_rxx, year=2025, unit=("RXX",))  # doctest: +SKIP
>>> protected = release.protect()[(("RXX",), 2025)]       # doctest: +SKIP
"""

from __future__ import annotations

import copy
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from parity.disclosure import parallel
from parity.disclosure.across import link_standards
from parity.disclosure.components import JointSolution, solve_components
from parity.disclosure.model import build
from parity.disclosure.rules import (
    REASON_DERIVED,
    REASON_PRIMARY,
    REASON_SECONDARY,
    REASON_SURVEY,
    REASON_UNPROTECTABLE,
    SUPPRESSED,
    WITHHELD_NARRATIVE,
    WITHHELD_SURVEY_NARRATIVE,
    DisclosureRule,
)
from parity.disclosure.semantic import semantic_keys
from parity.disclosure.system import (
    Derived,
    Path,
    System,
    Vector,
    cached_path_text,
    get,
    path_text,
    put,
)
from parity.disclosure.windows import OneYear, link_windows

Unit = tuple[str, ...]
#: (unit, year), or (unit, year, standard) for a release of several standards
Key = tuple
NOT_A_RESULT = "protect() expects a result dict with an 'indicators' list (StandardResult.to_dict())"
DUPLICATE_PART = "the release already holds a result for {unit} in {year}"
SPENT = "this release was protected already: results it owned hold their protected copies now"
SURVEY_KINDS = ("percentages", "score")
#: the clause of a rate narrative that compares with last year (cut out when last year is withheld)
LAST_YEAR = r" It is (?:higher than|lower than|the same as) last year \([^)]*\)[^.]*\."
#: change fields that are labels, not figures
CHANGE_LABELS = ("test", "method", "group")


class Release:
    """Results published together (years x levels), protected as one linked system."""

    def __init__(self, rule: DisclosureRule | None = None) -> None:
        self.rule = rule or DisclosureRule()
        self.results: dict[Key, dict[str, Any]] = {}
        self.one_year: dict[Key, OneYear | None] = {}
        self._owned: set[Key] = set()  # results the protected copy is written into (`add`'s ``owned``)
        self._spent = False

    def add(self, result: dict[str, Any], *, year: int, unit: Unit = (), one_year: OneYear | None = None,
            standard: str | None = None, owned: bool = False) -> None:
        """``one_year``: for two-year rolling rates, each group's cases of this financial year alone,
        ``{(indicator id, breakdown or None): {group: count}}`` (`parity.disclosure.windows`).
        ``standard`` ("WRES" / "WDES"): results of several standards in one release; levels and years
        link results of the same standard, and WRES and WDES of one unit and year are linked where
        they count the same people (`parity.disclosure.across`). `protect` then keys the copies
        ``(unit, year, standard)``; without it ``(unit, year)``. ``owned``: ``result`` was made for this
        release and nothing else holds it (e.g. a fresh `StandardResult.to_dict()`): `protect` writes its
        protected copy into it instead of copying it first (a national release's copies were two thirds
        of writing it), so the release can be protected once only."""
        if not isinstance(result, dict) or not isinstance(result.get("indicators"), list):
            raise TypeError(NOT_A_RESULT)
        key = (tuple(unit), int(year), standard.upper() if standard else "")
        if key in self.results:
            where = "/".join(unit) or "all organisations"
            raise ValueError(DUPLICATE_PART.format(unit=f"{where} {standard.upper()}" if standard else where, year=year))
        self.results[key] = result
        self.one_year[key] = one_year
        if owned:
            self._owned.add(key)

    def protect(self) -> dict[Key, dict[str, Any]]:
        """A protected copy of every result (None where withheld; see `parity.disclosure.protect`)."""
        if self._spent:
            raise RuntimeError(SPENT)
        self._spent = bool(self._owned)
        with _collector_paused(), parallel.helping(len(self.results)):
            return self._protect()

    def _protect(self) -> dict[Key, dict[str, Any]]:
        keys = list(self.results)
        joint = self._system(keys)[0]  # the per-result systems are garbage now: let them go before solving
        solution = solve_components(joint.n, joint.vectors, joint.values, joint.specs, self.rule,
                                    margins=joint.margins, matrix=joint.matrix())
        withheld = (solution.primary | solution.secondary | solution.failed).tolist()
        rows: dict[int, list[int]] = {}  # each result's withheld rows and derived figures, found once
        for i, (path, out) in enumerate(zip(joint.paths, withheld, strict=True)):
            if out and path is not None:
                rows.setdefault(path[0], []).append(i)
        derived: dict[int, list[Derived]] = {}
        for item in joint.derived:
            derived.setdefault(item.path[0], []).append(item)
        seen = _published(joint, withheld)
        # what the published figures determine, for the other inputs of derived figures: block by block at once
        solution.determine(v for item in joint.derived for v in item.deps + item.strip_deps if id(v) not in seen)
        return {(key if key[2] else key[:2]): _apply(self.results[key], d, joint, solution, self.rule,
                                                     rows.get(d, []), derived.get(d, []), seen,
                                                     in_place=key in self._owned)
                for d, key in enumerate(keys)}

    # --- the joint system ---------------------------------------------------------------------
    def _system(self, keys: list[Key]) -> tuple[System, list[System]]:
        joint = System(rule=self.rule)
        parts, starts = [], []  # each part's first row in the joint system
        for d, key in enumerate(keys):
            # built at its place in the joint system (atoms from joint.n, names "d:..."): merged as it is
            part = build(self.results[key], self.rule, start=joint.n, prefix=f"{d}:")
            parts.append(part)
            starts.append(len(joint.vectors))
            _merge(joint, part, d)
        docs = [self.results[k] for k in keys]
        by_indicator: dict[Path, list[Derived]] = {}
        for item in joint.derived:
            by_indicator.setdefault(item.path[:3], []).append(item)
        for d in range(len(keys)):
            _link_years(joint, parts, keys, docs, d, by_indicator)
        # each quantity's semantic key (indicator id, band row, breakdown...), found once for both links
        semantic = [semantic_keys(doc, part) for doc, part in zip(docs, parts, strict=True)]
        _link_levels(joint, keys, starts, semantic)
        link_standards(joint, parts, keys, starts, docs, semantic)
        link_windows(joint, parts, keys, docs, [self.one_year.get(k) for k in keys])
        return joint, parts


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a release is protected: the linked system is hundreds of
    thousands of small dicts, lists and tuples, alive together until the copies are written and in no
    reference cycle, and every full collection walks all of them (a third of the release's own CPU at
    national scale). Resumed, as it was, when done."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _merge(joint: System, part: System, d: int) -> None:
    """Append result ``d``'s part, built at its place (`model.build` ``start`` and ``prefix``): its
    vectors and quantities are the joint system's as they are; only the paths gain the result number."""
    joint.n = part.n
    joint.specs += part.specs
    joint.vectors += part.vectors
    joint.values += part.values
    joint.paths += [(d,) + path if path is not None else None for path in part.paths]
    for item in part.derived:  # the part's derived figures become the joint's (no copy: parts are not read again)
        item.path = (d,) + item.path
    joint.derived += part.derived
    joint.survey_paths |= {(d,) + p for p in part.survey_paths}


def _link_years(joint: System, parts: list[System], keys: list[Key], docs: list[dict[str, Any]], d: int, by_indicator: dict[Path, list[Derived]]) -> None:
    """Year Y's previous / change / last-year sentence depend on year Y-1's headline quantities."""
    unit, year, standard = keys[d]
    before: dict[str, list[Vector]] = {}
    if (unit, year - 1, standard) in keys:
        e = keys.index((unit, year - 1, standard))
        before = {ind["id"]: list(parts[e].headlines.get(("indicators", i), []))
                  for i, ind in enumerate(docs[e]["indicators"])}
    for i, ind in enumerate(docs[d]["indicators"]):
        if not ind.get("previous") and not ind.get("change"):
            continue
        last = before.get(ind["id"]) or [{joint.atoms()[0]: 1.0}]  # year not in the release: never determined
        p = (d, "indicators", i)
        for item in by_indicator.get(p, []):
            if len(item.path) < 4:
                continue
            if item.path[3] == "previous":
                item.deps = last
            elif item.path[3] == "change":
                item.deps = item.deps + last
            elif item.path[3:] == ("narrative",) and (ind.get("previous") or {}).get("value") is not None:
                item.strip, item.strip_deps = LAST_YEAR, last


def _link_levels(joint: System, keys: list[Key], starts: list[int], semantic: list[list[tuple | None]]) -> None:
    """A unit's figure = the sum of its child units' same figure (a margin every reader knows).
    ``starts``: each part's first row in ``joint`` (`_merge`); ``semantic``: each part's rows' keys
    (`semantic.semantic_keys`). The links are `System.link_rows` of those rows (a national year's 486 links
    hold 1.3 million coefficients: built as one product)."""
    index: list[dict[tuple, tuple[int, float]]] = []
    for d, found_keys in enumerate(semantic):
        found: dict[tuple, tuple[int, float]] = {}
        start = starts[d]
        for j, key in enumerate(found_keys):
            if key is not None and key not in found:
                found[key] = (start + j, joint.values[start + j])
        index.append(found)
    for d, (unit, year, standard) in enumerate(keys):
        children = [c for c, (u, y, s) in enumerate(keys)
                    if y == year and s == standard and len(u) == len(unit) + 1 and u[:-1] == unit]
        if not children:
            continue
        for key, (row, value) in index[d].items():
            have = [index[c][key] for c in children if key in index[c]]
            if have and abs(sum(v for _, v in have) - value) < 1e-9:
                joint.link_rows(f"{d}:{path_text(key_path(key))}=sum of units", [row], [r for r, _ in have],
                                margin=True)


def key_path(key: tuple) -> Path:
    return tuple("/".join(str(x) for x in k) if isinstance(k, tuple) else k for k in key)


# --- writing the protected copy -------------------------------------------------------------------
def _published(joint: System, withheld: list[bool]) -> dict[int, bool]:
    """``{id(vector): True}`` for the vector of every figure printed as it is (shown, not ``withheld``:
    the solution's primary, secondary or failed rows): a published figure is determined by the
    published figures, so `_apply` need not ask the solution (most of a derived figure's quantities are
    printed ones: 70% of the questions). Ids are stable while ``joint`` keeps every vector alive."""
    return {id(v): True for v, spec, out in zip(joint.vectors, joint.specs, withheld, strict=True)
            if spec.shown and not spec.known and not out}


def _apply(result: dict[str, Any], d: int, joint: System, solution: JointSolution, rule: DisclosureRule,
           rows: list[int], derived: list[Derived], seen: dict[int, bool] | None = None,
           in_place: bool = False) -> dict[str, Any]:
    """The protected copy of result ``d``: ``rows`` are (at least) its withheld quantities in ``joint``,
    ``derived`` its derived figures (in the order of ``joint``); ``seen``: ``{id(vector): determined}``
    known so far, shared by the results of one release (`_published`); ``in_place``: written into
    ``result`` itself (`Release.add`'s ``owned``)."""
    out = result if in_place else _copy(result)
    withheld: dict[Path, str] = {}
    seen = {} if seen is None else seen  # id(vector) -> determined: the joint system keeps every vector alive

    def known(vectors: list[Vector]) -> bool:
        for v in vectors:
            got = seen.get(id(v))
            if got is None:
                got = seen[id(v)] = solution.determined(v)
            if not got:
                return False
        return True

    for i in rows:
        primary, failed = solution.primary[i], solution.failed[i]
        if not (primary or failed or solution.secondary[i]):
            continue
        p = joint.paths[i][1:]
        why = "failed" if failed else "primary" if primary else "secondary"
        if withheld.get(p) not in ("primary", "failed"):
            withheld[p] = why
        put(out, p, SUPPRESSED)
    for item in derived:
        p = item.path[1:]
        value = get(out, p)
        if value is None or known(item.deps):
            if item.strip and value is not None and not known(item.strip_deps):
                cut = re.sub(item.strip, "", value)
                if "last year" in cut:  # a sentence we do not recognise mentions last year: withhold it
                    put(out, p, _withheld_text(out, p, rule))
                else:
                    put(out, p, cut)
                withheld.setdefault(p, "derived")
            continue
        put(out, p, _withheld_text(out, p, rule) if item.text else SUPPRESSED)
        withheld.setdefault(p, "derived")
    paths = sorted(withheld, key=_order)
    texts = [cached_path_text(p) for p in paths]
    by_indicator: dict[int, list[int]] = {}
    for n, p in enumerate(paths):
        by_indicator.setdefault(p[1], []).append(n)
    for i, ind in enumerate(out["indicators"]):
        mine = by_indicator.get(i)
        if mine:
            ind["disclosure"] = {"suppressed_fields": [texts[n] for n in mine],
                                 "reason": _reason(rule, [withheld[paths[n]] for n in mine],
                                                   any((d,) + paths[n] in joint.survey_paths for n in mine))}
    out["suppressed"] = texts
    out["disclosure"] = {
        "protected": True, "rule": rule.to_dict(), "methods_note": rule.methods_note(),
        "cells_suppressed": sum(1 for p in paths if withheld[p] == "primary"),
        "complementary": sum(1 for p in paths if withheld[p] == "secondary"),
    }
    if any(withheld[p] == "failed" for p in paths):
        out["disclosure"]["unprotectable"] = sorted({e for e in solution.errors})
    return out


def _copy(node: Any) -> Any:
    """A deep copy of a result (JSON-like: dicts, lists, scalars), much cheaper than `copy.deepcopy`;
    anything else is handed to `copy.deepcopy`."""
    kind = type(node)
    if kind is dict:
        return {k: _copy(v) for k, v in node.items()}
    if kind is list:
        return [_copy(v) for v in node]
    if kind in (str, int, float, bool) or node is None:
        return node
    return copy.deepcopy(node)


def _withheld_text(out: dict[str, Any], p: Path, rule: DisclosureRule) -> str:
    kind = out["indicators"][p[1]].get("kind")
    text = WITHHELD_SURVEY_NARRATIVE if kind in SURVEY_KINDS else WITHHELD_NARRATIVE
    return text.format(k=rule.k, n=rule.survey_min_responses)


@lru_cache(maxsize=1 << 14)
def _order(path: Path) -> tuple:  # remembered: the results of a release share their paths
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _reason(rule: DisclosureRule, why: list[str], survey: bool) -> str:
    parts = []
    if "primary" in why:
        parts.append(REASON_SURVEY.format(n=rule.survey_min_responses) if survey
                     else REASON_PRIMARY.format(top=rule.k - 1))
    if "secondary" in why:
        parts.append(REASON_SECONDARY)
    if "derived" in why:
        parts.append(REASON_DERIVED)
    if "failed" in why:
        parts.append(REASON_UNPROTECTABLE)
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


"""A report as one linked system: atoms, published quantities (by JSON path) and derived fields.

Builders in `model` and `model_tables` add quantities with their JSON path; `derived` records the
fields computed from them (percentages, ratios, intervals, sentences), which may only be shown when
every quantity they use can be worked out from what is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parity.disclosure.rules import DisclosureRule
from parity.disclosure.secondary import Published, Solution, solve

Path = tuple[Any, ...]
Vector = dict[int, float]


def path_text(path: Path) -> str:
    """``("indicators", 3, "groups", "BME", "numerator")`` -> ``indicators[3].groups.BME.numerator``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def get(doc: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(doc, list) or part >= len(doc):
                return None
        elif not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def put(doc: Any, path: Path, value: Any) -> None:
    for part in path[:-1]:
        doc = doc[part]
    doc[path[-1]] = value


def plus(*vectors: Vector) -> Vector:
    out: Vector = {}
    for v in vectors:
        if not out:  # the first terms: 0.0 + c, as adding them to an empty sum gives
            out = {k: 0.0 + c for k, c in v.items()}
            continue
        if out.keys().isdisjoint(v):  # another unit's atoms (a level link's sum): no term to add
            out.update(v)
            continue
        get = out.get
        for k, c in v.items():
            out[k] = get(k, 0.0) + c
    return out


def minus(a: Vector, b: Vector) -> Vector:
    """``a - b`` (the same sums as ``plus(a, -b)``); a level link's ``b`` has every organisation's atoms."""
    out = {k: 0.0 + c for k, c in a.items()}
    get = out.get
    for k, c in b.items():
        out[k] = get(k, 0.0) + -c
    return out


@dataclass
class Derived:
    path: Path
    deps: list[Vector]
    text: bool = False
    #: a sentence that may be cut out instead of withholding the whole text (e.g. "It is higher than
    #: last year (0.78)."): a regular expression, tried when only the extra ``strip_deps`` are hidden
    strip: str | None = None
    strip_deps: list[Vector] = field(default_factory=list)


@dataclass
class System:
    """Collects atoms and quantities; ``solve`` runs primary and secondary suppression over all."""

    rule: DisclosureRule = field(default_factory=DisclosureRule)
    n: int = 0
    specs: list[Published] = field(default_factory=list)
    vectors: list[Vector] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    paths: list[Path | None] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)
    survey_paths: set[Path] = field(default_factory=set)
    #: indicator path -> the quantities its headline (value, interval, narrative) is computed from
    headlines: dict[Path, list[Vector]] = field(default_factory=dict)
    #: indices of the level links (a unit's figure = the sum of its child units'): `parity.disclosure.modular`
    margins: set[int] = field(default_factory=set)
    #: put before every quantity's name (a release's result number, ``"3:"``)
    prefix: str = ""

    def atoms(self, count: int = 1) -> list[int]:
        self.n += count
        return list(range(self.n - count, self.n))

    def atom(self) -> Vector:
        return {self.atoms()[0]: 1.0}

    def quantity(self, path: Path, vector: Vector, value: float, *, basis: str = "count", priority: int = 1,
                 primary: bool | None = None) -> Vector:
        """A number printed at ``path`` equal to ``vector . x``."""
        self._add(path_text(path), vector, value, path, basis=basis, priority=priority, primary=primary)
        if basis == "survey":
            self.survey_paths.add(path)
        return vector

    def hidden(self, name: str, vector: Vector, value: float, *, primary: bool | None = None) -> None:
        """A sensitive combination never printed (e.g. people not counted by a rate): protect it too."""
        self._add(name, vector, value, None, shown=False, primary=primary)

    def known(self, name: str, vector: Vector, value: float) -> None:
        """A quantity every reader is taken to know (never printed here, never withheld)."""
        self._add(name, vector, value, None, shown=False, known=True)

    def link(self, name: str, a: Vector, b: Vector, *, margin: bool = False) -> None:
        """Two quantities count the same people (equal values in two tables): ``a - b = 0`` is known.
        ``margin``: a unit's figure = the sum of its child units' (joins units; see `modular`)."""
        if margin:
            self.margins.add(len(self.vectors))
        self._add(name, minus(a, b), 0.0, None, shown=False, known=True)

    def depends(self, path: Path, deps: list[Vector], *, text: bool = False) -> None:
        self.derived.append(Derived(path, deps, text))

    def _add(self, name: str, vector: Vector, value: float, path: Path | None, **kw: Any) -> None:
        self.specs.append(Published(self.prefix + name, dict(vector), **kw))
        self.vectors.append(vector)
        self.values.append(float(value))
        self.paths.append(path)

    def dense(self, vector: Vector) -> np.ndarray:
        v = np.zeros(self.n)
        for k, c in vector.items():
            v[k] += c
        return v

    def solve(self, rule: DisclosureRule) -> Solution:
        matrix = np.array([self.dense(v) for v in self.vectors]).reshape(len(self.vectors), self.n)
        return solve(matrix, np.array(self.values), self.specs, rule)

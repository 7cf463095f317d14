"""A report as one linked system: atoms, published quantities (by JSON path) and derived fields.

Builders in `model` and `model_tables` add quantities with their JSON path; `derived` records the
fields computed from them (percentages, ratios, intervals, sentences), which may only be shown when
every quantity they use can be worked out from what is published.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix

from parity.disclosure.components import _matrix
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


#: `path_text` remembered: the results of a release share their paths (a national year's 442 results
#: print about 110,000 figures at about 2,000 distinct paths), so each is written out once
cached_path_text = lru_cache(maxsize=1 << 14)(path_text)


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


class Combination(Mapping):
    """``Σ rows[plus] - Σ rows[minus]``: a link between figures the system already holds (a unit's
    figure and its child units', a total both standards print), kept as its terms. `System.matrix`
    builds every combination at once as one sparse product (a national year's level and standard
    links are half of the system's 3.7 million coefficients); the dict, as `minus` of the two sums
    gives it, is made only if something reads the combination as a vector."""

    __slots__ = ("_vectors", "plus_rows", "minus_rows", "_dict")

    def __init__(self, vectors: list[Vector], plus_rows: list[int], minus_rows: list[int]) -> None:
        self._vectors, self.plus_rows, self.minus_rows = vectors, plus_rows, minus_rows
        self._dict: dict[int, float] | None = None

    def _items(self) -> dict[int, float]:
        if self._dict is None:
            self._dict = minus(plus(*(self._vectors[r] for r in self.plus_rows)),
                               plus(*(self._vectors[r] for r in self.minus_rows)))
        return self._dict

    def __getitem__(self, atom: int) -> float:
        return self._items()[atom]

    def __iter__(self) -> Iterator[int]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def items(self):  # the dict's own views (faster than Mapping's)
        return self._items().items()

    def keys(self):
        return self._items().keys()

    def values(self):
        return self._items().values()


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
    #: indices of the rows that are `Combination` s of other rows (`link_rows`)
    combinations: list[int] = field(default_factory=list)
    #: every path given a quantity or a derived figure so far
    registered: set[Path] = field(default_factory=set)

    def atoms(self, count: int = 1) -> list[int]:
        self.n += count
        return list(range(self.n - count, self.n))

    def atom(self) -> Vector:
        return {self.atoms()[0]: 1.0}

    def quantity(self, path: Path, vector: Vector, value: float, *, basis: str = "count", priority: int = 1,
                 primary: bool | None = None) -> Vector:
        """A number printed at ``path`` equal to ``vector . x``."""
        self._add(cached_path_text(path), vector, value, path, basis=basis, priority=priority, primary=primary)
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

    def link_rows(self, name: str, plus_rows: list[int], minus_rows: list[int], *, margin: bool = False) -> None:
        """`link` of two sums of rows this system holds (``Σ plus_rows = Σ minus_rows`` is known), kept
        as a `Combination` (rows that are themselves combinations cannot be terms)."""
        if margin:
            self.margins.add(len(self.vectors))
        self.combinations.append(len(self.vectors))
        self._add(name, Combination(self.vectors, plus_rows, minus_rows), 0.0, None, shown=False, known=True)

    def matrix(self) -> csr_matrix:
        """Every row as one sparse matrix, as `components._matrix` of the rows read as dicts gives it
        (zero coefficients dropped, indices sorted): the plain rows from their dicts straight into CSR
        arrays, the combinations as one product ``(I + S) @ rows``."""
        lazy = self.combinations
        plain = list(self.vectors)
        for i in lazy:
            plain[i] = {}
        rows = _matrix(self.n, plain)
        if not lazy:
            return rows
        m = len(self.vectors)
        terms = [self.vectors[i] for i in lazy]
        lengths = [len(t.plus_rows) + len(t.minus_rows) for t in terms]
        of = np.fromiter(chain.from_iterable(t.plus_rows + t.minus_rows for t in terms), dtype=np.int64,
                         count=int(sum(lengths)))
        if any(type(self.vectors[r]) is Combination for r in set(of.tolist())):
            raise ValueError("a combination's terms must be plain rows")
        sign = np.fromiter(chain.from_iterable([1.0] * len(t.plus_rows) + [-1.0] * len(t.minus_rows)
                                               for t in terms), dtype=float, count=len(of))
        at = np.concatenate([np.arange(m), np.repeat(np.array(lazy, dtype=np.int64), lengths)])
        select = csr_matrix((np.concatenate([np.ones(m), sign]), (at, np.concatenate([np.arange(m), of]))),
                            shape=(m, m))  # I: a plain row is itself (a combination's own row is empty)
        out = (select @ rows).tocsr()
        out.eliminate_zeros()
        out.sort_indices()
        return out

    def depends(self, path: Path, deps: list[Vector], *, text: bool = False) -> None:
        self.derived.append(Derived(path, deps, text))
        self.registered.add(path)

    def _add(self, name: str, vector: Vector, value: float, path: Path | None, **kw: Any) -> None:
        self.specs.append(Published(self.prefix + name, vector, **kw))  # vectors are never changed once made
        self.vectors.append(vector)
        self.values.append(float(value))
        self.paths.append(path)
        if path is not None:
            self.registered.add(path)

    def dense(self, vector: Vector) -> np.ndarray:
        v = np.zeros(self.n)
        for k, c in vector.items():
            v[k] += c
        return v

    def solve(self, rule: DisclosureRule) -> Solution:
        matrix = np.array([self.dense(v) for v in self.vectors]).reshape(len(self.vectors), self.n)
        return solve(matrix, np.array(self.values), self.specs, rule)

"""Mapping files and presets: which source column feeds which canonical column.

A mapping (YAML, see docs/ingest.md) has ``table`` (optional, checked against ``--table``),
``columns`` (canonical name → source column, or a list where the first non-blank wins),
``values`` (per canonical column: source value → canonical value), ``defaults`` (value when the
column is absent) and ``unmapped_medical_grade`` (pay band for staff group 01 rows whose grade maps
to nothing). Column names match case-, space- and punctuation-insensitively. Presets are mappings
shipped in ``parity/ingest/presets/``.

Mapping files are parsed with a size limit and a loader that counts the nodes YAML aliases stand
for, so a few-hundred-byte "billion laughs" file fails at once instead of expanding (issue 11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from parity.contract.lookup import normalise_label
from parity.contract.schema import TABLES, Table
from parity.ingest.limits import DEFAULT, LimitExceeded, Limits, check
from parity.ingest.parse import map_distinct
from parity.ingest.problems import file_error

_KEYS = {"table", "columns", "values", "defaults", "unmapped_medical_grade", "description", "unused",
         "fallthrough", "detect", "blank_means"}


@dataclass
class Mapping:
    table: str | None = None
    columns: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    unmapped_medical_grade: str | None = None
    source: str = "(none)"
    #: source columns known to this layout that the contract has no place for (reported, not stored)
    unused: list[str] = field(default_factory=list)
    #: per canonical column: source values meaning "look in the next column of the list" (ESR's
    #: Pay Band "Non AfC Grade": the grade or pay scale column says what it is)
    fallthrough: dict[str, list[str]] = field(default_factory=dict)
    #: how to recognise this layout from its headings (presets only): ``name`` and ``headings``
    detect: dict = field(default_factory=dict)
    description: str = ""
    #: per canonical column: the value a blank cell stands for in this layout (ESR's blank Bonus is
    #: no bonus, 0); each use is counted in a warning
    blank_means: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: object, source: str) -> Mapping:
        if data is None:
            data = {}
        if not isinstance(data, dict) or set(data) - _KEYS:
            extra = sorted(set(data) - _KEYS) if isinstance(data, dict) else []
            raise file_error(source, f"Mapping {source} is not a mapping we understand"
                             f"{' (unknown keys: ' + ', '.join(extra) + ')' if extra else ''}; "
                             f"it may have: {', '.join(sorted(_KEYS))}.", "bad_mapping")
        cols = {str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
                for k, v in (data.get("columns") or {}).items()}
        values = {str(k): {str(a): str(b) for a, b in (v or {}).items()}
                  for k, v in (data.get("values") or {}).items()}
        defaults = {str(k): str(v) for k, v in (data.get("defaults") or {}).items()}
        unused = [str(c) for c in data.get("unused") or []]
        fallthrough = {str(k): [str(x) for x in (v if isinstance(v, list) else [v])]
                       for k, v in (data.get("fallthrough") or {}).items()}
        return cls(data.get("table"), cols, values, defaults, data.get("unmapped_medical_grade"), source,
                   unused, fallthrough, dict(data.get("detect") or {}), str(data.get("description") or ""),
                   {str(k): str(v) for k, v in (data.get("blank_means") or {}).items()})

    def check(self, table: Table) -> None:
        """File-level error when the mapping names another table or columns the table lacks."""
        if self.table and self.table != table.name:
            raise file_error(self.source, f"Mapping {self.source} is for table {self.table!r} but you "
                             f"asked for --table {table.name}.", "mapping_table_mismatch")
        unknown = sorted((set(self.columns) | set(self.values) | set(self.defaults) | set(self.fallthrough)
                         | set(self.blank_means))
                         - set(table.names))
        if unknown:
            raise file_error(self.source, f"Mapping {self.source} names column(s) that table {table.name} "
                             f"does not have: {', '.join(unknown)}. Its columns are: "
                             f"{', '.join(table.names)}.", "bad_mapping")

    def candidates(self, table: Table, name: str) -> list[str]:
        """Source column names that may hold canonical column `name`, in order of preference."""
        aliases = [a for a, c in table.aliases.items() if c == name]
        return [*self.columns.get(name, []), name, *aliases]


def _expanded(node: yaml.Node, sizes: dict[int, int], active: set[int]) -> int:
    """Nodes under `node` counted as if every alias were written out (memoised; no recursion blow-up)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise yaml.YAMLError("a YAML alias refers to itself (a recursive structure)")
    active.add(key)
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded(n, sizes, active) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded(k, sizes, active) + _expanded(v, sizes, active) for k, v in node.value)
    else:
        size = 1
    active.discard(key)
    sizes[key] = size
    return size


def _limited_loader(limits: Limits, file: str) -> type:
    """A SafeLoader that stops once aliases have stood for more than ``max_yaml_aliases`` nodes."""

    class Loader(yaml.SafeLoader):
        expanded = 0
        sizes: dict[int, int]

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                anchor = self.peek_event().anchor
                if anchor in self.anchors:
                    if not hasattr(self, "sizes"):
                        self.sizes = {}
                    self.expanded += _expanded(self.anchors[anchor], self.sizes, set())
                    check(limits, "max_yaml_aliases", self.expanded, file)
            return super().compose_node(parent, index)

    return Loader


def parse_yaml(text: str, file: str, limits: Limits = DEFAULT) -> object:
    """Parse mapping YAML under `limits` (size and alias expansion)."""
    check(limits, "max_yaml_bytes", len(text.encode("utf-8")), file)
    return yaml.load(text, Loader=_limited_loader(limits, file))  # noqa: S506 — a SafeLoader subclass


def load_mapping(path: str | Path, limits: Limits = DEFAULT) -> Mapping:
    path = Path(path)
    try:
        check(limits, "max_yaml_bytes", path.stat().st_size, path.name)
        data = parse_yaml(path.read_text(encoding="utf-8-sig"), path.name, limits)
    except LimitExceeded:
        raise
    except (OSError, yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        raise file_error(path.name, f"Could not read mapping {path.name}: {exc}", "bad_mapping") from exc
    return Mapping.from_dict(data, path.name)


def preset_names() -> list[str]:
    folder = resources.files("parity.ingest") / "presets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_preset(name: str) -> Mapping:
    if name not in preset_names():
        raise file_error(name, f"No preset called {name!r}; presets: {', '.join(preset_names())}.",
                         "bad_mapping")
    text = (resources.files("parity.ingest") / "presets" / f"{name}.yaml").read_text(encoding="utf-8")
    return Mapping.from_dict(yaml.safe_load(text), f"preset {name}")


@dataclass
class Resolved:
    """Canonical columns as text, plus what happened to the source columns."""

    columns: dict[str, pd.Series]
    used: list[str]
    missing: list[str]
    dropped: list[str]
    questions: list[str]
    #: source columns the mapping lists as known but unused by the contract
    unused: list[str] = field(default_factory=list)
    #: (canonical column, message) for columns the mapping names that the file lacks
    absent: list[tuple[str, str]] = field(default_factory=list)


def expected_names(table: Table, mapping: Mapping) -> set[str]:
    """Normalised names a header row of this table may contain (used to find the header row)."""
    return {normalise_label(c) for name in table.names for c in mapping.candidates(table, name)}


def resolve(data: pd.DataFrame, table: Table, mapping: Mapping) -> Resolved:
    """Pick the source column(s) for each canonical column; the first non-blank of a list wins."""
    by_norm: dict[str, str] = {}
    for col in data.columns:
        by_norm.setdefault(normalise_label(col), col)
    out: dict[str, pd.Series] = {}
    used: list[str] = []
    missing: list[str] = []
    from_file: set[str] = set()
    for col in table.columns:
        sources = [by_norm[k] for k in map(normalise_label, mapping.candidates(table, col.name)) if k in by_norm]
        sources = list(dict.fromkeys(sources))
        skip = {normalise_label(v) for v in mapping.fallthrough.get(col.name, [])}
        if sources:
            series = data[sources[0]].astype(str)
            for other in sources[1:]:  # coalesce: fill blanks (and fall-through values) from the next column
                nxt = data[other].astype(str)
                empty = (series.str.strip() == "") | (map_distinct(series, normalise_label).isin(skip) if skip else False)
                series = series.where(~empty | (nxt.str.strip() == ""), nxt)
            out[col.name] = series
            used.extend(sources)
            from_file.add(col.name)
        elif col.name in mapping.defaults:
            out[col.name] = pd.Series(mapping.defaults[col.name], index=data.index, dtype=object)
        elif col.required:
            missing.append(col.name)
    if table.one_of and not any(all(c in out for c in alt) for alt in table.one_of):
        missing.append(alternatives_text(table))
    absent = _absent(table, mapping, from_file, missing)
    unused_norm = {normalise_label(c) for c in mapping.unused}
    rest = [c for c in data.columns if c not in used]
    unused = [c for c in rest if normalise_label(c) in unused_norm]
    rest = [c for c in rest if c not in unused]
    questions = rest if table.open_columns else []
    dropped = [] if table.open_columns else rest
    return Resolved(out, used, missing, dropped, questions, unused, absent)


def _absent(table: Table, mapping: Mapping, from_file: set[str], missing: list[str]) -> list[tuple[str, str]]:
    """Columns the mapping names that the file lacks (required ones are already errors): a warning
    each, never a silent skip. Columns of an alternative the file does not use are not worth one."""
    satisfied = [alt for alt in table.one_of if all(c in from_file for c in alt)]
    spare = {c for alt in table.one_of for c in alt} - {c for alt in satisfied for c in alt} if satisfied else set()
    found = []
    for name, sources in mapping.columns.items():
        if name in from_file or name in missing or name in spare:
            continue
        if name in mapping.defaults:
            what = f"takes the mapping's default {mapping.defaults[name]!r} on every row"
        elif name == "org_code":
            what = "comes from --org (default ORG)"
        else:
            what = "is left blank"
        found.append((name, f"{mapping.source} expects column {' or '.join(repr(s) for s in sources)} for "
                      f"{name}, but the file has none; {name} {what}."))
    return found


def alternatives_text(table: Table) -> str:
    """``hourly_rate (or ordinary_pay, pay_period_days and weekly_hours)`` for messages."""
    first, *rest = [", ".join(alt[:-1]) + " and " + alt[-1] if len(alt) > 1 else alt[0] for alt in table.one_of]
    return first + "".join(f" (or {r})" for r in rest)


def required_found(columns: list[str], table: Table, mapping: Mapping, *, defaults: bool = True) -> int:
    """How many of `table`'s required columns a header row provides (or, with `defaults`, the
    mapping's defaults provide) — for the wrong-table check and preset detection."""
    have = {normalise_label(c) for c in columns}
    return sum(any(normalise_label(s) in have for s in mapping.candidates(table, n))
               or (defaults and n in mapping.defaults) for n in table.required)


def best_other_table(columns: list[str], this: Table) -> tuple[Table, int, str] | None:
    """The table (and preset) whose required columns this header matches best, if not `this`."""
    best = None
    for t in TABLES.values():
        options = [(Mapping(), "")] + [(load_preset(p), p) for p in preset_names()
                                       if load_preset(p).table == t.name]
        for m, p in options:
            found = required_found(columns, t, m, defaults=False)  # a default is not evidence
            if found and (best is None or found / len(t.required) > best[1] / len(best[0].required)):
                best = (t, found, p)
    return None if best is None or best[0].name == this.name else best

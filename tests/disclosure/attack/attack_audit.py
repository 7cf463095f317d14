"""The attack: every small count of a release (1 to k-1 people, as the raw results say) is a target;
each method tries to pin it to one value from what the release publishes.

Methods: ``read`` (the figure itself is published: in the result JSON, or a format shows it —
"4 of 44 Disabled staff", a table row with the count); ``arithmetic`` (linear programming over one
document's published counts, rounded percentages and ratios); ``differencing years`` (the same
organisation's documents of other years, including year Y's "previous" values); ``differencing
levels`` (all organisations and every organisation together); ``figure`` (a withheld pay gap
printed elsewhere). `audit(release)` is the reusable entry point (also for a release gate).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from attack_cells import Path as CellPath
from attack_cells import counts, label, numbers
from attack_extract import as_number, csv_rows, html_text, json_text, of_pairs, pdf_text, tables, xlsx_rows
from attack_lp import Bounds, System
from attack_model import ALL, Document, Model, build_model, one_year_counts

PAY_MEASURES = ("mean_hourly_gap", "median_hourly_gap", "mean_bonus_gap", "median_bonus_gap")


@dataclass
class Target:
    doc: Document
    std: str
    path: CellPath
    coefs: dict
    truth: int
    what: str

    @property
    def name(self) -> str:
        return f"{self.doc.name} {self.std} {'.'.join(self.path)}{'' if self.what == 'count' else ' ' + self.what}"


@dataclass
class Finding:
    target: Target
    method: str
    channel: str
    detail: str

    def __str__(self) -> str:
        return f"{self.target.name} = {self.target.truth} recovered by {self.method} ({self.channel}): {self.detail}"


@dataclass
class Audit:
    targets: list[Target]
    findings: list[Finding] = field(default_factory=list)
    bounds: dict[str, Bounds] = field(default_factory=dict)
    k: int = 10

    def recovered(self, **where) -> list[Finding]:
        return [f for f in self.findings if all(getattr(f, k) == v for k, v in where.items())]

    def summary(self) -> dict:
        names = {f.target.name for f in self.findings}
        out = {"cells_tried": len(self.targets), "cells_recovered": len(names), "by_method": {}, "by_channel": {}}
        for key in ("method", "channel"):
            seen: dict[str, set] = {}
            for f in self.findings:
                seen.setdefault(getattr(f, key), set()).add(f.target.name)
            out[f"by_{key}"] = {k: len(v) for k, v in sorted(seen.items())}
        return out


def targets(documents: list[Document], k: int) -> list[Target]:
    """Every count of 1..k-1 in the raw results, every 1..k-1 people a rate did not count, and every
    1..k-1 cases of one year inside a two-year rolling window (the window's own count may be large)."""
    out = []
    for doc in documents:
        for std, path, value in one_year_counts(doc):
            window = next((i for i in doc.raw.get(std, {}).get("indicators") or [] if str(i["id"]) == path[1]), {})
            if path[-2] == "numerator" and window.get("period_rule") == "two_year_rolling" and 0 < value < k:
                out.append(Target(doc, std, path, {(doc.org, doc.year, std, *path): 1.0}, value, "cases of one year"))
        for std, raw in doc.raw.items():
            found = counts(raw)
            for path, value in found.items():
                if _statutory(doc.published.get(std), path):
                    continue
                var = (doc.org, doc.year, std, *path)
                if 0 < value < k:
                    out.append(Target(doc, std, path, {var: 1.0}, value, "count"))
                if path[-1] == "denominator" and (*path[:-1], "numerator") in found:
                    rest = value - found[(*path[:-1], "numerator")]
                    if 0 < rest < k and path[-2:-1] != ("Unknown",):
                        num = (doc.org, doc.year, std, *path[:-1], "numerator")
                        out.append(Target(doc, std, path, {var: 1.0, num: -1.0}, rest, "not counted"))
    return out


def _statutory(pub: dict | None, path: CellPath) -> bool:
    """Gender pay gap figures are statutory and published as they are (docs/disclosure-control.md)."""
    if not pub or not path or path[0] != "results":
        return False
    for i, item in enumerate(pub.get("results") or []):
        if label(item, i) == path[1]:
            return bool((item.get("disclosure") or {}).get("statutory"))
    return False


def audit(release, *, formats: bool = True, across_standards: bool = True) -> Audit:
    """Every target of `release` attacked by every method. ``across_standards``: the reader knows that
    WRES and WDES count the same people (`attack_model._across_standards`); off only to show the
    machinery recovers nothing without those identities."""
    docs = release.documents
    result = Audit(targets(docs, release.rule.k), k=release.rule.k)
    model = build_model(docs, across_standards=across_standards)
    _linear(result, model, docs)
    _pay_figures(result, docs)
    if formats:
        for doc in docs:
            _formats(result, doc, model, docs)
        for (org, year), pages in getattr(release, "web", {}).items():
            doc = next((d for d in docs if d.org == org and d.year == year), None)
            if doc is not None:
                for url, text in pages.items():
                    body = json_text(text) if ".json" in url else html_text(text)
                    _text_reads(result, doc, body, f"web {url}")
                    _text_previous(result, model, docs, doc, body, f"web {url}")
    return result


def _linear(result: Audit, model: Model, docs: list[Document]) -> None:
    full = System(model.constraints)
    per_doc: dict[str, System] = {}
    per_org: dict[str, System] = {}
    for t in result.targets:
        (var,) = t.coefs if len(t.coefs) == 1 else (None,)
        if var is not None and var in model.published:
            result.findings.append(Finding(t, "read", "json", f"published as {model.published[var]:g}"))
            continue
        b = full.bounds(t.coefs)
        result.bounds[t.name] = b
        if not b.pinned:
            continue
        own = _system(per_doc, t.doc.name, model, lambda c, mine={t.doc.name}: c.sources <= mine)
        org_docs = {d.name for d in docs if d.org == t.doc.org}
        same_org = _system(per_org, t.doc.org, model, lambda c, mine=org_docs: c.sources <= mine)
        if own.bounds(t.coefs).pinned:
            method = "arithmetic"
        elif same_org.bounds(t.coefs).pinned:
            method = "differencing years"
        else:
            method = "differencing levels"
        result.findings.append(Finding(t, method, "json", f"linprog interval [{b.low:.3f}, {b.high:.3f}]"))


def _system(cache: dict, key: str, model: Model, keep) -> System:
    if key not in cache:
        cache[key] = System([c for c in model.constraints if keep(c)])
    return cache[key]


def _pay_figures(result: Audit, docs: list[Document]) -> None:
    """A pay gap comparison the raw result withholds (a group under k full-pay employees) must not
    show through any other published figure about that group's pay: the band-mix decomposition,
    the bootstrap intervals (both are of the same two-group analysis), within-band rows."""
    for doc in docs:
        for std, raw in doc.raw.items():
            pub = doc.published.get(std)
            if not std.startswith("PAYGAP") or pub is None:
                continue
            withheld = {r.get("comparison_group") for r in raw.get("results") or []
                        if r.get("withheld") or all(r.get(m) is None for m in PAY_MEASURES)}
            decomposition = raw.get("decomposition") or {}
            for group in sorted(g for g in withheld if g):
                true = decomposition.get("total_gap") if decomposition.get("comparison_group") == group else None
                t = Target(doc, std, ("results", str(group)), {}, true if true is not None else 0.0,
                           "pay of a withheld group")
                result.targets.append(t)
                _pay_json(result, t, pub, group)
                if true is None:
                    continue
                shown = f"{true:.1f}%"
                for fmt in ("html", "pdf"):
                    if fmt in doc.files:
                        path = Path(doc.files[fmt])
                        text = html_text(path) if fmt == "html" else pdf_text(path)
                        if re.search(rf"(?<![\d.]){re.escape(shown)}", text):
                            result.findings.append(Finding(t, "figure", fmt, f'the group\'s mean gap "{shown}" printed'))


def _pay_json(result: Audit, t: Target, pub: dict, group: str) -> None:
    parts = []
    for r in pub.get("results") or []:
        if r.get("comparison_group") == group:
            parts += [(f"results[{group}].{m}", r.get(m)) for m in PAY_MEASURES]
    decomposition = pub.get("decomposition") or {}
    if decomposition.get("comparison_group") == group:
        parts += [(f"decomposition.{'.'.join(p)}", v) for p, v in numbers(decomposition).items()]
        parts += [(f"bootstrap_intervals.{'.'.join(p)}", v) for p, v in numbers(pub.get("bootstrap_intervals") or {}).items()
                  if p[-1] in ("ci_low", "ci_high")]
    for row in pub.get("within_band") or []:
        if row.get("comparison") == group and (row.get("n_comparison") or 0) < result.k:
            parts += [(f"within_band[{row.get('pay_band')}].{k}", v) for k, v in row.items()
                      if k in ("mean_comparison", "median_comparison", "mean_gap", "median_gap")]
    for where, value in parts:
        if value is not None and not isinstance(value, (str, bool)):
            result.findings.append(Finding(t, "figure", "json", f"{where} = {value:g}"))


def _formats(result: Audit, doc: Document, model: Model, docs: list[Document]) -> None:
    for fmt, path in doc.files.items():
        path = Path(path)
        if fmt in ("html", "pdf"):
            text = html_text(path) if fmt == "html" else pdf_text(path)
            _text_reads(result, doc, text, fmt)
            _text_previous(result, model, docs, doc, text, fmt)
        elif fmt == "xlsx":
            _table_reads(result, doc, tables(xlsx_rows(path)), "xlsx")
        elif fmt.startswith("csv"):
            _table_reads(result, doc, tables(csv_rows(path)), path.name.split("-")[-1].removesuffix(".csv")
                         and "csv")
        elif path.suffix == ".json":
            _text_reads(result, doc, json_text(path.read_text(encoding="utf-8")), "json file")


LAST_YEAR = re.compile(r"(?i)(?:last year|previous(?: year)?)\D{0,20}?(-?\d+\.\d+)")


def _text_previous(result: Audit, model: Model, docs: list[Document], doc: Document, text: str,
                   channel: str) -> None:
    """Year Y's text quoting last year's ratio ("Last year 0.78"), rounded as printed, against
    year Y-1's published cells: the ratio of a withheld Y-1 cell must not pin it."""
    last = next((d for d in docs if d.org == doc.org and d.year == doc.year - 1), None)
    quoted = set(LAST_YEAR.findall(text))
    if last is None or not quoted:
        return
    org_docs = {d.name for d in docs if d.org == doc.org}
    base = [c for c in model.constraints if c.sources <= org_docs and "previous" not in c.why]
    for std, raw in last.raw.items():
        pub = last.published.get(std) or {}
        shown = {i.get("id"): i for i in pub.get("indicators") or []}
        for ind in raw.get("indicators") or []:
            value = ind.get("value")
            if ind.get("kind") != "relative_likelihood" or value is None:
                continue
            if (shown.get(ind["id"]) or {}).get("value") is not None:
                continue  # last year's value is published in its own right
            printed = f"{value:.2f}"
            if printed not in quoted:
                continue
            extra = Model(truth=model.truth)
            _ratio_text(extra, last, std, ind, float(printed), {doc.name, last.name})  # 2 decimals as printed
            system = System(base + extra.constraints)
            for t in result.targets:
                if t.doc is last and t.std == std and t.coefs and ind["id"] in t.path and system.bounds(t.coefs).pinned:
                    result.findings.append(Finding(t, "differencing years", channel,
                                                   f'{doc.name} prints last year\'s {ind["id"]} as {printed}'))


def _ratio_text(m: Model, last: Document, std: str, ind: dict, printed: float, sources) -> None:
    from attack_model import _ratio

    _ratio(m, last, std, ("indicators", str(ind["id"])), ind, printed, sources, "printed last-year ratio",
           step=0.005)


def _group_of(t: Target) -> tuple[str | None, str | None, str | None]:
    """(indicator id, breakdown, group) a count target belongs to, read from its path."""
    p = list(t.path)
    ind = p[p.index("indicators") + 1] if "indicators" in p else None
    brk = p[p.index("breakdowns") + 1] if "breakdowns" in p else None
    grp = p[p.index("groups") + 1] if "groups" in p else None
    return ind, brk, grp


def _pair(t: Target) -> tuple[int, int] | None:
    """(numerator, denominator) the target is part of, from the raw result."""
    if t.path[-1] not in ("numerator", "denominator"):
        return None
    found = counts(t.doc.raw[t.std])
    num, den = found.get((*t.path[:-1], "numerator")), found.get((*t.path[:-1], "denominator"))
    return (num, den) if num is not None and den is not None else None


def _text_reads(result: Audit, doc: Document, text: str, channel: str) -> None:
    pairs = of_pairs(text)
    for t in result.targets:
        if t.doc is not doc or not t.coefs:
            continue
        _ind, _brk, grp = _group_of(t)
        pair = _pair(t)
        if pair is None or grp is None:
            continue
        for n, d, word, context in pairs:
            if (n, d) == pair and word == grp.lower():
                result.findings.append(Finding(t, "read", channel, f'"{context}"'))
                break


def _table_reads(result: Audit, doc: Document, rows: list[dict], channel: str) -> None:
    for t in result.targets:
        if t.doc is not doc or not t.coefs or t.what != "count":
            continue
        ind, brk, grp = _group_of(t)
        field_name = t.path[-1]
        if ind is None or grp is None:
            continue
        for row in rows:
            cells = {str(c).strip().lower() for c in row["_cells"] if isinstance(c, str)}
            if ind.lower() not in cells or grp.lower() not in cells:
                continue
            label = (brk or "overall").lower()
            if "breakdown" in row and str(row["breakdown"] or "overall").strip().lower() not in (
                    label, label.replace("_", " ")):
                continue
            if "year" in row and as_number(row["year"]) not in (None, float(doc.year)):
                continue
            if as_number(row.get(field_name)) == float(t.truth):
                result.findings.append(Finding(t, "read", channel,
                                               f"sheet {row['_sheet']}: {json.dumps(row['_cells'], default=str)}"))
                break


def check_documents(documents: list[Document], *, k: int = 10, formats: bool = False) -> list[str]:
    """For a release gate: one sentence per recovered figure ("<document> <standard> <path> = <value>
    recovered by <method> (<channel>): <how>"); empty when nothing is recovered. A `Document` needs
    the protected dicts as published (``{"WRES": ..., "WDES": ..., "PAYGAP:disability": ...}``), the
    raw ones, and for ``formats=True`` the written files (``{"html": path, ...}``)."""

    class _Release:
        web: dict = {}

    release = _Release()
    release.documents = documents
    release.rule = type("Rule", (), {"k": k})()
    return sorted({str(f) for f in audit(release, formats=formats).findings})


__all__ = ["ALL", "Audit", "Document", "Finding", "Target", "audit", "check_documents", "targets"]

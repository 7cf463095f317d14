"""The release gate: an audit of what a report is about to write, independent of how it was protected.

`protect` and `Release` decide what to withhold; this module only *reads* the protected report, as
a reader would, and refuses to let it be written if any published figure breaks the rule:

* every result must come from the protected release (``disclosure.protected``), and every path it
  lists as withheld must really be empty;
* no published count (numerator, denominator, cell, total, members, ...) lies between 1 and k-1, and
  no survey group with published figures has fewer than ``survey_min_responses`` responses;
* no sentence quotes a small count ("3 of 40");
* a pay gap comparison whose gaps are withheld shows no decomposition or bootstrap interval of them;
* no tidy row (the CSV and the Excel data sheet) shows a small count.

`audit_report` returns the problems; `check_report` raises `ReleaseRefused` naming the first figures.
"""

from __future__ import annotations

import re
from typing import Any

from parity.disclosure.rules import DisclosureRule
from parity.disclosure.system import get

#: fields of a protected result dict that hold counts of people (or survey responses)
COUNT_FIELDS = ("numerator", "denominator", "count", "total", "members", "unknown_count", "workforce_headcount",
                "respondents", "full_pay", "relevant", "bonus_recipients", "size", "n_reference", "n_comparison")
SURVEY_KINDS = ("percentages", "score")
REFUSED = ("refusing to write the report: {n} published figure(s) would break disclosure control "
           "(counts 1 to {top} withheld): {problems}")
NOT_PROTECTED = "{where}: not from the protected release (no disclosure.protected)"
NOT_EMPTY = "{where}.{path} is listed as withheld but shows {value!r}"
SMALL_COUNT = "{where}.{path} shows {value}, a count of 1 to {top}"
SMALL_SURVEY = "{where}.{path} shows {value} survey responses, fewer than {n}"
SMALL_TEXT = "{where}.{path} quotes \"{text}\""
DERIVED_GAP = "{where}: {field} is shown although the comparison's pay gaps are withheld"
TALLY = re.compile(r"(?<![\d.,])(\d[\d,]*) of (\d[\d,]*)")


class ReleaseRefused(ValueError):
    """The report would publish a figure the disclosure rule withholds: nothing is written."""


def _walk(doc: Any, path: str = ""):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, doc


def _leaf(path: str) -> str:
    return re.split(r"[.\[]", path)[-1].rstrip("]")


def audit_standard(doc: dict[str, Any], rule: DisclosureRule, where: str) -> list[str]:
    problems = []
    if not (doc.get("disclosure") or {}).get("protected"):
        return [NOT_PROTECTED.format(where=where)]
    for path in doc.get("suppressed") or []:
        value = _get_text(doc, path)
        if value is not None and not isinstance(value, str):
            problems.append(NOT_EMPTY.format(where=where, path=path, value=value))
    for i, ind in enumerate(doc.get("indicators") or []):
        survey = ind.get("kind") in SURVEY_KINDS
        for path, value in _walk(ind, f"indicators[{i}]"):
            name = _leaf(path)
            if name in COUNT_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
                if rule.is_small_count(value) and value != 0:
                    problems.append(SMALL_COUNT.format(where=where, path=path, value=value, top=rule.k - 1))
                elif survey and name == "denominator" and rule.is_small_survey(value) and ".groups." in path:
                    problems.append(SMALL_SURVEY.format(where=where, path=path, value=value,
                                                        n=rule.survey_min_responses))
            elif isinstance(value, str):
                problems += _tallies(value, rule, where, path)
    return problems


def _tallies(text: str, rule: DisclosureRule, where: str, path: str) -> list[str]:
    out = []
    for m in TALLY.finditer(text):
        n = int(m.group(1).replace(",", ""))
        if rule.is_small_count(n) and n != 0:
            out.append(SMALL_TEXT.format(where=where, path=path, text=m.group(0)))
    return out


def _get_text(doc: dict[str, Any], text: str) -> Any:
    parts: list[Any] = []
    for token in re.findall(r"[^.\[\]]+|\[\d+\]", text):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return get(doc, tuple(parts))


def audit_paygap(pg: dict[str, Any], rule: DisclosureRule, where: str) -> list[str]:
    problems = []
    statutory = pg.get("by") == "sex"
    results = pg.get("results") or []
    # the decomposition and bootstrap compare the two binary groups named in the decomposition
    d = pg.get("decomposition") or {}
    pair = (d.get("reference_group"), d.get("comparison_group"))
    binary = [r for r in results if (r.get("reference_group"), r.get("comparison_group")) == pair]
    bands = pg.get("within_band") or []
    hidden = (any(r.get("withheld") or (r.get("mean_hourly_gap") is None and r.get("median_hourly_gap") is None)
                  for r in binary) if binary else
              any(rule.is_small_count(sum(b.get(side) or 0 for b in bands)) for side in ("n_reference", "n_comparison")))
    if not statutory:
        for i, r in enumerate(results):
            for path, value in _walk({"counts": r.get("counts") or {}, "quarters": r.get("quarters") or []},
                                     f"results[{i}]"):
                if _leaf(path) in COUNT_FIELDS + tuple(r.get("counts") or {}) and isinstance(value, int) \
                        and not isinstance(value, bool) and rule.is_small_count(value) and value != 0:
                    problems.append(SMALL_COUNT.format(where=where, path=path, value=value, top=rule.k - 1))
        if hidden:
            if any(v is not None and not isinstance(v, str) for v in (pg.get("decomposition") or {}).values()):
                problems.append(DERIVED_GAP.format(where=where, field="decomposition"))
            for m, ci in (pg.get("bootstrap_intervals") or {}).items():
                if ci.get("ci_low") is not None or ci.get("ci_high") is not None:
                    problems.append(DERIVED_GAP.format(where=where, field=f"bootstrap_intervals.{m}"))
    for j, band in enumerate(pg.get("within_band") or []):
        for side in ("n_reference", "n_comparison"):
            value = band.get(side)
            if isinstance(value, int | float) and rule.is_small_count(value) and value != 0:
                problems.append(SMALL_COUNT.format(where=where, path=f"within_band[{j}].{side}", value=value,
                                                   top=rule.k - 1))
    return problems


def audit_rows(rows: list[dict[str, Any]], rule: DisclosureRule, where: str = "tidy CSV") -> list[str]:
    problems = []
    for i, row in enumerate(rows):
        if row.get("standard") == "PAYGAP" and (row.get("indicator") or "").startswith("paygap.sex."):
            continue  # statutory gender pay gap figures are published as the regulations require
        for col in ("numerator", "denominator"):
            value = row.get(col)
            if isinstance(value, int | float) and not isinstance(value, bool) and value != 0 \
                    and rule.is_small_count(value):
                problems.append(f"{where} row {i + 2} ({row.get('indicator')}, {row.get('breakdown')}, "
                                f"{row.get('group')}) {col} shows {value}, a count of 1 to {rule.k - 1}")
    return problems


def audit_report(report) -> list[str]:
    """Every problem found in a protected `parity.report.Report` (empty: safe to write)."""
    if report.unsuppressed:
        return []
    from parity.report.tidy import tidy_rows

    rule = report.rule
    problems = []
    for name, doc in report.standards.items():
        problems += audit_standard(doc, rule, name)
    for by, pg in report.paygap.items():
        problems += audit_paygap(pg, rule, f"paygap.{by}")
    problems += audit_rows(tidy_rows(report), rule)
    return problems


def check_report(report) -> None:
    """Raise `ReleaseRefused` (naming the figures) if the report would publish a withheld figure."""
    problems = audit_report(report)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise ReleaseRefused(REFUSED.format(n=len(problems), top=report.rule.k - 1, problems=shown))

"""The weekly network meeting's agenda: what changed since the last meeting, and what is due.

Everything on it is fit for a room of network members (the protected view): indicator figures and
findings come from the protected release (`parity.report.release`: the same pass as the report and
the dashboard), explorer findings from `protect_explore`, and SPC signals are stated in words
without their monthly counts.

Sections: new imports; the board findings (ranked); indicators that changed beyond chance since
last year; SPC signals since the last meeting; explorer findings that are significant this year
but were not last year; what staff told us in pulse surveys open or closed since; actions overdue
and due in the next two weeks; the last meeting's decisions; space for this meeting's decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

DUE_WINDOW = timedelta(days=14)
STANDARDS = ("WRES", "WDES")


@dataclass
class Agenda:
    org: str
    date: date
    since: date
    year: int | None
    imports: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    spc: list[str] = field(default_factory=list)
    explorer: list[str] = field(default_factory=list)
    pulse: list[str] = field(default_factory=list)
    overdue: list[dict] = field(default_factory=list)
    due: list[dict] = field(default_factory=list)
    last_meeting: dict | None = None


def _imports(workspace, since: date, on: date) -> list[dict]:
    from parity.workspace import Workspace

    log = Workspace.open(workspace, create=False).import_log()
    if log.empty:
        return []
    when = log["imported_at"].dt.date
    recent = log[(when >= since) & (when <= on)]
    return [{"table": r.table_name, "file": r.file_name, "rows": int(r.rows_accepted), "on": str(r.imported_at)[:10]}
            for r in recent.itertuples()]


def _moved(doc: dict) -> list[str]:
    out = []
    for ind in doc.get("indicators") or []:
        change, prev = ind.get("change") or {}, (ind.get("previous") or {}).get("value")
        if not change.get("beyond_chance") or ind.get("value") is None or prev is None:
            continue
        word = "higher" if ind["value"] > prev else "lower"
        standard, _, number = ind["id"].partition(".")
        shown = (f"{ind['value']:.2f}", f"{prev:.2f}") if ind.get("unit") == "ratio" else \
            (f"{ind['value']:+.1f} points", f"{prev:+.1f}")
        out.append(f"{standard.upper()} {number} {ind['title']}: {shown[0]}, {word} than last year ({shown[1]}) "
                   "by more than chance would explain.")
    return out


def _spc(workspace, org: str, since: date) -> list[str]:
    from parity.spc import spc
    from parity.spc.published import REPORT_SERIES, VARIATION

    out = []
    for measure, by in REPORT_SERIES:  # the series the report summarises
        try:
            result = spc(workspace, org=org, measure=measure, by=by, period="month")
        except ValueError:  # the table is not imported
            continue
        for s in result.series:
            recent = [p for p in s.points if p["special_cause"] and p["period"] >= since.strftime("%Y-%m")]
            if s.chart is None or not recent or s.variation == "common_cause":
                continue
            rules = sorted({r for p in recent for r in p["rules"]})
            out.append(f"{result.measure.label.capitalize()}, {s.group}: {VARIATION[s.variation][0]} "
                       f"({', '.join(r.replace('_', ' ') for r in rules)}; latest {s.points[-1]['period']}).")
    return out


def _explorer(workspace, org: str, year: int, release=None, *, rule=None) -> list[str]:
    """``release``: standard -> (documents, organisations) as published; the scan is protected around
    WRES 2's published figures (issue 10 leak 13, `parity.disclosure.explore_wres`) with ``rule``, the
    agenda's (the dashboard's on the web), so it withholds what the Explore page withholds."""
    from parity.disclosure.explore import protect_explore
    from parity.disclosure.explore_wres import wres_by_year
    from parity.explore.api import explore

    wres = wres_by_year(*release("WRES"), org) if release is not None else None

    def significant(y: int) -> dict[str, dict]:
        doc = protect_explore(explore(workspace, kind="scan", year=y, org=org).to_dict(), rule, wres=wres)
        return {f"{f['outcome']}|{sorted(f['group'].items())}": f for f in doc["findings"] if f.get("significant")}
    try:
        now = significant(year)
        before = significant(year - 1)
    except ValueError:
        return []
    return [f["narrative"] for key, f in now.items() if key not in before and f.get("narrative")]


def _published(workspace, standard: str, org: str, on: date, rule=None, release=None) -> dict[int, dict]:
    """{year: protected result} of `org` for the years complete by `on`, from one release of every
    organisation and year (the report's and the dashboard's pass, `parity.report.release`).
    ``release``: a function standard -> (documents, organisations) already protected that way (the
    dashboard's cached `Results.release`), used instead of computing the release again."""
    from parity.disclosure.rules import DisclosureRule
    from parity.report.release import unit_for

    docs, orgs = (release or both_standards(workspace, rule or DisclosureRule()))(standard)
    unit = unit_for(org, orgs)
    return {y: d for (u, y), d in docs.items() if u == unit and date(y, 3, 31) <= on}


def both_standards(workspace, rule):
    """standard -> (documents, organisations) of WRES and WDES protected together once (as the report
    and the dashboard publish them, `parity.report.release.protected_standards`)."""
    from parity.report.release import protected_standards

    found = {name.upper(): (docs, orgs) for name, (_r, orgs, docs) in protected_standards(workspace, rule).items()}
    return lambda standard: found.get(standard.upper(), ({}, []))


def build_agenda(workspace, *, org: str, on: date, since: date | None = None, rule=None,
                 release=None) -> Agenda:
    """The agenda of `org`'s meeting `on`; ``rule``: the disclosure rule (default `DisclosureRule()`);
    ``release``: the dashboard's cached protected release (`Results.release`, made with its rule)."""
    from parity.actions.meetings import MeetingStore
    from parity.actions.store import ActionStore
    from parity.report.findings import board_findings

    meetings = MeetingStore(workspace).list(org=org, before=on)
    since = since or (meetings[-1].date if meetings else on - timedelta(days=7))
    if release is None:
        from parity.disclosure.rules import DisclosureRule

        release = both_standards(workspace, rule or DisclosureRule())
    releases = {standard: _published(workspace, standard, org, on, rule, release) for standard in STANDARDS}
    years = sorted({y for docs in releases.values() for y in docs}, reverse=True)
    year = years[0] if years else None
    agenda = Agenda(org, on, since, year, imports=_imports(workspace, since, on))
    if year is not None:
        agenda.findings = [{"label": f.label, "title": f.title, "sentence": f.sentence, "trend": f.trend,
                            "link": f.link}
                           for f in board_findings(releases, year)[:5]]
        for standard in STANDARDS:
            doc = releases[standard].get(year)
            if doc is not None:
                agenda.moved += _moved(doc)
        agenda.explorer = _explorer(workspace, org, year, release, rule=rule)[:5]
    agenda.spc = _spc(workspace, org, since)
    from parity.pulse.published import agenda_lines

    agenda.pulse = agenda_lines(workspace, org, since, on)  # protected pulse results (docs/pulse.md)
    open_actions = [a for a in ActionStore(workspace).list(org=org) if a.status in ("planned", "in_progress")]
    agenda.overdue = [a.to_dict() for a in open_actions if a.due < on]
    agenda.due = [a.to_dict() for a in open_actions if on <= a.due <= on + DUE_WINDOW]
    if meetings:
        agenda.last_meeting = meetings[-1].to_dict()
    return agenda

"""Data-quality notes of a report: cases that belong to nobody in the workforce (issue 12, item 10).

A disciplinary or capability case whose person is in no workforce snapshot cannot be given an
ethnicity or disability; the indicators count it in Unknown (so Unknown may have more cases than
staff). The report still builds; this note says how many such cases there are, as a count of 1 to
k-1 would itself be a small number, "fewer than k".
"""

from __future__ import annotations

from datetime import date

CASE_TABLES = ("disciplinary", "capability")
UNMATCHED = ("{count} {table} cases in the two years to 31 March {year} belong to people with no workforce "
             "record; they are counted in the Unknown group. Check the person identifiers in the {table} data.")


def unmatched_case_notes(source, *, year: int, org: str | None, rule, cache: dict | None = None) -> list[str]:
    """One note per case table with cases of people in no workforce snapshot (same organisation).

    ``cache``: a dict shared by the reports of every organisation (``parity report --all-orgs``): each
    table's cases are counted for every organisation in one grouped query, not once per report."""
    if cache is not None and org is not None:
        if year not in cache:
            cache[year] = _unmatched(source, year=year, org=None, by_org=True)
        counts = {name: per_org.get(org, 0) for name, per_org in cache[year].items()}
    else:
        counts = _unmatched(source, year=year, org=org, by_org=False)
    notes = []
    for name, n in counts.items():
        if n:
            count = f"Fewer than {rule.k}" if rule.is_small_count(n) else f"{n:,}"
            notes.append(UNMATCHED.format(count=count, table=name, year=year))
    return notes


def _unmatched(source, *, year: int, org: str | None, by_org: bool) -> dict:
    """{table: unmatched cases} for `org` (None: all organisations together), or with ``by_org``
    {table: {org: unmatched cases}}."""
    from parity.indicators.source import open_source

    con, _ = open_source(source)
    tables = set(con.list_tables())
    out: dict = {}
    for name in CASE_TABLES:
        if name not in tables:
            continue
        cases = con.table(name)
        if "case_start_date" not in cases.columns or "person_id" not in cases.columns:
            continue
        cases = cases.filter((cases.case_start_date >= date(year - 2, 4, 1)) & (cases.case_start_date <= date(year, 3, 31)))
        if org is not None:
            cases = cases.filter(cases.org_code == org)
        if "workforce" in tables:
            staff = con.table("workforce").select("org_code", "person_id").distinct()
            cases = cases.anti_join(staff, ["org_code", "person_id"])
        if by_org:
            frame = cases.group_by("org_code").aggregate(n=cases.count()).to_pandas()
            out[name] = {str(o): int(n) for o, n in zip(frame["org_code"], frame["n"], strict=True)}
        else:
            out[name] = int(cases.count().to_pandas())
    return out

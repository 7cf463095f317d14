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


def unmatched_case_notes(source, *, year: int, org: str | None, rule) -> list[str]:
    """One note per case table with cases of people in no workforce snapshot (same organisation)."""
    from parity.indicators.source import open_source

    con, _ = open_source(source)
    tables = set(con.list_tables())
    notes = []
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
        n = int(cases.count().to_pandas())
        if n:
            count = f"Fewer than {rule.k}" if rule.is_small_count(n) else f"{n:,}"
            notes.append(UNMATCHED.format(count=count, table=name, year=year))
    return notes

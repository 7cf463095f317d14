"""Benchmark: the bias explorer's scan at national scale against one columnar pass.

National synthetic data (default 220 organisations, 1.5 million staff, 5 years) is loaded into a
DuckDB file with the canonical types (as `wres_national.py` does). We time, for one reporting year,

1. Parity's `scan` end to end (populations, counts, relative likelihoods, intervals, p-values,
   Benjamini-Hochberg, findings) for the staff and recruitment outcomes by ethnicity and sex;
2. one hand-written DuckDB SQL script counting the same finest cells (people and events per
   outcome x year x ethnic group x sex) — the columnar floor — and check both count the same;
3. Parity's `scan` for one organisation (`org=`), which must filter before it builds anything.

Run: `.venv/bin/python benchmarks/explore_national.py [--staff N] [--orgs M] [--years K] [--db FILE]`
(``--db``: the national DuckDB file `wres_national.py` uses, reused if it exists, else written there once).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import ibis

sys.path.insert(0, str(Path(__file__).parent))
from wres_national import national_arguments, national_database  # noqa: E402  (the same national database)

from parity.contract.codes import BAND_ORDER, ETHNIC_CATEGORIES  # noqa: E402
from parity.explore import scan  # noqa: E402
from parity.explore.outcomes import MEDICAL_ORDER  # noqa: E402

OUTCOMES = ["appointment", "disciplinary", "training", "promotion", "leaving"]


def _ethnic_group(column: str) -> str:
    groups: dict[str, list[str]] = {}
    for code, (_, group) in ETHNIC_CATEGORIES.items():
        if group != "Unknown":
            groups.setdefault(group, []).append(code)
    whens = " ".join(f"WHEN {column} IN ({', '.join(repr(c) for c in codes)}) THEN '{g}'" for g, codes in groups.items())
    return f"CASE {whens} ELSE 'Unknown' END"


def hand_sql(year: int) -> str:
    eth = _ethnic_group("ethnic_category")
    sex = "CASE WHEN sex IN ('female', 'male', 'other') THEN sex ELSE 'Unknown' END"
    fy = "year({d}) + CASE WHEN month({d}) >= 4 THEN 1 ELSE 0 END"
    ranks = {**BAND_ORDER, **MEDICAL_ORDER}
    rank = "CASE {b} " + " ".join(f"WHEN '{b}' THEN {i}" for b, i in ranks.items()) + " END"
    afc, med = (", ".join(f"'{b}'" for b in names) for names in (BAND_ORDER, MEDICAL_ORDER))
    ladder = f"CASE WHEN {{b}} IN ({afc}) THEN 'afc' WHEN {{b}} IN ({med}) THEN 'medical' END"
    return f"""
WITH staff AS (
  SELECT org_code, year(snapshot_date) AS year, person_id, {eth} AS eth, {sex} AS sx, pay_band
  FROM workforce
  WHERE month(snapshot_date) = 3 AND day(snapshot_date) = 31 AND assignment_category <> 'bank'
    AND year(snapshot_date) IN ({year - 1}, {year})
  QUALIFY row_number() OVER (PARTITION BY org_code, year(snapshot_date), person_id ORDER BY
    CASE WHEN primary_assignment THEN 2 WHEN primary_assignment IS NULL THEN 1 ELSE 0 END DESC,
    fte DESC, pay_band DESC, staff_group) = 1
), events AS (
  SELECT 'disciplinary' AS what, org_code, person_id, {fy.format(d='case_start_date')} AS year
  FROM disciplinary WHERE formal
  UNION SELECT 'training', org_code, person_id, {fy.format(d='course_date')} FROM training WHERE non_mandatory
  UNION SELECT 'leaving', org_code, person_id, {fy.format(d='leave_date')} - 1 FROM leavers
), flagged AS (
  SELECT w.what, s.year + CASE WHEN w.what = 'leaving' THEN 1 ELSE 0 END AS year, s.eth, s.sx,
         count(*) AS n, count(e.person_id) AS events
  FROM staff s CROSS JOIN (VALUES ('disciplinary'), ('training'), ('leaving')) w(what)
  LEFT JOIN events e ON e.what = w.what AND e.org_code = s.org_code AND e.person_id = s.person_id
    AND e.year = s.year
  WHERE s.year = CASE WHEN w.what = 'leaving' THEN {year - 1} ELSE {year} END
  GROUP BY ALL
)
SELECT * FROM flagged
UNION ALL
SELECT 'appointment', {fy.format(d='application_date')}, {eth}, {sex}, count(*), count_if(appointed)
FROM applications
WHERE coalesce(shortlisted, false) AND NOT coalesce(offer_declined, false)
  AND {fy.format(d='application_date')} = {year}
GROUP BY ALL
UNION ALL
SELECT 'promotion', e.year, s.eth, s.sx, count(*), count_if({rank.format(b='e.pay_band')} > {rank.format(b='s.pay_band')})
FROM staff s JOIN staff e ON e.org_code = s.org_code AND e.person_id = s.person_id AND e.year = s.year + 1
WHERE e.year = {year} AND {ladder.format(b='s.pay_band')} = {ladder.format(b='e.pay_band')}
GROUP BY ALL
"""


def main() -> None:
    args = national_arguments(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        db = national_database(args, tmp)  # `--db FILE`: reused, as wres_national.py does
        con = ibis.duckdb.connect(str(db), read_only=True)
        year = int(con.con.execute("SELECT max(year(snapshot_date)) FROM workforce").fetchone()[0])
        org = con.con.execute("SELECT min(org_code) FROM workforce").fetchone()[0]
        times: dict[str, list[float]] = {"parity": [], "sql": [], "org": []}
        cpu: dict[str, list[float]] = {k: [] for k in times}  # every DuckDB thread counted
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            result = scan(con, year=year, by=("ethnicity", "sex"), outcomes=OUTCOMES)
            times["parity"].append(time.perf_counter() - t0)
            cpu["parity"].append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            # materialised inside DuckDB, then fetched (as wres_national.py, for the same reason)
            con.con.execute(f"CREATE OR REPLACE TEMP TABLE hand_cells AS {hand_sql(year)}")
            hand = con.con.execute("SELECT * FROM hand_cells").df()
            times["sql"].append(time.perf_counter() - t0)
            cpu["sql"].append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            scan(con, year=year, by=("ethnicity", "sex"), outcomes=OUTCOMES, org=org)
            times["org"].append(time.perf_counter() - t0)
            cpu["org"].append(time.process_time() - c0)
            print("  " + ", ".join(f"{k} {v[-1]:.2f} s ({cpu[k][-1]:.2f} s CPU)" for k, v in times.items()), flush=True)
        _check_agree(result.frame, hand)
    p, s, o = (min(times[k]) for k in ("parity", "sql", "org"))
    pc, sc, oc = (min(cpu[k]) for k in ("parity", "sql", "org"))
    print(f"Parity scan ({', '.join(OUTCOMES)}; by ethnicity, sex; year {year}): {p:.2f} s, {pc:.2f} s CPU "
          f"(best of {args.repeat})")
    print(f"one columnar pass (hand-written DuckDB SQL, the same cells): {s:.2f} s, {sc:.2f} s CPU")
    print(f"ratio Parity / SQL: {p / s:.2f} wall, {pc / sc:.2f} CPU")
    print(f"Parity scan of one organisation ({org}): {o:.2f} s, {oc:.2f} s CPU")


def _check_agree(frame, hand) -> None:
    """Both count the same people and events per outcome, ethnic group and sex."""
    cells = frame[frame.attributes == "ethnicity+sex"]
    mine = cells.groupby(["outcome", "ethnicity", "sex"])[["n", "events"]].sum().astype(int).sort_index()
    theirs = (hand.groupby(["what", "eth", "sx"])[["n", "events"]].sum().astype(int)
              .rename_axis(["outcome", "ethnicity", "sex"]).sort_index())
    assert mine.equals(theirs), "the scan and the hand-written SQL count different cells"
    print("counts agree with the hand-written SQL")


if __name__ == "__main__":
    main()

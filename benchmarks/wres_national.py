"""Benchmark: all nine WRES indicators for every organisation and year at national scale.

National synthetic data (default 220 organisations, 1.5 million staff, 5 years) is generated in
memory and loaded into a DuckDB file with the canonical types. We time

1. Parity's counts (`count_wres`: the Ibis expressions behind all nine indicators, every org × year),
2. the same counts by one hand-written DuckDB SQL script, and check both agree,
3. turning the counts into results (statistics as arrays, narratives) for every org × year and
   for all organisations together.

The same for WDES (its own hand-written SQL). End to end = counts + results, against the SQL.
Parity's steps run with the cyclic garbage collector as `parity wres` / `parity wdes` run it
(`parity.commands.common.batch_gc`).

Each step also prints its CPU seconds (every DuckDB thread included): on a shared machine wall time is
mostly the queue.

Run: `.venv/bin/python benchmarks/wres_national.py [--staff N] [--orgs M] [--years K] [--db FILE]`
(``--db``: a national DuckDB file reused across runs, written once if absent).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import ibis
import pandas as pd

from parity import WresConfig
from parity.backends import to_arrow
from parity.standards.wres.api import assemble
from parity.standards.wres.counts import count_wres

HAND_SQL = """
WITH wf AS (
  SELECT *, year(snapshot_date) AS year FROM workforce
  WHERE month(snapshot_date) = 3 AND day(snapshot_date) = 31
), sub AS (
  SELECT * FROM wf WHERE assignment_category <> 'bank'
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY org_code, year, person_id ORDER BY
    CASE WHEN primary_assignment THEN 2 WHEN primary_assignment IS NULL THEN 1 ELSE 0 END DESC,
    fte DESC, pay_band DESC, staff_group) AS rn
  FROM sub
), staff AS (
  SELECT org_code, year, person_id, pay_band, clinical,
    CASE WHEN ethnic_category IN ('A','B','C') THEN 'White'
         WHEN ethnic_category IN ('D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'BME'
         ELSE 'Unknown' END AS grp
  FROM ranked WHERE rn = 1
)
SELECT 'distribution' AS what, org_code, year, grp, pay_band, clinical, count(*) AS n, NULL::BIGINT AS d
FROM staff GROUP BY ALL
UNION ALL
SELECT 'recruitment', org_code,
  year(application_date) + CASE WHEN month(application_date) >= 4 THEN 1 ELSE 0 END AS year,
  CASE WHEN ethnic_category IN ('A','B','C') THEN 'White'
       WHEN ethnic_category IN ('D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'BME'
       ELSE 'Unknown' END AS grp, NULL, NULL,
  sum(CASE WHEN appointed THEN 1 ELSE 0 END), count(*)
FROM applications WHERE coalesce(shortlisted, false) AND NOT coalesce(offer_declined, false) GROUP BY ALL
UNION ALL
SELECT 'training', s.org_code, s.year, s.grp, NULL, NULL, count(t.person_id), count(*)
FROM staff s LEFT JOIN (
  SELECT DISTINCT org_code, person_id,
    year(course_date) + CASE WHEN month(course_date) >= 4 THEN 1 ELSE 0 END AS year
  FROM training WHERE non_mandatory) t
  ON s.org_code = t.org_code AND s.year = t.year AND s.person_id = t.person_id
GROUP BY ALL
UNION ALL
SELECT 'disciplinary', e.org_code, e.year,
  CASE WHEN a.eth IN ('A','B','C') THEN 'White'
       WHEN a.eth IN ('D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'BME' ELSE 'Unknown' END,
  NULL, NULL, count(*), NULL
FROM (SELECT DISTINCT org_code, person_id,
        year(case_start_date) + CASE WHEN month(case_start_date) >= 4 THEN 1 ELSE 0 END AS year
      FROM disciplinary WHERE formal) e
LEFT JOIN (SELECT w.org_code, w.person_id, max(w.ethnic_category) AS eth FROM workforce w
           JOIN (SELECT org_code, person_id, max(snapshot_date) AS last FROM workforce GROUP BY ALL) l
             ON w.org_code = l.org_code AND w.person_id = l.person_id AND w.snapshot_date = l.last
           GROUP BY ALL) a
  ON e.org_code = a.org_code AND e.person_id = a.person_id
GROUP BY ALL
UNION ALL
SELECT 'board', org_code, year,
  CASE WHEN eth IN ('A','B','C') THEN 'White'
       WHEN eth IN ('D','E','F','G','H','J','K','L','M','N','P','R','S') THEN 'BME' ELSE 'Unknown' END,
  NULL, NULL, count(*), sum(CASE WHEN voting THEN 1 ELSE 0 END)
FROM (SELECT org_code, year, person_id, max(ethnic_category) AS eth, bool_or(coalesce(board_voting, false)) AS voting
      FROM wf WHERE coalesce(board_member, false) GROUP BY ALL)
GROUP BY ALL
"""

#: the same for WDES: disability groups, formal capability (any grounds, and performance only)
WDES_HAND_SQL = """
WITH wf AS (
  SELECT *, year(snapshot_date) AS year FROM workforce
  WHERE month(snapshot_date) = 3 AND day(snapshot_date) = 31
), sub AS (
  SELECT * FROM wf WHERE assignment_category <> 'bank'
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY org_code, year, person_id ORDER BY
    CASE WHEN primary_assignment THEN 2 WHEN primary_assignment IS NULL THEN 1 ELSE 0 END DESC,
    fte DESC, pay_band DESC, staff_group) AS rn
  FROM sub
), staff AS (
  SELECT org_code, year, person_id, pay_band, clinical,
    CASE WHEN disability = 'yes' THEN 'Disabled' WHEN disability = 'no' THEN 'Non-disabled' ELSE 'Unknown' END AS grp
  FROM ranked WHERE rn = 1
), latest AS (
  SELECT w.org_code, w.person_id, max(w.disability) AS dis FROM workforce w
  JOIN (SELECT org_code, person_id, max(snapshot_date) AS last FROM workforce GROUP BY ALL) l
    ON w.org_code = l.org_code AND w.person_id = l.person_id AND w.snapshot_date = l.last
  GROUP BY ALL
)
SELECT 'distribution' AS what, org_code, year, grp, pay_band, clinical, count(*) AS n, NULL::BIGINT AS d
FROM staff GROUP BY ALL
UNION ALL
SELECT 'recruitment', org_code,
  year(application_date) + CASE WHEN month(application_date) >= 4 THEN 1 ELSE 0 END AS year,
  CASE WHEN disability = 'yes' THEN 'Disabled' WHEN disability = 'no' THEN 'Non-disabled' ELSE 'Unknown' END AS grp,
  NULL, NULL, sum(CASE WHEN appointed THEN 1 ELSE 0 END), count(*)
FROM applications WHERE coalesce(shortlisted, false) AND NOT coalesce(offer_declined, false) GROUP BY ALL
UNION ALL
SELECT CASE WHEN e.performance THEN 'capability_performance' ELSE 'capability' END, e.org_code, e.year,
  CASE WHEN a.dis = 'yes' THEN 'Disabled' WHEN a.dis = 'no' THEN 'Non-disabled' ELSE 'Unknown' END,
  NULL, NULL, count(*), NULL
FROM (SELECT DISTINCT org_code, person_id, false AS performance,
        year(case_start_date) + CASE WHEN month(case_start_date) >= 4 THEN 1 ELSE 0 END AS year
      FROM capability WHERE formal
      UNION ALL
      SELECT DISTINCT org_code, person_id, true,
        year(case_start_date) + CASE WHEN month(case_start_date) >= 4 THEN 1 ELSE 0 END
      FROM capability WHERE formal AND NOT coalesce(ill_health, false)) e
LEFT JOIN latest a ON e.org_code = a.org_code AND e.person_id = a.person_id
GROUP BY ALL
UNION ALL
SELECT 'board', org_code, year,
  CASE WHEN dis = 'yes' THEN 'Disabled' WHEN dis = 'no' THEN 'Non-disabled' ELSE 'Unknown' END,
  NULL, NULL, count(*), sum(CASE WHEN voting THEN 1 ELSE 0 END)
FROM (SELECT org_code, year, person_id, max(disability) AS dis, bool_or(coalesce(board_voting, false)) AS voting
      FROM wf WHERE coalesce(board_member, false) GROUP BY ALL)
GROUP BY ALL
"""


def build_database(path: Path, *, staff: int, orgs: int, years: int, seed: int) -> dict[str, int]:
    from parity.synth import build

    t0 = time.perf_counter()
    tables = build(staff=staff, orgs=orgs, years=years, seed=seed)
    print(f"generated in {time.perf_counter() - t0:.1f} s", flush=True)
    con = duckdb.connect(str(path))
    sizes = {}
    for name, frame in tables.items():
        if name == "survey_responses":
            continue  # stored long after ingest; the benchmark covers indicators 1-4 and 9
        arrow = to_arrow(name, frame)  # the contract's stored types, as an import would store them
        con.register("frame", arrow)
        con.execute(f"CREATE TABLE {name} AS SELECT *, 1 AS import_id FROM frame")
        con.unregister("frame")
        sizes[name] = len(frame)
        del arrow
    con.close()
    return sizes


def national_database(args: argparse.Namespace, tmp: str) -> Path:
    """The national DuckDB file: ``--db PATH`` reused when it exists (written once, atomically: built
    beside it under a temporary name, then renamed), else built in ``tmp`` for this run only."""
    if args.db is None:
        db = Path(tmp) / "parity.duckdb"
        sizes = build_database(db, staff=args.staff, orgs=args.orgs, years=args.years, seed=args.seed)
        print("rows:", ", ".join(f"{k} {v:,}" for k, v in sizes.items()), flush=True)
        return db
    db = Path(args.db)
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        part = db.with_name(f".{db.name}.{os.getpid()}.part")
        sizes = build_database(part, staff=args.staff, orgs=args.orgs, years=args.years, seed=args.seed)
        print("rows:", ", ".join(f"{k} {v:,}" for k, v in sizes.items()), flush=True)
        os.replace(part, db)
    print(f"national database: {db} (its size options are those it was built with)", flush=True)
    return db


def national_arguments(description: str) -> argparse.Namespace:
    """The national set's size (default 220 organisations, 1.5 M staff, 5 years), seed and repeats."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", default=None,
                        help="DuckDB file of the national set: reused if it exists, else built there once")
    parser.add_argument("--staff", type=int, default=1_500_000)
    parser.add_argument("--orgs", type=int, default=220)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


def main() -> None:
    args = national_arguments(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        db = national_database(args, tmp)
        # one DuckDB connection for both, so both see the same database instance and settings
        con = ibis.duckdb.connect(str(db), read_only=True)
        from parity.commands.common import batch_gc

        with batch_gc():  # as the `parity wres` / `parity wdes` commands run
            rows = {name: _standard(con, name, args.repeat) for name in ("WRES", "WDES")}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    total = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))}
    for name, r in [*rows.items(), ("WRES + WDES", total)]:
        end, end_cpu = r["counts"] + r["results"], r["counts_cpu"] + r["results_cpu"]
        print(f"{name}: Parity counts {r['counts']:.2f} s + statistics and narratives {r['results']:.2f} s = "
              f"{end:.2f} s; hand-written SQL {r['sql']:.2f} s; counts / SQL {r['counts'] / r['sql']:.2f}, "
              f"end to end / SQL {end / r['sql']:.2f}")
        # CPU of the process (every DuckDB thread included): on a shared machine wall time is mostly the queue
        print(f"  CPU: counts {r['counts_cpu']:.2f} s + results {r['results_cpu']:.2f} s = {end_cpu:.2f} s; "
              f"SQL {r['sql_cpu']:.2f} s; end to end / SQL {end_cpu / r['sql_cpu']:.2f}")
    print(f"peak memory of the whole process (DuckDB included): {peak:.2f} GiB")


def _standard(con, name: str, repeat: int) -> dict[str, float]:
    """Best-of-`repeat` counts by Parity and by the hand-written SQL (checked equal), then the results
    (statistics as arrays, every organisation-year and the national level, with narratives)."""
    from parity.indicators.batch import prepared_statistics
    from parity.indicators.survey import load_question_map, score_counts
    from parity.standards.wdes.api import WdesConfig, by_disability, count_wdes
    from parity.standards.wdes.api import assemble as assemble_wdes

    count = count_wres if name == "WRES" else count_wdes
    parity_times, sql_times, parity_cpu, sql_cpu = [], [], [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        counts = count(con)
        scores = score_counts(con, by_disability, load_question_map(None), ["wdes.9a"]) if name == "WDES" else None
        parity_times.append(time.perf_counter() - t0)
        parity_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        # materialised inside DuckDB, then fetched: streaming this UNION ALL straight into
        # pandas or Arrow hangs with duckdb 1.5.6 at national scale (fine at 300k staff)
        con.con.execute(f"CREATE OR REPLACE TEMP TABLE hand_counts AS {HAND_SQL if name == 'WRES' else WDES_HAND_SQL}")
        hand = con.con.execute("SELECT * FROM hand_counts").to_arrow_table().to_pandas()
        sql_times.append(time.perf_counter() - t0)
        sql_cpu.append(time.process_time() - c0)
        print(f"  {name} counts: Parity {parity_times[-1]:.2f} s, hand-written SQL {sql_times[-1]:.2f} s", flush=True)
    _check_agree(counts, hand)
    config = WresConfig() if name == "WRES" else WdesConfig()
    t0, cpu0 = time.perf_counter(), time.process_time()
    with prepared_statistics(counts, standard=name, settings=config.stats):
        units = [*counts.orgs(), None]
        if name == "WRES":
            results = [assemble(counts, year=y, org=o, config=config) for y in counts.years() for o in units]
        else:
            results = [assemble_wdes(counts, scores, year=y, org=o, config=config)
                       for y in counts.years() for o in units]
    results_s, results_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(f"  {name}: statistics and narratives for {len(results):,} results ({len(counts.orgs())} organisations "
          f"and all together x {len(counts.years())} years): {results_s:.2f} s ({results_cpu:.2f} s CPU)", flush=True)
    return {"counts": min(parity_times), "sql": min(sql_times), "results": results_s,
            "counts_cpu": min(parity_cpu), "sql_cpu": min(sql_cpu), "results_cpu": results_cpu}


def _check_agree(counts, hand: pd.DataFrame) -> None:
    """The hand-written SQL and Parity must count the same people."""
    mine = counts.distribution.groupby(["org_code", "year", "group"])["count"].sum().sort_index()
    theirs = (hand[hand.what == "distribution"].groupby(["org_code", "year", "grp"])["n"].sum()
              .rename_axis(["org_code", "year", "group"]).sort_index())
    assert mine.astype(int).equals(theirs.astype(int)), "distribution counts differ"
    rec = hand[hand.what == "recruitment"].groupby(["org_code", "year", "grp"])[["n", "d"]].sum()
    mine_rec = counts.recruitment.set_index(["org_code", "year", "group"])[["numerator", "denominator"]].sort_index()
    assert (mine_rec.values == rec.loc[mine_rec.index].values).all(), "recruitment counts differ"
    for what in sorted(set(hand.what) & set(counts.events)):
        theirs = hand[hand.what == what].groupby(["org_code", "year", "grp"])["n"].sum()
        mine = counts.events[what].groupby(["org_code", "year", "group"])["numerator"].sum()
        mine = mine[mine > 0]
        assert mine.astype(int).sort_index().equals(theirs.rename_axis(mine.index.names).astype(int).sort_index()), \
            f"{what} counts differ"
    print("counts agree with the hand-written SQL")


if __name__ == "__main__":
    main()

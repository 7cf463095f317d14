"""`parity benchmark build`: fill the canonical `benchmarks` table from every organisation of a
multi-organisation workspace, with **protected figures only** (issue 18).

The figures are those `parity report` publishes: each standard's release of every organisation, the
all-organisations level and the trend years, protected together
(`parity.report.release.protected_release`, docs/disclosure-control.md), so a comparison never
shows a count the report withholds, and subtracting one published figure from another recovers
nothing new. Only the reporting year's release is protected: its cells are decided exactly as in the
report's five-year release (`parity.benchmark.releases`, ``reporting_year_only``), from the counts of
that year and the year before only. A withheld count or value is stored empty. Size and ethnic mix (for peers) come from
the protected WRES indicator 1: its denominator is the headcount, its value the BME percentage.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from parity.benchmark import figures

ATTRIBUTES = ("org_name", "org_type", "region")
NO_ORGS = "`parity benchmark build` needs two or more organisations in the workspace; it holds {n}"


def protected_frame(source, *, year: int, backend: str = "duckdb", rule=None, progress=None) -> pd.DataFrame:
    """One `benchmarks` row per organisation x comparable indicator of `year` (protected figures)."""
    from parity.benchmark.releases import protected_releases
    from parity.disclosure import DisclosureRule
    from parity.indicators.catalogue import CATALOGUE, indicators

    indicators("WRES")
    rows: list[dict] = []
    size: dict[str, tuple] = {}
    seen: set[str] = set()
    releases = protected_releases(source, year=year, rule=rule or DisclosureRule(), backend=backend,
                                  progress=progress, reporting_year_only=True)
    for docs, orgs in releases.values():
        seen |= set(orgs)
        if len(orgs) < 2:
            continue
        for org in orgs:
            doc = docs.get(((org,), year))
            if doc is None:
                continue
            for ind in doc["indicators"]:
                if ind["id"] == "wres.1":  # every group's denominator is the headcount (when shown)
                    dens = [g.get("denominator") for g in (ind.get("groups") or {}).values()]
                    size[org] = (next((d for d in dens if isinstance(d, int | float)), None), ind.get("value"))
                defn = CATALOGUE.get(ind["id"])
                if defn is not None and defn.kind in figures.COMPARABLE_KINDS and defn.group_b:
                    rows.append(figures.indicator_row(org, year, defn, ind))
    if len(seen) < 2:
        raise ValueError(NO_ORGS.format(n=len(seen)))
    frame = pd.DataFrame(rows, columns=figures.COLUMNS)
    for org, (headcount, bme) in size.items():
        at = frame["org_code"] == org
        frame.loc[at, "headcount"] = headcount
        frame.loc[at, "bme_percent"] = bme if isinstance(bme, int | float) else None
    return frame


def read_organisations(path: Path) -> pd.DataFrame:
    """``org_code`` plus any of org_name, org_type, region from a CSV (to label computed rows)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise ValueError(f"Could not read organisations file {path}: {exc}") from None
    frame.columns = [str(c).strip().lower().replace(" ", "_") for c in frame.columns]
    if "org_code" not in frame:
        raise ValueError(f"{path}: no org_code column (columns: {', '.join(frame.columns)})")
    keep = ["org_code", *[c for c in ATTRIBUTES if c in frame]]
    frame = frame[keep].apply(lambda s: s.str.strip()).replace("", None)
    frame["org_code"] = frame["org_code"].str.upper()
    if "org_type" in frame:
        frame["org_type"] = frame["org_type"].str.lower().str.replace(" ", "_")
    return frame


def label(frame: pd.DataFrame, known: pd.DataFrame | None) -> pd.DataFrame:
    """Fill name, type and region from `known` (one row per org_code) where the frame has none."""
    if known is None or known.empty:
        return frame
    known = known.drop_duplicates("org_code", keep="last").set_index("org_code")
    for col in ATTRIBUTES:
        if col in known:
            fill = frame["org_code"].map(known[col])
            frame[col] = frame[col].where(frame[col].notna(), fill)
    return frame


def stored_attributes(ws) -> pd.DataFrame | None:
    """Name, type and region already in the workspace's benchmarks table (kept on a rebuild)."""
    with ws.connect() as con:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'benchmarks'"
                           ).fetchone()[0]:
            return None
        return con.execute("SELECT org_code, max(org_name) AS org_name, max(org_type) AS org_type, "
                           "max(region) AS region FROM benchmarks GROUP BY org_code").df()


def build(workspace, *, year: int, backend: str = "duckdb", organisations: Path | None = None,
          rule=None, progress=None) -> dict:
    """Compute and store the protected rows of `year`; returns a summary (rows, organisations, …)."""
    from parity.contract.schema import TABLES
    from parity.ingest.load import store
    from parity.workspace import Workspace

    ws = workspace if isinstance(workspace, Workspace) else Workspace.open(Path(workspace))
    known = read_organisations(organisations) if organisations else None
    frame = protected_frame(ws.path, year=year, backend=backend, rule=rule, progress=progress)
    frame = label(label(frame, known), stored_attributes(ws))
    if progress:
        progress(f"Storing {len(frame):,} protected rows")
    log = {"file_name": f"{figures.BUILD_LOG} --year {year}", "content_sha256": "",
           "org_code": ", ".join(sorted(frame["org_code"].unique())), "rows_read": len(frame),
           "rows_accepted": len(frame), "rows_excluded": 0, "excluded_by_reason": {}}
    import_id, stored, replaced, _scope = store(ws, frame, TABLES["benchmarks"], questions=None, log=log,
                                                year=None)
    return {"year": year, "rows": stored, "replaced": replaced, "import_id": import_id, "backend": backend,
            "organisations": int(frame["org_code"].nunique()), "indicators": sorted(frame["indicator"].unique()),
            "withheld_values": int(frame["value"].isna().sum())}

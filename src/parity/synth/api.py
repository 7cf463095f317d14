"""`generate` (files) and `build` (in-memory tables): the public entry points of `parity.synth`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from parity.synth import config as C
from parity.synth.arrays import stream
from parity.synth.bias import resolve
from parity.synth.core import TABLES, Synth, check_sizes, run
from parity.synth.esr import esr_table
from parity.synth.messy import messy_applications, messy_esr, messy_workforce
from parity.synth.truth import ground_truth
from parity.synth.write import plain, write_json, write_table

MESSY = {"esr": messy_esr, "workforce": messy_workforce, "applications": messy_applications}


@dataclass
class GenerationResult:
    """What `generate` wrote: file paths by name and data rows per table."""

    out_dir: Path
    paths: dict[str, Path] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    ground_truth: dict = field(default_factory=dict)
    defects: list[dict] = field(default_factory=list)


def to_pandas(tab: pa.Table) -> pd.DataFrame:
    """Canonical values as plain columns: strings, datetime64 dates, nullable booleans."""
    return plain(tab).to_pandas(date_as_object=False, types_mapper={pa.bool_(): pd.BooleanDtype()}.get)


def build(*, staff: int = C.DEFAULT_STAFF, years: int = C.DEFAULT_YEARS, orgs: int = 1,
          seed: int = C.DEFAULT_SEED, bias: dict[str, object] | None = None,
          last_year: int = C.DEFAULT_LAST_YEAR, improve: dict[str, object] | None = None) -> dict[str, pd.DataFrame]:
    """The canonical tables of a synthetic trust (or `orgs` trusts) as pandas DataFrames.

    Examples
    --------
    >>> tables = build(staff=500, years=1, seed=1)
    >>> sorted(tables)[:3]
    ['applications', 'capability', 'disciplinary']
    """
    s = run(staff=staff, years=years, orgs=orgs, seed=seed, bias=bias, last_year=last_year, improve=improve)
    return {name: to_pandas(s.tables[name]) for name in TABLES}


def generate(out_dir: str | Path, *, staff: int = C.DEFAULT_STAFF, years: int = C.DEFAULT_YEARS,
             orgs: int = 1, seed: int = C.DEFAULT_SEED, bias: dict[str, object] | None = None,
             fmt: str = "csv", messy: bool = False, esr: bool = True,
             last_year: int = C.DEFAULT_LAST_YEAR, improve: dict[str, object] | None = None) -> GenerationResult:
    """Write one file per canonical table, the ESR extract, the survey question map and
    ``ground_truth.json`` (plus ``messy_defects.json`` with `messy`) into `out_dir`."""
    if fmt not in C.FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(C.FORMATS)}")
    resolve(bias, improve)  # fail before creating anything
    check_sizes(staff, years, orgs, last_year)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    res = GenerationResult(out)
    defects: dict[str, list[dict]] = {}

    def save(name: str, rel: str, tab: pa.Table, seed_: int) -> None:
        res.rows[name] = tab.num_rows
        if messy and name in MESSY:
            tab, defects[name] = MESSY[name](tab, rel, stream(seed_, f"messy:{name}"))
        res.paths[name] = write_table(tab, out / rel, fmt)

    # writing runs in threads while the next table is generated (pyarrow and numpy release the GIL)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = []

        def on_table(name: str, s: Synth) -> None:
            futures.append(pool.submit(save, name, f"{name}.{fmt}", s.tables[name], s.seed))
            if name == "workforce" and esr:
                futures.append(pool.submit(lambda: save("esr", f"esr/staff_in_post.{fmt}", esr_table(s.pop, s.rows), s.seed)))

        s = run(staff=staff, years=years, orgs=orgs, seed=seed, bias=bias, last_year=last_year, on_table=on_table,
                improve=improve)
        for f in futures:
            f.result()
    res.defects = [d for name in [*TABLES, "esr"] for d in defects.get(name, [])]
    res.rows = {name: res.rows[name] for name in [*TABLES, "esr"] if name in res.rows}
    res.paths = {name: res.paths[name] for name in [*TABLES, "esr"] if name in res.paths}
    res.paths["survey_question_map"] = write_table(s.question_map, out / "survey_question_map.csv", "csv")
    res.ground_truth = ground_truth(s, res.rows)
    res.ground_truth["format"] = fmt
    res.ground_truth["messy"] = messy
    res.paths["ground_truth"] = write_json(res.ground_truth, out / "ground_truth.json")
    if messy:
        res.paths["messy_defects"] = write_json({"defects": res.defects}, out / "messy_defects.json")
    return res

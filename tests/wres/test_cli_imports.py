"""`parity wres --format json` imports only what it needs (issue 19): a behaviour test, not a timed one.

The command runs in a fresh interpreter on a small workspace and reports which heavy modules ended up
in ``sys.modules``. Rendering (WeasyPrint, Altair, vl-convert, Jinja2, openpyxl), the web app
(FastAPI, SQLAlchemy), Spark and ``scipy.stats`` (about a second to import; the standard path uses
SciPy's special-function ufuncs, loaded without ``scipy.special``'s array-API layer) must not.
Once the compiled SQL is cached (`parity.sqlcache`), a run imports neither Ibis nor pandas either.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("weasyprint", "altair", "vl_convert", "jinja2", "openpyxl", "fastapi", "sqlalchemy", "pyspark",
         "scipy.stats", "scipy.optimize", "matplotlib",
         "scipy._lib._array_api")  # scipy.special's package import: the ufuncs load alone (parity.stats.special)
#: not on the cached path either (the first run compiles the SQL through them)
COUNTING = ("ibis", "pandas", "pyarrow", "sqlglot", "parity.ingest")
RUN = """
import json, sys
sys.argv = ["parity", "wres", "--workspace", sys.argv[1], "--year", "2025", "--format", "json"]
from parity.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = {heavy!r}
print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr)
"""


def _workspace(trust, tmp_path):
    # counts large enough that every relative likelihood takes the chi-square branch
    white = trust.staff(300, ethnic_category="A")
    bme = trust.staff(200, ethnic_category="D")
    for person in white[:30] + bme[:40]:
        trust.add("disciplinary", person_id=person)
    for person in white[:100] + bme[:50]:
        trust.add("training", person_id=person)
    trust.add("applications", 120, ethnic_category="A", appointed=True)
    trust.add("applications", 200, ethnic_category="A")
    trust.add("applications", 60, ethnic_category="D", appointed=True)
    trust.add("applications", 200, ethnic_category="D")
    return trust.workspace(tmp_path / "ws")


def _run(path, heavy) -> tuple[dict, list[str]]:
    done = subprocess.run([sys.executable, "-c", RUN.format(heavy=heavy), str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), json.loads(done.stderr.strip().splitlines()[-1])


def test_wres_json_imports_no_heavy_modules(trust, tmp_path):
    path = _workspace(trust, tmp_path)
    result, imported = _run(path, HEAVY)
    by_id = {i["id"]: i for i in result["indicators"]}
    assert [by_id[i]["test"] for i in ("wres.2", "wres.3", "wres.4")] == ["chi_square"] * 3  # no Fisher needed
    wres2 = by_id["wres.2"]
    # White 120/320 appointed, BME 60/260: 0.375 / 0.2307... = 1.625
    assert abs(wres2["value"] - (120 / 320) / (60 / 260)) < 1e-9
    assert imported == [], f"parity wres --format json imported {imported}"
    cached, imported = _run(path, HEAVY + COUNTING)  # the SQL compiled by the first run
    assert cached == result
    assert imported == [], f"parity wres --format json with its SQL cached imported {imported}"

"""A fixed small trust, its report built once per session, and the files written from it.

The trust (two 31 March snapshots, 2024 and 2025) is small enough that disclosure control bites:
exactly one BME person entered the formal disciplinary process in 2024/25, against twelve White
staff — that count must not be readable, or inferable, from any output.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from parity.disclosure import DisclosureRule
from parity.report import build_report, write_report

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("wres_trust", HERE.parent / "conftest.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
Trust = _mod.Trust

YEAR = 2025
INJECTION = '=HYPERLINK("http://example.invalid/x","click")'
#: the one BME person disciplined in 2024/25
BME_DISCIPLINED = 1


def make_trust(*, org: str = "RXX", band_8a: str = "8a") -> Trust:
    t = Trust()
    rate = {"5": 16.5, "6": 20.0, band_8a: 27.0}
    people = []  # (id, ethnicity, disability, sex, band, clinical)
    for i in range(60):
        people.append((f"W{i}", "A", "yes" if i < 12 else "no", "male" if i % 3 == 0 else "female",
                       "5" if i < 40 else "6", i < 40))
    for i in range(40):
        people.append((f"B{i}", "H", "yes" if i < 10 else "no", "male" if i % 2 == 0 else "female",
                       "5" if i < 25 else band_8a, True))
    for i in range(10):
        people.append((f"U{i}", "Z", "no", "female", "5", True))
    for year in (2024, 2025):
        for pid, eth, dis, sex, band, clinical in people:
            t.add("workforce", person_id=pid, org_code=org, snapshot_date=date(year, 3, 31), ethnic_category=eth,
                  disability=dis, sex=sex, pay_band=band, clinical=clinical)
    for year in (2024, 2025):
        day = date(year - 1, 6, 1)
        t.add("applications", 20, org_code=org, application_date=day, ethnic_category="A", appointed=True)
        t.add("applications", 30, org_code=org, application_date=day, ethnic_category="A")
        t.add("applications", 10, org_code=org, application_date=day, ethnic_category="M", appointed=True,
              disability="yes")
        t.add("applications", 30, org_code=org, application_date=day, ethnic_category="M", disability="yes")
    t.add("disciplinary", person_id="B0", org_code=org, case_start_date=date(2024, 6, 1))
    for i in range(12):
        t.add("disciplinary", person_id=f"W{i + 20}", org_code=org, case_start_date=date(2024, 7, 1))
    for i in range(30):
        t.add("training", person_id=f"W{i}", org_code=org, course_date=date(2024, 9, 1))
    for i in range(15):
        t.add("training", person_id=f"B{i}", org_code=org, course_date=date(2024, 9, 1))
    for pid, _eth, _dis, sex, band, _clinical in people:
        t.add("pay", person_id=pid, org_code=org, snapshot_date=date(YEAR, 3, 31), ordinary_pay=2500.0,
              pay_period_days=30.44, weekly_hours=37.5, bonus_12m=0.0, full_pay=True,
              hourly_rate=rate[band] + (1.0 if sex == "male" else 0.0), sex=sex)
    return t


def report_for(trust: Trust, **kwargs):
    return build_report(trust.connect(), year=YEAR, rule=DisclosureRule(), paygap_resamples=50, **kwargs)


@pytest.fixture(scope="session")
def trust() -> Trust:
    return make_trust()


@pytest.fixture(scope="session")
def report(trust):
    return report_for(trust)


@pytest.fixture(scope="session")
def raw_wres(trust) -> dict:
    """The unprotected WRES dict — only for tests to know what must *not* appear."""
    import parity

    return parity.wres(trust.connect(), year=YEAR).to_dict()


@pytest.fixture(scope="session")
def outputs(report, tmp_path_factory) -> dict[str, Path]:
    return write_report(report, tmp_path_factory.mktemp("report"), formats=("html", "pdf", "xlsx", "csv"))


@pytest.fixture(scope="session")
def pdf_text(outputs) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(outputs["pdf"]).pages)

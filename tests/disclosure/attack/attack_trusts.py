"""Constructed trusts with forced small groups, and where each small group sits (the attacker's targets).

Every trust has two 31 March snapshots (reporting years 2024 and 2025) and 110 staff per organisation:
60 White (12 Disabled), 40 BME (10 Disabled), 10 of unknown ethnicity. `OrgPlan` says how many people
of each group had each outcome; the defaults are all large (10 or more), and a scenario forces a few
small ones. The numbers that must stay hidden are whatever the raw result says is 1-9: the attack
reads them from the unprotected result, never from this file.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

YEARS = (2024, 2025)
_TRUST = Path(__file__).parents[2] / "conftest.py"  # the shared Trust builder (tests/conftest.py)
_spec = importlib.util.spec_from_file_location("attack_shared_trust", _TRUST)
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
Trust = _mod.Trust


@dataclass
class OrgPlan:
    """One organisation: outcome counts per reporting year (the financial year ending 31 March)."""

    code: str
    #: year -> (White appointed, White not appointed, BME appointed, BME not appointed) from shortlisting
    appointed: dict[int, tuple[int, int, int, int]] = field(
        default_factory=lambda: {y: (20, 30, 20, 20) for y in YEARS})
    #: (White, BME) entering the formal disciplinary process in 2024/25
    disciplinary: tuple[int, int] = (12, 12)
    #: (White, BME) entering it in 2023/24 (two-year rolling: 2025's window holds both years)
    disciplinary_before: tuple[int, int] = (0, 0)
    #: (White, BME) on non-mandatory training in 2024/25
    training: tuple[int, int] = (30, 15)
    #: (Disabled, non-disabled) entering the formal capability process in 2024/25, and how many of
    #: the Disabled cases were on ill-health grounds
    capability: tuple[int, int] = (12, 30)
    capability_ill_health: int = 0
    #: (Disabled, non-disabled) entering the capability process in 2023/24 (none on ill-health grounds)
    capability_before: tuple[int, int] = (0, 0)
    #: how many Disabled staff are in the pay extract (None: all 22; 0: no pay extract at all)
    pay_disabled: int | None = 0
    #: (White, BME) voting executive board members among the staff
    board: tuple[int, int] = (0, 0)
    #: voting executive board members of unknown ethnicity
    board_unknown: int = 0
    #: (Disabled, unknown status): the first staff in order get these; None: 12 White and 10 BME Disabled
    disability: tuple[int, int] | None = None


def people(plan: OrgPlan) -> list[tuple[str, str, str, str, str]]:
    """(person id, ethnic category, disability, sex, band) of the 110 staff of `plan`."""
    out = []
    for i in range(60):
        out.append((f"{plan.code}W{i}", "A", "yes" if i < 12 else "no", "male" if i % 3 == 0 else "female",
                    "5" if i < 40 else "6"))
    for i in range(40):
        out.append((f"{plan.code}B{i}", "H", "yes" if i < 10 else "no", "male" if i % 2 == 0 else "female",
                    "5" if i < 25 else "8a"))
    for i in range(10):
        out.append((f"{plan.code}U{i}", "Z", "no", "female", "5"))
    if plan.disability is not None:
        disabled, unknown = plan.disability
        status = ["yes"] * disabled + ["unknown"] * unknown
        out = [(p, e, status[i] if i < len(status) else "no", s, b) for i, (p, e, _d, s, b) in enumerate(out)]
    return out


def add_org(t: Trust, plan: OrgPlan) -> None:
    org, staff = plan.code, people(plan)
    board = ({f"{org}W{40 + i}" for i in range(plan.board[0])} | {f"{org}B{30 + i}" for i in range(plan.board[1])}
             | {f"{org}U{i}" for i in range(plan.board_unknown)})
    for year in YEARS:
        for pid, eth, dis, sex, band in staff:
            member = pid in board
            t.add("workforce", person_id=pid, org_code=org, snapshot_date=date(year, 3, 31), ethnic_category=eth,
                  disability=dis, sex=sex, pay_band=band, clinical=True, board_member=member,
                  board_role="executive" if member else None, board_voting=True if member else None)
    for year, (wa, wn, ba, bn) in plan.appointed.items():
        day = date(year - 1, 6, 1)
        for count, eth, appointed in ((wa, "A", True), (wn, "A", False), (ba, "M", True), (bn, "M", False)):
            if count:
                t.add("applications", count, org_code=org, application_date=day, ethnic_category=eth,
                      appointed=appointed)
    white, bme = plan.disciplinary
    for i in range(white):
        t.add("disciplinary", person_id=f"{org}W{i + 20}", org_code=org, case_start_date=date(2024, 7, 1))
    for i in range(bme):
        t.add("disciplinary", person_id=f"{org}B{i}", org_code=org, case_start_date=date(2024, 7, 1))
    white, bme = plan.disciplinary_before  # other BME staff than 2024/25's, the same White staff
    for i in range(white):
        t.add("disciplinary", person_id=f"{org}W{i + 20}", org_code=org, case_start_date=date(2023, 7, 1))
    for i in range(bme):
        t.add("disciplinary", person_id=f"{org}B{39 - i}", org_code=org, case_start_date=date(2023, 7, 1))
    white, bme = plan.training
    for i in range(white):
        t.add("training", person_id=f"{org}W{i}", org_code=org, course_date=date(2024, 9, 1))
    for i in range(bme):
        t.add("training", person_id=f"{org}B{i}", org_code=org, course_date=date(2024, 9, 1))
    disabled, non_disabled = plan.capability
    disabled_ids = [p[0] for p in staff if p[2] == "yes"]
    for i in range(disabled):
        t.add("capability", person_id=disabled_ids[i], org_code=org, case_start_date=date(2024, 8, 1),
              ill_health=i < plan.capability_ill_health)
    for i in range(non_disabled):
        t.add("capability", person_id=f"{org}W{i + 20}", org_code=org, case_start_date=date(2024, 8, 1))
    disabled, non_disabled = plan.capability_before  # the last Disabled staff, the same non-disabled staff
    for i in range(disabled):
        t.add("capability", person_id=disabled_ids[-1 - i], org_code=org, case_start_date=date(2023, 8, 1))
    for i in range(non_disabled):
        t.add("capability", person_id=f"{org}W{i + 20}", org_code=org, case_start_date=date(2023, 8, 1))
    _add_pay(t, plan, staff)


def _add_pay(t: Trust, plan: OrgPlan, staff) -> None:
    if plan.pay_disabled == 0:
        return
    rate = {"5": 16.5, "6": 20.0, "8a": 27.0}
    kept = 0
    for pid, _eth, dis, sex, band in staff:
        if dis == "yes":
            if plan.pay_disabled is not None and kept >= plan.pay_disabled:
                continue
            kept += 1
        hourly = 13.2 + 0.1 * kept if dis == "yes" else rate[band] + (1.0 if sex == "male" else 0.0)
        t.add("pay", person_id=pid, org_code=plan.code, snapshot_date=date(YEARS[-1], 3, 31), ordinary_pay=2500.0,
              pay_period_days=30.44, weekly_hours=37.5, bonus_12m=0.0, full_pay=True, hourly_rate=hourly, sex=sex)


def build(plans: list[OrgPlan]) -> Trust:
    t = Trust()
    for plan in plans:
        add_org(t, plan)
    return t


def leaky_region() -> list[OrgPlan]:
    """Two organisations forcing each of issue 10's four leaks.

    RXA: 8 BME appointments in 2023/24 (withheld that year; 2025 shows last year's ratio); 4 Disabled
    capability cases, none on ill-health grounds (the "excluding ill health" breakdown repeats them);
    one Disabled employee in the pay extract; 3 BME staff on non-mandatory training. RXB: all large,
    so the all-organisations figures minus RXB's give RXA's withheld cells back.
    """
    rxa = OrgPlan("RXA", appointed={2024: (20, 30, 8, 32), 2025: (20, 30, 15, 25)}, training=(30, 3),
                  capability=(4, 30), pay_disabled=1)
    rxb = OrgPlan("RXB")
    return [rxa, rxb]


def crowded_org() -> OrgPlan:
    """One organisation with small cells everywhere the leaks did not already force them: 2 BME staff
    disciplined, 3 BME appointments in 2024/25 after 12 the year before, 6 Disabled capability cases of
    which 2 on ill-health grounds (the breakdown differs from the main table), a board of 7 White and
    2 BME members, 3 Disabled employees in the pay extract."""
    return OrgPlan("RXC", appointed={2024: (20, 30, 12, 28), 2025: (20, 30, 3, 37)}, disciplinary=(12, 2),
                   training=(30, 12), capability=(6, 30), capability_ill_health=2, pay_disabled=3, board=(7, 2))


def rolling_org() -> OrgPlan:
    """Two-year rolling windows (WRES 3, WDES 3): 12 BME staff disciplined in 2023/24 and 4 in 2024/25,
    12 Disabled capability cases in 2023/24 and 3 in 2024/25. 2024's window is one year (no 2023
    snapshot) and 2025's both years, so each window (12, 16; 12, 15) is large, but 2025's window minus
    2024's is one year's 4 BME (3 Disabled) cases."""
    return OrgPlan("RXR", disciplinary=(12, 4), disciplinary_before=(12, 12), capability=(3, 30),
                   capability_before=(12, 30))


def survey_org() -> Trust:
    """One organisation with two staff surveys (2023 and 2024, read by reporting years 2024 and 2025):
    3 of 40 BME respondents (WRES 5) and 3 of 40 Disabled respondents (WDES 5) said yes in 2023, 12 of
    40 in 2024; the other group 40 of 100 both years. 2024 withholds the 3s; 2025 shows "last year"."""
    t = build([OrgPlan("RXS")])
    for survey_year, small in ((2023, 3), (2024, 12)):
        for ind, group, other in (("wres.5", "BME", "White"), ("wdes.5", "Disabled", "Non-disabled")):
            t.add("survey_results", org_code="RXS", survey_year=survey_year, indicator=ind, group=other,
                  responses=100, positive=40)
            t.add("survey_results", org_code="RXS", survey_year=survey_year, indicator=ind, group=group,
                  responses=40, positive=small)
    return t


def board_org() -> OrgPlan:
    """A board of 13: 10 White, 2 BME, 1 of unknown ethnicity. The 2 and the 1 are withheld; the 10
    White members and the 13 members are not small, but 13 - 10 gives the 3 members who are not White."""
    return OrgPlan("RXO", board=(10, 2), board_unknown=1)


def many_orgs() -> list[OrgPlan]:
    """Twelve organisations, each forcing small cells somewhere (issue 18: protected block by block)."""
    return [
        OrgPlan("RX01", training=(30, 3)),
        OrgPlan("RX02", appointed={2024: (20, 30, 12, 28), 2025: (20, 30, 4, 36)}),
        OrgPlan("RX03", disciplinary=(12, 2)),
        OrgPlan("RX04", capability=(5, 30)),
        OrgPlan("RX05", capability=(6, 30), capability_ill_health=2),
        OrgPlan("RX06", training=(4, 15)),
        OrgPlan("RX07", board=(7, 2)),
        OrgPlan("RX08", appointed={2024: (20, 30, 8, 32), 2025: (20, 30, 15, 25)}),
        OrgPlan("RX09", disciplinary=(3, 12)),
        OrgPlan("RX10", appointed={2024: (20, 30, 3, 37), 2025: (20, 30, 20, 20)}, training=(30, 5)),
        OrgPlan("RX11", training=(30, 14), disciplinary=(11, 10)),
        OrgPlan("RX12", board=(10, 2), board_unknown=1),
    ]


#: WRES 2's applicants behind the explorer and funnel attacks: (ethnic category, label, shortlisted,
#: appointed) — BME 25 shortlisted = Asian 21 + Black 4, so the Black cell is one subtraction away
WRES2_APPLICANTS = (("A", "White", 30, 10), ("H", "Asian", 21, 10), ("M", "Black", 4, 1))


def wres2_trust(org: str, year: int, *, funnel: bool = False) -> Trust:
    """One organisation: 60 White and 40 Asian staff in both snapshots and `WRES2_APPLICANTS`
    shortlisted in the year to 31 March ``year``; ``funnel``: every applicant interviewed, the
    appointed ones offered (the recruitment funnel's steps)."""
    t = Trust()
    for snapshot in YEARS:
        for code, prefix, n in (("A", "W", 60), ("H", "B", 40)):
            for j in range(n):
                t.add("workforce", person_id=f"{prefix}{j}", org_code=org, snapshot_date=date(snapshot, 3, 31),
                      ethnic_category=code, sex="female" if j % 2 else "male")
    for code, _label, n, appointed in WRES2_APPLICANTS:
        for i in range(n):
            steps = {"interviewed": True, "offered": i < appointed} if funnel else {}
            t.add("applications", org_code=org, application_date=date(year - 1, 6, 1), ethnic_category=code,
                  sex="female" if i % 2 else "male", appointed=i < appointed, **steps)
    return t

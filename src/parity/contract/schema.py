"""Canonical tables as data: one `Table` per table of the data contract.

Column kinds say how a source value is parsed and validated on ingest (see `parity.ingest`):

- ``id``: an identifier; pseudonymised with the workspace key on ingest, never stored raw.
- ``date``: ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY``.
- ``bool``: true/false, yes/no, y/n, 1/0 (case-insensitive).
- ``float`` / ``int`` / ``str``: as named.
- ``ethnicity``: NHS ETHNIC CATEGORY code (A–S, Z, 99) or a label in the lookup table; stored as
  the national code; blank is stored as ``99`` (not known).
- ``sex``, ``disability``, ``pay_band``, ``staff_group``, ``assignment_category``, ``board_role``:
  controlled vocabularies in `parity.contract.codes`.
- ``religion``, ``sexual_orientation``, ``marital_status``: optional protected characteristics
  (`parity.contract.codes.CHARACTERISTICS`); blank is stored as the kind's "not known" code.
- ``unit``: a name in the organisation hierarchy (ESR "Org L3" … "Org L7", or a site), text.

Stored types (DuckDB): ids, codes and strings VARCHAR; dates DATE; bools BOOLEAN; floats DOUBLE.
Every stored table also has ``org_code`` (filled from ``--org`` when the file has none) and
``import_id`` (the import that brought the row, see the workspace import log).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = True
    default: object = None
    description: str = ""
    #: False for a column read only to derive another and never stored (``date_of_birth``)
    stored: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    #: columns that identify a row; a re-import replaces rows with the same key
    key: tuple[str, ...]
    #: the date column that places a row in a reporting year (None: ``survey_year``)
    period_column: str | None = None
    #: True when the table is a snapshot (one set of rows per ``snapshot_date``)
    snapshot: bool = False
    #: survey_responses: columns not in the contract are question columns
    open_columns: bool = False
    aliases: dict[str, str] = field(default_factory=dict)
    #: alternative sets of optional columns: a file needs every column of at least one set, and each
    #: row needs a value in every column of at least one set (pay: a supplied hourly rate, or pay,
    #: period and hours to compute it — rows not on full pay need neither, see `basis_exempt`)
    one_of: tuple[tuple[str, ...], ...] = ()
    #: a bool column whose False rows are exempt from the row-level `one_of` rule
    basis_exempt: str | None = None

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, kind: str, required: bool = True, default: object = None, description: str = "") -> Column:
    return Column(name, kind, required, default, description)


ORG = _c("org_code", "str", False, None, "Organisation code (e.g. ODS code); from --org when absent")

_LEVEL_WORDS = {"org_l3": "division", "org_l4": "directorate", "org_l5": "department",
                "org_l6": "level 6 unit", "org_l7": "level 7 unit"}


def _units(whose: str) -> tuple[Column, ...]:
    """The optional organisation hierarchy columns (issue 17): ESR Org L3 … L7 and the site."""
    return (*(_c(name, "unit", False, None, f"ESR {name.replace('org_l', 'Org L')}: the {word} {whose}")
              for name, word in _LEVEL_WORDS.items()),
            _c("site", "unit", False, None, f"Site {whose}"))


#: optional protected characteristics beyond the standards' three (issue 17)
CHARACTERISTIC_COLUMNS = (
    _c("religion", "religion", False, None, "Religion or belief; blank = not known"),
    _c("sexual_orientation", "sexual_orientation", False, None,
       "NHS sexual orientation code (1–4, U, Z, 9) or label; blank = not known"),
    _c("marital_status", "marital_status", False, None,
       "NHS marital status code (S, M, D, W, P, N, 8, 9) or label; blank = not known"),
)

WORKFORCE = Table(
    "workforce",
    "One row per assignment in post at a snapshot date (31 March of the reporting year).",
    (
        _c("person_id", "id", description="Employee number or other stable person identifier"),
        _c("assignment_id", "id", False, None, "Assignment number (tells a person's assignments apart)"),
        _c("snapshot_date", "date", description="Date the extract describes, normally 31 March"),
        ORG,
        _c("ethnic_category", "ethnicity", description="NHS ethnic category code or label; blank = not known"),
        _c("sex", "sex", description="female / male / other / unknown (F/M accepted)"),
        _c("disability", "disability", description="yes / no / unknown"),
        _c("pay_band", "pay_band", description="AfC 1–9, 8a–8d, VSM, or medical grade group"),
        _c("staff_group", "staff_group", description="National staff group code 01–10 or its label"),
        _c("clinical", "bool", False, None, "Clinical role; derived from staff group when absent"),
        _c("assignment_category", "assignment_category", description="permanent / fixed_term / bank / locum / other"),
        _c("primary_assignment", "bool", False, None, "Whether this is the person's primary assignment"),
        _c("fte", "float", description="Contracted whole-time equivalent, > 0 and ≤ 2"),
        _c("age_band", "str", False, None, "Age band, e.g. 21-25; derived from date_of_birth when absent"),
        Column("date_of_birth", "date", False, None, "Read only to derive age_band at the snapshot date; "
               "never stored", stored=False),
        _c("board_member", "bool", False, False, "Member of the board"),
        _c("board_role", "board_role", False, None, "executive / non_executive"),
        _c("board_voting", "bool", False, None, "Voting member of the board"),
        *CHARACTERISTIC_COLUMNS,
        *_units("the assignment is in"),
    ),
    key=("org_code", "snapshot_date", "person_id", "assignment_id", "pay_band", "staff_group",
         "assignment_category"),
    period_column="snapshot_date",
    snapshot=True,
)

APPLICATIONS = Table(
    "applications",
    "One row per application to a vacancy.",
    (
        _c("application_id", "id"),
        _c("vacancy_id", "id"),
        _c("applicant_id", "id", description="Same pseudonym as person_id for the same person"),
        _c("application_date", "date"),
        ORG,
        _c("ethnic_category", "ethnicity"),
        _c("sex", "sex"),
        _c("disability", "disability"),
        _c("shortlisted", "bool"),
        _c("interviewed", "bool", False),
        _c("offered", "bool", False),
        _c("appointed", "bool"),
        _c("offer_declined", "bool", False),
        _c("internal", "bool", False),
        *CHARACTERISTIC_COLUMNS,
        *_units("of the hiring department"),
    ),
    key=("org_code", "application_id"),
    period_column="application_date",
)

DISCIPLINARY = Table(
    "disciplinary",
    "One row per disciplinary case.",
    (
        _c("case_id", "id"),
        _c("person_id", "id"),
        _c("case_start_date", "date"),
        ORG,
        _c("formal", "bool", description="Entered the formal process (formal investigation)"),
        *_units("the person worked in when the case started"),
    ),
    key=("org_code", "case_id"),
    period_column="case_start_date",
)

CAPABILITY = Table(
    "capability",
    "One row per capability case.",
    (
        _c("case_id", "id"),
        _c("person_id", "id"),
        _c("case_start_date", "date"),
        ORG,
        _c("formal", "bool"),
        _c("ill_health", "bool", False, None, "Capability on the grounds of ill health"),
        *_units("the person worked in when the case started"),
    ),
    key=("org_code", "case_id"),
    period_column="case_start_date",
)

TRAINING = Table(
    "training",
    "One row per course attended.",
    (
        _c("person_id", "id"),
        _c("course_date", "date"),
        ORG,
        _c("non_mandatory", "bool", description="Non-mandatory training or CPD"),
        _c("course", "str", False),
        # the key uses the course's id, never its free-text title (issue 12.6); without an id
        # column the title stands in (ingest fills course_id from course)
        _c("course_id", "str", False, None, "Course or event identifier (e.g. the learning system's code); "
           "the course title when absent"),
        *_units("the person worked in"),
    ),
    key=("org_code", "person_id", "course_date", "course_id"),
    period_column="course_date",
)

SURVEY_RESPONSES = Table(
    "survey_responses",
    "Row-level survey responses; every column not listed here is a question column. Stored long: "
    "one row per response × question (columns question, answer).",
    (
        _c("response_id", "id"),
        _c("survey_year", "int", description="Calendar year of the survey"),
        ORG,
        _c("ethnic_category", "ethnicity"),
        _c("disability", "disability"),
        _c("sex", "sex"),
    ),
    key=("org_code", "survey_year", "response_id"),
    open_columns=True,
)

SURVEY_RESULTS = Table(
    "survey_results",
    "Aggregated survey results as a survey provider supplies them.",
    (
        _c("survey_year", "int"),
        ORG,
        _c("indicator", "str", description="Indicator id, e.g. wres.5 or wdes.4a.i"),
        _c("group", "str", description="White / BME / Disabled / Non-disabled / Unknown / All"),
        _c("responses", "int"),
        _c("positive", "int", False, None, "Number answering positively (or give percent)"),
        _c("percent", "float", False, None, "Percent answering positively (or give positive)"),
    ),
    key=("org_code", "survey_year", "indicator", "group"),
)

PAY = Table(
    "pay",
    "One row per relevant employee at the pay-gap snapshot date.",
    (
        _c("person_id", "id"),
        _c("snapshot_date", "date"),
        ORG,
        _c("ordinary_pay", "float", False, None,
           "Ordinary pay in the pay period containing the snapshot (or give hourly_rate)"),
        _c("pay_period_days", "float", False, None, "Days in the pay period (monthly = 30.44)"),
        _c("weekly_hours", "float", False, None, "Contracted weekly hours excluding overtime"),
        _c("bonus_12m", "float", description="Bonus pay in the 12 months to the snapshot date"),
        _c("full_pay", "bool", description="False when on reduced or no pay because of leave"),
        _c("hourly_rate", "float", False, None,
           "Used as supplied when given (ESR offers one); otherwise computed from pay, period and hours"),
        _c("sex", "sex", False),
        _c("ethnic_category", "ethnicity", False),
        _c("disability", "disability", False),
    ),
    key=("org_code", "snapshot_date", "person_id"),
    period_column="snapshot_date",
    snapshot=True,
    one_of=(("hourly_rate",), ("ordinary_pay", "pay_period_days", "weekly_hours")),
    basis_exempt="full_pay",
)

LEAVERS = Table(
    "leavers",
    "One row per person leaving.",
    (
        _c("person_id", "id"),
        _c("leave_date", "date"),
        ORG,
        _c("reason", "str", False),
        *_units("the person left"),
    ),
    key=("org_code", "person_id", "leave_date"),
    period_column="leave_date",
)

BENCHMARKS = Table(
    "benchmarks",
    "One row per organisation x year x indicator: published (NHS England's organisation-level WRES/WDES "
    "data) or protected figures (`parity benchmark build`) to compare organisations (issue 18). "
    "``_a``/``_b`` are the indicator's two compared groups as the catalogue names them (wres.2: a White, "
    "b BME; docs/benchmark.md).",
    (
        ORG,
        _c("org_name", "str", False, None, "Organisation name"),
        _c("org_type", "str", False, None, "acute, mental_health, community, ambulance, icb, other"),
        _c("region", "str", False, None, "NHS England region, e.g. London"),
        _c("year", "int", description="Reporting year (WRES/WDES year, e.g. 2025)"),
        _c("indicator", "str", description="Indicator id, e.g. wres.2 or wdes.3"),
        _c("value", "float", False, None, "The indicator's value (relative likelihood or percentage gap)"),
        _c("numerator_a", "int", False, None, "Group a's numerator (e.g. White staff appointed)"),
        _c("denominator_a", "int", False, None, "Group a's denominator (e.g. White staff shortlisted)"),
        _c("numerator_b", "int", False, None, "Group b's numerator"),
        _c("denominator_b", "int", False, None, "Group b's denominator"),
        _c("headcount", "int", False, None, "Staff in post (size, for peers)"),
        _c("bme_percent", "float", False, None, "Percent of staff from BME groups (for peers)"),
    ),
    key=("org_code", "year", "indicator"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (WORKFORCE, APPLICATIONS, DISCIPLINARY, CAPABILITY, TRAINING, SURVEY_RESPONSES,
              SURVEY_RESULTS, PAY, LEAVERS)
}
TABLES[BENCHMARKS.name] = BENCHMARKS  # issue 18 (a separate line: others add tables too)


def table(name: str) -> Table:
    """The canonical table called `name`; a clear error listing the valid names otherwise."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"Unknown table {name!r}: choose one of {', '.join(TABLES)}") from None

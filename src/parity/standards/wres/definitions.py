"""The nine WRES indicators as catalogue entries.

Wording from NHS England, "Technical guidance for the NHS Workforce Race Equality Standard" (2018),
as summarised in `shared/domain/wres.md`. Ratios are oriented so that a value above 1 is adverse to
BME staff (White on top for 2 and 4, BME on top for 3).
"""

from parity.indicators.catalogue import Indicator, register

STANDARD = "WRES"
RL_STATS = ("relative_likelihood", "katz_log_ci", "fisher_or_chi_square", "non_adverse_range", "change")
PCT_STATS = ("wilson_ci", "newcombe_difference", "change")

register(Indicator(
    id="wres.1", standard=STANDARD, kind="distribution",
    title="Staff in each pay band by ethnicity",
    guidance="Percentage of staff in each of the AfC Bands 1-9 and VSM (including executive Board "
             "members) compared with the percentage of staff in the overall workforce. Organisations "
             "should undertake this calculation separately for non-clinical and for clinical staff.",
    population="People in post at 31 March (bank excluded), counted once each at their primary assignment",
    period="Snapshot at 31 March of the reporting year",
    numerator="People of each ethnic group in the band", denominator="People in the band",
    source_tables=("workforce",), statistics=("wilson_ci",),
    notes=("Medical and dental staff are shown by grade group (consultant, career grade, trainee, other).",),
))
register(Indicator(
    id="wres.2", standard=STANDARD, kind="relative_likelihood",
    title="Appointment from shortlisting",
    guidance="Relative likelihood of White applicants being appointed from shortlisting across all posts "
             "compared to BME applicants.",
    population="Applications shortlisted in the financial year (unknown ethnicity and declined offers excluded)",
    period="Financial year 1 April to 31 March",
    numerator="Shortlisted applications that led to appointment", denominator="Shortlisted applications",
    source_tables=("applications",), group_a="White", group_b="BME", adverse_when="above",
    statistics=RL_STATS, outcome="be appointed from shortlisting", people="applicants",
    notes=("Counts applications, not applicants: one person shortlisted for two posts counts twice.",),
))
register(Indicator(
    id="wres.3", standard=STANDARD, kind="relative_likelihood",
    title="Entering the formal disciplinary process",
    guidance="Relative likelihood of BME staff entering the formal disciplinary process compared to White "
             "staff, as measured by entry into a formal disciplinary investigation.",
    population="Staff entering a formal disciplinary investigation; headcount at 31 March (bank excluded)",
    period="Financial year (single-year), or the two financial years to 31 March (two-year rolling)",
    numerator="People entering the formal disciplinary process", denominator="Headcount at 31 March",
    source_tables=("disciplinary", "workforce"), group_a="BME", group_b="White", adverse_when="above",
    statistics=RL_STATS, outcome="enter the formal disciplinary process",
))
register(Indicator(
    id="wres.4", standard=STANDARD, kind="relative_likelihood",
    title="Access to non-mandatory training and CPD",
    guidance="Relative likelihood of White staff accessing non-mandatory training and CPD compared to BME staff.",
    population="Staff in post at 31 March (bank excluded) who attended non-mandatory training or CPD in the year",
    period="Financial year 1 April to 31 March",
    numerator="People in post accessing non-mandatory training or CPD", denominator="Headcount at 31 March",
    source_tables=("training", "workforce"), group_a="White", group_b="BME", adverse_when="above",
    statistics=RL_STATS, outcome="access non-mandatory training and CPD",
))

_SURVEY = "NHS Staff Survey of the previous calendar year"
for _id, _title, _guidance, _worse in (
    ("wres.5", "Harassment, bullying or abuse from patients, relatives or the public",
     "Percentage of staff experiencing harassment, bullying or abuse from patients, relatives or the "
     "public in the last 12 months.", True),
    ("wres.6", "Harassment, bullying or abuse from staff",
     "Percentage of staff experiencing harassment, bullying or abuse from staff in the last 12 months.", True),
    ("wres.7", "Equal opportunities for career progression",
     "Percentage believing that the trust provides equal opportunities for career progression or promotion.",
     False),
    ("wres.8", "Discrimination from a manager or colleague",
     "In the last 12 months have you personally experienced discrimination at work from a manager, team "
     "leader or other colleagues? (percentage answering yes)", True),
):
    register(Indicator(
        id=_id, standard=STANDARD, kind="percentages", title=_title, guidance=_guidance,
        population="Survey respondents by self-reported ethnicity", period=_SURVEY,
        numerator="Respondents answering positively", denominator="Respondents answering the question",
        source_tables=("survey_responses", "survey_results"), group_a="BME", group_b="White",
        statistics=PCT_STATS, higher_is_worse=_worse, outcome=_title[0].lower() + _title[1:],
        people="respondents",
    ))

register(Indicator(
    id="wres.9", standard=STANDARD, kind="difference",
    title="Board representation",
    guidance="Percentage difference between the organisation's Board voting membership and its overall "
             "workforce (also shown for the whole board, executive and non-executive members).",
    population="Board members at 31 March; overall workforce at 31 March (bank excluded)",
    period="Snapshot at 31 March of the reporting year",
    numerator="BME share of the board (%)", denominator="BME share of the overall workforce (%)",
    source_tables=("workforce",), group_a="Board", group_b="Workforce", statistics=("newcombe_difference",),
    notes=("The headline value is for voting members; breakdowns for all, executive and non-executive.",),
))

#: the survey indicators, counted from the staff survey (`parity.indicators.survey`)
SURVEY_IDS = ["wres.5", "wres.6", "wres.7", "wres.8"]

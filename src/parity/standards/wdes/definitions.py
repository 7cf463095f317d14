"""The WDES metrics as catalogue entries.

Wording from NHS England, "NHS WDES 2023 technical guidance" and "WDES 2023 metrics", as
summarised in `shared/domain/wdes.md`. Ratios are oriented so that a value above 1 is adverse to
Disabled staff (non-disabled on top for 2, Disabled on top for 3).
"""

from parity.indicators.catalogue import Indicator, register

STANDARD = "WDES"
RL_STATS = ("relative_likelihood", "katz_log_ci", "fisher_or_chi_square", "non_adverse_range", "change")
PCT_STATS = ("wilson_ci", "newcombe_difference", "change")
SURVEY = "NHS Staff Survey of the previous calendar year"

register(Indicator(
    id="wdes.1", standard=STANDARD, kind="distribution",
    title="Staff in each pay band by disability",
    guidance="Percentage of staff in AfC pay bands or medical and dental subgroups and very senior managers "
             "(including Executive Board members) compared with the percentage of staff in the overall "
             "workforce, separately for non-clinical and clinical staff.",
    population="People in post at 31 March (bank excluded), counted once each at their primary assignment",
    period="Snapshot at 31 March of the reporting year",
    numerator="People of each disability group in the band", denominator="People in the band",
    source_tables=("workforce",), statistics=("wilson_ci",),
    notes=("A person is Disabled if any of their records says so.",),
))
register(Indicator(
    id="wdes.2", standard=STANDARD, kind="relative_likelihood",
    title="Appointment from shortlisting",
    guidance="Relative likelihood of non-disabled applicants compared to Disabled applicants being appointed "
             "from shortlisting across all posts.",
    population="Applications shortlisted in the financial year (unknown disability and declined offers excluded)",
    period="Financial year 1 April to 31 March",
    numerator="Shortlisted applications that led to appointment", denominator="Shortlisted applications",
    source_tables=("applications",), group_a="Non-disabled", group_b="Disabled", adverse_when="above",
    statistics=RL_STATS, outcome="be appointed from shortlisting", people="applicants",
))
register(Indicator(
    id="wdes.3", standard=STANDARD, kind="relative_likelihood",
    title="Entering the formal capability process",
    guidance="Relative likelihood of Disabled staff compared to non-disabled staff entering the formal "
             "capability process, as measured by entry into the formal capability procedure.",
    population="Staff entering the formal capability procedure; headcount at 31 March (bank excluded)",
    period="Financial year (single-year), or the two financial years to 31 March (two-year rolling)",
    numerator="People entering the formal capability process", denominator="Headcount at 31 March",
    source_tables=("capability", "workforce"), group_a="Disabled", group_b="Non-disabled", adverse_when="above",
    statistics=RL_STATS, outcome="enter the formal capability process",
))

for _id, _title, _guidance, _worse in (
    ("wdes.4a.i", "Harassment, bullying or abuse from patients or the public",
     "Percentage of staff experiencing harassment, bullying or abuse from patients/service users, their "
     "relatives or other members of the public in the last 12 months.", True),
    ("wdes.4a.ii", "Harassment, bullying or abuse from managers",
     "Percentage of staff experiencing harassment, bullying or abuse from managers in the last 12 months.", True),
    ("wdes.4a.iii", "Harassment, bullying or abuse from other colleagues",
     "Percentage of staff experiencing harassment, bullying or abuse from other colleagues in the last 12 months.",
     True),
    ("wdes.4b", "Reporting harassment, bullying or abuse",
     "Percentage of staff saying that the last time they experienced harassment, bullying or abuse at work, "
     "they or a colleague reported it.", False),
    ("wdes.5", "Equal opportunities for career progression",
     "Percentage of staff who believe that their organisation provides equal opportunities for career "
     "progression or promotion.", False),
    ("wdes.6", "Pressure to come to work when unwell",
     "Percentage of staff who have felt pressure from their manager to come to work, despite not feeling "
     "well enough to perform their duties.", True),
    ("wdes.7", "Feeling valued",
     "Percentage of staff satisfied with the extent to which their organisation values their work.", False),
):
    register(Indicator(
        id=_id, standard=STANDARD, kind="percentages", title=_title, guidance=_guidance,
        population="Survey respondents by self-reported disability", period=SURVEY,
        numerator="Respondents answering positively", denominator="Respondents answering the question",
        source_tables=("survey_responses", "survey_results"), group_a="Disabled", group_b="Non-disabled",
        statistics=PCT_STATS, higher_is_worse=_worse, outcome=_title[0].lower() + _title[1:],
        people="respondents",
    ))

register(Indicator(
    id="wdes.8", standard=STANDARD, kind="percentages",
    title="Reasonable adjustments",
    guidance="Percentage of Disabled staff saying that their employer has made adequate adjustment(s) to "
             "enable them to carry out their work.",
    population="Disabled survey respondents who needed adjustments", period=SURVEY,
    numerator="Disabled respondents saying adequate adjustments were made", denominator="Disabled respondents answering",
    source_tables=("survey_responses", "survey_results"), group_a="Disabled", group_b=None,
    statistics=("wilson_ci", "change"), higher_is_worse=False, outcome="reasonable adjustments", people="respondents",
))
register(Indicator(
    id="wdes.9a", standard=STANDARD, kind="score",
    title="Staff engagement score",
    guidance="The staff engagement score (0-10) for Disabled staff, compared to non-disabled staff and the "
             "overall engagement score for the organisation.",
    population="Survey respondents by self-reported disability", period=SURVEY,
    numerator="Mean engagement score (0-10)", denominator="Respondents answering at least one engagement item",
    source_tables=("survey_responses", "survey_results"), group_a="Disabled", group_b="Non-disabled",
    statistics=("t_interval", "welch_difference"), higher_is_worse=False, people="respondents",
    notes=("Each item scored 0 (1st answer) to 10 (5th answer); a respondent's score is the mean of the items "
           "they answered; the group score is the mean of respondents' scores.",),
))
register(Indicator(
    id="wdes.9b", standard=STANDARD, kind="narrative",
    title="Hearing the voices of Disabled staff",
    guidance="Has your organisation taken action to facilitate the voices of Disabled staff in your "
             "organisation to be heard? (yes/no, with examples)",
    population="—", period="Reporting year", numerator="—", denominator="—",
    source_tables=(), notes=("Narrative supplied by the organisation: `parity narrative`.",),
))
register(Indicator(
    id="wdes.10", standard=STANDARD, kind="difference",
    title="Board representation",
    guidance="Percentage difference between the organisation's Board voting membership and its organisation's "
             "overall workforce, disaggregated by voting membership and by executive membership of the Board.",
    population="Board members at 31 March; overall workforce at 31 March (bank excluded)",
    period="Snapshot at 31 March of the reporting year",
    numerator="Disabled share of the board (%)", denominator="Disabled share of the overall workforce (%)",
    source_tables=("workforce",), group_a="Board", group_b="Workforce", statistics=("newcombe_difference",),
))

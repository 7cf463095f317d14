"""The survey YAML file: the issue's example parses; every error names the file, the key and a fix."""

from __future__ import annotations

from datetime import date

import pytest
from pulse_helpers import SURVEY

from parity.pulse.survey import MIN_THRESHOLD, SurveyFileError, load_survey_file, survey_from_dict

ISSUE_EXAMPLE = """\
title: Speaking up pulse
org: R0A
opens: 2026-01-05
closes: 2026-01-19
access: codes            # or open
questions:
  - id: q1
    text: I feel able to speak up about things that concern me
    type: agree5         # yes_no | agree5 | text
about_you: [ethnicity, disability, sex, age_band]
"""


def test_issue_example_parses(tmp_path):
    path = tmp_path / "survey.yaml"
    path.write_text(ISSUE_EXAMPLE)
    s = load_survey_file(path)
    assert (s.title, s.org, s.opens, s.closes, s.access) == ("Speaking up pulse", "R0A", date(2026, 1, 5),
                                                             date(2026, 1, 19), "codes")
    assert [(q.id, q.type) for q in s.questions] == [("q1", "agree5")]
    assert s.about_you == ["ethnicity", "disability", "sex", "age_band"]
    assert s.threshold == MIN_THRESHOLD == 11
    assert survey_from_dict(s.to_dict()) == s


def test_bank_question_takes_text_and_type_from_the_bank():
    s = survey_from_dict(SURVEY)
    q2 = s.question("q2")
    assert (q2.type, q2.bank) == ("yes_no", "equal_opportunities")
    assert q2.text.startswith("Does your organisation act fairly with regard to career progression")


@pytest.mark.parametrize(("change", "words"), [
    ({"threshold": 10}, ["threshold is 10", "never set lower", "11"]),
    ({"threshold": "lots"}, ["threshold", "whole number"]),
    ({"access": "public"}, ["access", "'public'", "codes", "open"]),
    ({"opens": "5 Jan"}, ["opens", "YYYY-MM-DD"]),
    ({"closes": "2026-01-01"}, ["closes", "before opens"]),
    ({"questions": []}, ["questions", "at least one"]),
    ({"questions": [{"id": "q1", "text": "Hi", "type": "scale"}]}, ["questions[0].type", "'scale'", "agree5"]),
    ({"questions": [{"id": "q1", "bank": "nope"}]}, ["questions[0].bank", "'nope'", "equal_opportunities"]),
    ({"questions": [{"id": "q1", "text": "A", "type": "text"}, {"id": "q1", "text": "B", "type": "text"}]},
     ["questions[1].id", "repeats"]),
    ({"questions": [{"id": "q1", "text": "A", "type": "text", "colour": "red"}]}, ["questions[0].colour"]),
    ({"about_you": ["religion"]}, ["about_you", "ethnicity"]),
    ({"colour": "blue"}, ["colour", "not a survey key"]),
    ({"title": ""}, ["title", "missing or empty"]),
])
def test_errors_name_file_key_and_fix(change, words):
    with pytest.raises(SurveyFileError) as err:
        survey_from_dict({**SURVEY, **change}, "s.yaml")
    message = str(err.value)
    assert message.startswith("s.yaml: ")
    for word in words:
        assert word in message


def test_threshold_may_be_raised():
    assert survey_from_dict({**SURVEY, "threshold": 20}).threshold == 20


def test_alias_bomb_is_stopped(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{','.join(['*' + chr(96 + i)] * 10)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SurveyFileError, match="bomb.yaml"):
        load_survey_file(path)


def test_unreadable_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("title: [unclosed\n")
    with pytest.raises(SurveyFileError, match="bad.yaml: could not read"):
        load_survey_file(path)
    with pytest.raises(SurveyFileError, match="list.yaml: a survey file is a YAML mapping"):
        (tmp_path / "list.yaml").write_text("- 1\n")
        load_survey_file(tmp_path / "list.yaml")

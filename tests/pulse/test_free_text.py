"""Free text: admins and analysts only, after the threshold, released in steps, redacted."""

from __future__ import annotations

import pytest
from pulse_helpers import store, survey

from parity.pulse.redact import redact
from parity.pulse.text import free_text


@pytest.mark.parametrize(("text", "expected"), [
    ("mail jo.bloggs+hr@nhs.net now", "mail [e-mail address removed] now"),
    ("mobile 07700 900123", "mobile [phone number removed]"),
    ("ring 020 7946 0958.", "ring [phone number removed]."),
    ("+44 (0)20 7946 0958", "[phone number removed]"),
    ("+447700900123", "[phone number removed]"),
    ("(01632) 960 001", "[phone number removed]"),
    ("0161-496-0000", "[phone number removed]"),
    ("employee 12345678 here", "employee [staff number removed] here"),
    ("assignment 12345678-2", "assignment [staff number removed]"),
    ("in 2024 about 15 of us, ward 7", "in 2024 about 15 of us, ward 7"),
    ("band 8a since 01/02/2023", "band 8a since 01/02/2023"),
])
def test_redaction(text, expected):
    assert redact(text) == expected


def test_free_text_roles_threshold_and_redaction(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    for i in range(12):
        s.submit(sid, {"q1": "agree", "q2": "yes", "q3": f"note {i}: call 07700 900{i:03d}"},
                 {"ethnicity": "A", "disability": "no"})
    with pytest.raises(PermissionError, match="admins and analysts only"):
        free_text(s, sid, "viewer")
    out = free_text(s, sid, "analyst")
    assert out["published"] is True and len(out["answers"]) == 11  # the 12th waits for the next step
    assert all("07700" not in a["text"] and "[phone number removed]" in a["text"] for a in out["answers"])
    assert set(out["answers"][0]) == {"question", "question_text", "text"}  # nothing about the respondent


def test_no_free_text_before_the_threshold(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    for _ in range(10):
        s.submit(sid, {"q1": "agree", "q2": "yes", "q3": "hello"}, {"ethnicity": "A", "disability": "no"})
    s.close(sid)
    assert free_text(s, sid, "admin") == {"published": False, "answers": []}

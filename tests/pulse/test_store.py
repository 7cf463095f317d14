"""PulseStore: single-use codes (also under concurrency), refusals, shuffled storage, stepped release."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest
from pulse_helpers import store, survey

from parity.pulse.store import (
    FILE,
    MSG_CODE,
    CodeRefused,
    InvalidAnswer,
    PulseStore,
    SurveyClosed,
    SurveyNotFound,
    iso_week,
)

ANSWERS = {"q1": "agree", "q2": "no", "q3": ""}
ABOUT = {"ethnicity": "N", "disability": "prefer_not_to_say"}


def test_create_get_list_close(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey())
    assert len(sid) >= 16 and sid.replace("-", "").replace("_", "").isalnum()
    got = s.get(sid)
    assert (got.id, got.state, got.title) == (sid, "open", "Speaking up pulse")
    assert [x.id for x in s.list()] == [sid] and s.list(org="RXX") == []
    s.close(sid)
    assert s.get(sid).state == "closed"
    with pytest.raises(SurveyNotFound):
        s.get("nope")


def test_codes_are_single_use_and_stored_only_as_hashes(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey())
    codes = s.issue_codes(sid, 3)
    assert len(set(codes)) == 3
    s.submit(sid, ANSWERS, ABOUT, code=codes[0].lower().replace("-", " "))  # typed loosely: still the code
    with pytest.raises(CodeRefused) as used:
        s.submit(sid, ANSWERS, ABOUT, code=codes[0])
    with pytest.raises(CodeRefused) as unknown:
        s.submit(sid, ANSWERS, ABOUT, code="AAAAA-AAAAA")
    assert str(used.value) == str(unknown.value) == MSG_CODE
    with pytest.raises(CodeRefused):
        s.submit(sid, ANSWERS, ABOUT, code=None)
    assert s.response_count(sid) == 1 and s.code_counts(sid) == {"issued": 3, "used": 1}
    raw = (tmp_path / FILE).read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob(FILE + "-*"))
    for code in codes:
        for form in (code, code.replace("-", "")):
            assert form.encode() not in raw


def test_one_code_eight_concurrent_submits_give_one_response(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey())
    code = s.issue_codes(sid, 1)[0]
    start, outcomes = threading.Barrier(8), []

    def attempt():
        start.wait()
        try:
            PulseStore(tmp_path, today=s.today).submit(sid, ANSWERS, ABOUT, code=code)
            outcomes.append("ok")
        except CodeRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * 7
    assert s.response_count(sid) == 1


def test_invalid_answer_names_the_question_and_keeps_the_code(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey())
    code = s.issue_codes(sid, 1)[0]
    with pytest.raises(InvalidAnswer, match="I feel able to speak up"):
        s.submit(sid, {"q2": "yes"}, ABOUT, code=code)
    with pytest.raises(InvalidAnswer, match="equal opportunities|career progression"):
        s.submit(sid, {"q1": "agree", "q2": "maybe"}, ABOUT, code=code)
    with pytest.raises(InvalidAnswer, match="ethnic background"):
        s.submit(sid, ANSWERS, {"disability": "no"}, code=code)
    with pytest.raises(InvalidAnswer, match="speak up"):
        s.submit(sid, {**ANSWERS, "q1": ["agree"]}, ABOUT, code=code)  # not a string: refused, no TypeError
    with pytest.raises(InvalidAnswer, match="ethnic background"):
        s.submit(sid, ANSWERS, {**ABOUT, "ethnicity": {"A": 1}}, code=code)
    with pytest.raises(InvalidAnswer, match="'q9'"):
        s.submit(sid, {**ANSWERS, "q9": "yes"}, ABOUT, code=code)
    s.submit(sid, ANSWERS, ABOUT, code=code)  # the refused attempts did not use the code


@pytest.mark.parametrize(("day", "words"), [(date(2026, 1, 4), "opens on 2026-01-05"),
                                            (date(2026, 1, 20), "closed on 2026-01-19")])
def test_outside_the_dates_is_refused(tmp_path, day, words):
    s = store(tmp_path, day)
    sid = s.create(survey(access="open"))
    with pytest.raises(SurveyClosed, match=words):
        s.submit(sid, ANSWERS, ABOUT)


def test_closed_survey_refuses(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    s.close(sid)
    with pytest.raises(SurveyClosed):
        s.submit(sid, ANSWERS, ABOUT)


def test_rows_hold_only_answers_about_and_week_in_random_order(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    for i in range(30):
        s.submit(sid, {"q1": "agree", "q2": "yes" if i % 2 else "no", "q3": f"comment {i}"}, ABOUT)
    con = sqlite3.connect(tmp_path / FILE)
    cols = [r[1] for r in con.execute("PRAGMA table_info(responses)")]
    assert cols == ["key", "survey_id", "week", "released", "answers", "about"]
    assert [r[1] for r in con.execute("PRAGMA table_info(comments)")] == [
        "key", "survey_id", "question_id", "released", "text"]
    assert {r[0] for r in con.execute("SELECT week FROM responses")} == {iso_week(date(2026, 1, 7))} == {"2026-W02"}
    for table in ("responses", "comments"):
        with pytest.raises(sqlite3.OperationalError):  # WITHOUT ROWID: no insertion sequence to read
            con.execute(f"SELECT rowid FROM {table}")  # noqa: S608
    # stored order (the key) is not submission order: the comments come back shuffled
    order = [int(t.split()[1]) for q, t in s.comments(sid)]
    assert sorted(order) == list(range(22))  # two full steps of 11 released; 8 wait
    assert order != sorted(order)


def test_stepped_release(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    seen = []
    for _ in range(25):
        s.submit(sid, ANSWERS, ABOUT)
        seen.append(len(s.responses(sid)))
    assert seen == [0] * 10 + [11] * 11 + [22] * 4
    assert s.response_count(sid) == 25
    s.close(sid)
    # the 3 answers after the last step are counted but never used, also at the close (their
    # figures would be the difference between the 22-answer results and the final ones)
    assert len(s.responses(sid)) == 22 and s.response_count(sid) == 25


def test_a_replaced_file_is_reopened(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    s.submit(sid, ANSWERS, ABOUT)
    for f in tmp_path.glob(FILE + "*"):  # the workspace rebuilt: a new pulse.sqlite at the same path
        f.unlink()
    fresh = store(tmp_path)
    with pytest.raises(SurveyNotFound):
        fresh.get(sid)
    assert fresh.response_count(fresh.create(survey())) == 0


def test_write_ahead_log_emptied_after_every_answer(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    wal = tmp_path / (FILE + "-wal")
    for _ in range(12):
        s.submit(sid, ANSWERS, ABOUT)
        assert s.flush()  # emptied in the background, off the answer's path
        assert wal.stat().st_size == 0  # its frames, in commit order, would show the order of answers


def test_file_positions_do_not_follow_the_order_of_answers(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey(access="open"))
    marks = [f"zq{i:02d}qz" for i in range(10)]  # one pool (< 11): rewritten at every answer
    for m in marks:
        s.submit(sid, {**ANSWERS, "q3": m}, ABOUT)
    assert s.flush()  # the log copied into the file
    data = (tmp_path / FILE).read_bytes()
    assert all(data.count(m.encode()) == 1 for m in marks)
    found = [i for _, i in sorted((data.find(m.encode()), i) for i, m in enumerate(marks))]
    # inserted one by one they sat exactly in reverse order; rewritten in random order at each
    # answer, the chance of either exact order is 2 in 10! (about 5.5e-7)
    assert found not in (list(range(10)), list(range(10))[::-1])


def test_concurrent_submits_with_their_own_codes_are_all_kept(tmp_path):
    s = store(tmp_path)
    sid = s.create(survey())
    codes = s.issue_codes(sid, 80)
    start, errors = threading.Barrier(8), []

    def client(mine):
        start.wait()
        for code in mine:
            try:
                PulseStore(tmp_path, today=s.today).submit(sid, ANSWERS, ABOUT, code=code)
            except Exception as exc:  # noqa: BLE001 — any failure is what this test looks for
                errors.append(exc)

    threads = [threading.Thread(target=client, args=(codes[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert s.response_count(sid) == 80 and s.code_counts(sid) == {"issued": 80, "used": 80}
    assert len(s.responses(sid)) == 77  # seven full steps of 11 released; 3 wait

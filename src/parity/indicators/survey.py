"""Survey-based indicators (WRES 5–8, WDES 4–9a) from row-level responses or supplied aggregates.

Which question feeds which indicator is data, not code: a question map with columns
``survey_year, indicator, question, positive, exclude, kind``. ``survey_year`` may be ``*`` (any
year); ``question`` may list several questions separated by ``|`` (or ``;``) — a respondent then counts as
positive when positive on any of them (e.g. WRES 6: harassment from managers or from colleagues);
``positive`` and ``exclude`` are ``;``-separated answers (case-insensitive); excluded answers such
as "Don't know" leave the denominator. Question names match ignoring case, spaces and punctuation
(a file's ``Q14a`` heading matches ``q14a``). The map is read from ``survey_question_map.csv`` in
the workspace when present, otherwise the packaged default: the NHS Staff Survey question numbers
per survey year (docs/data-contract.md, "The staff survey question map"), plus ``*`` rows for the column names
`parity synth` writes.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pandas as pd

from parity.indicators.counts import GroupFn
from parity.indicators.moments import mean_sd
from parity.indicators.runner import Runner

MAP_FILE = "survey_question_map.csv"
MAP_COLUMNS = ["survey_year", "indicator", "question", "positive", "exclude", "kind"]


def load_question_map(workspace_dir: Path | None = None) -> pd.DataFrame:
    path = Path(workspace_dir) / MAP_FILE if workspace_dir else None
    source = path if path and path.exists() else files("parity.indicators") / "data" / MAP_FILE
    qmap = pd.read_csv(source, dtype=str, keep_default_na=False)
    missing = [c for c in MAP_COLUMNS if c not in qmap.columns]
    if missing:
        raise ValueError(f"{source}: the survey question map lacks columns {', '.join(missing)}")
    return qmap


def _questions(field: str) -> list[str]:
    """Question columns of a map row, separated by ``|`` or ``;``."""
    return [q.strip() for q in re.split(r"[|;]", field) if q.strip()]


def _norm(value: str) -> str:
    return " ".join(str(value).split()).lower()


def _map_rows(qmap: pd.DataFrame, kind: str, indicator_ids: list[str], survey_years: list[int]):
    """(survey year, map row) for every row of `kind` feeding `indicator_ids`; ``*`` means every
    survey year present. Loops over the small map, never over people."""
    rows = qmap[qmap.indicator.isin(indicator_ids) & (qmap.kind == kind)]
    for rec in rows.itertuples(index=False):
        for year in survey_years if rec.survey_year.strip() == "*" else [int(rec.survey_year)]:
            yield year, rec


def _key(question: str) -> str:
    """A question name as matched: lower case, letters and digits only ("Q14a" = "q14a" = "Q14 a")."""
    return re.sub(r"[^0-9a-z]", "", str(question).lower())


def question_key(column: ibis.expr.types.StringValue) -> ibis.expr.types.StringValue:
    """`_key` for a column of stored question names, so survey files' own headings match the map."""
    return column.lower().re_replace(r"[^0-9a-z]", "")


def _questions_frame(items: list[tuple[int, str, str]]) -> pd.DataFrame:
    """(survey_year, indicator, question) with `question` as its match key (`_key`)."""
    frame = pd.DataFrame(items, columns=["survey_year", "indicator", "question"])
    return frame.assign(question=frame["question"].map(_key)).drop_duplicates()


def _expand(qmap: pd.DataFrame, survey_years: list[int], indicator_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(survey_year, indicator, question) rows and (survey_year, indicator, answer, role) rows."""
    questions, answers = [], []
    for year, rec in _map_rows(qmap, "percent", indicator_ids, survey_years):
        questions += [(year, rec.indicator, q) for q in _questions(rec.question)]
        for role in ("positive", "exclude"):
            for answer in filter(None, getattr(rec, role).split(";")):
                answers.append((year, rec.indicator, _norm(answer), role))
    a = pd.DataFrame(answers, columns=["survey_year", "indicator", "answer", "role"]).drop_duplicates(
        ["survey_year", "indicator", "answer"]
    )
    return _questions_frame(questions), a


def classified(resp, questions: pd.DataFrame, answers: pd.DataFrame):
    """Each response row joined to the indicator its question belongs to (`_expand`'s ``questions``),
    with ``positive`` (its answer's role is positive) and ``valid`` (answered, and not an answer the
    map excludes). The survey indicators count from it (`responses_counts`), and so does the bias
    explorer (`parity.explore.outcomes`), so both read a response the same way."""
    q = ibis.memtable(questions.astype({"survey_year": "int64"}))
    a = ibis.memtable(answers.astype({"survey_year": "int64"}))
    r = resp.mutate(answer_norm=resp.answer.strip().lower(), survey_year=resp.survey_year.cast("int64"),
                    question=question_key(resp.question))
    r = r.join(q, ["survey_year", "question"])
    r = r.left_join(a, [r.survey_year == a.survey_year, r.indicator == a.indicator, r.answer_norm == a.answer])
    return r.mutate(positive=(r.role == "positive").fill_null(False),
                    valid=r.answer_norm.notnull() & (r.answer_norm != "") & (r.role != "exclude").fill_null(True))


def _of_years(table, survey_years: list[int] | None):
    """The rows of a survey table of `survey_years` (all rows when None)."""
    return table if survey_years is None else table.filter(table.survey_year.cast("int64").isin(list(survey_years)))


def responses_counts(con: ibis.BaseBackend, group: GroupFn, qmap: pd.DataFrame, indicator_ids: list[str],
                     runner: Runner | None = None, survey_years: list[int] | None = None) -> pd.DataFrame:
    """Respondents answering positively / answering, per org, survey year, indicator and group
    (of the ``survey_years`` only, when given)."""
    run = runner or Runner()
    if "survey_responses" not in con.list_tables():
        return _empty()
    resp = _of_years(con.table("survey_responses"), survey_years)
    years = [int(y) for y in run.frame("survey_years", resp.select("survey_year").distinct()).survey_year]
    questions, answers = _expand(qmap, years, indicator_ids)
    if questions.empty:
        return _empty()
    r = classified(resp, questions, answers)
    r = r.select("org_code", "survey_year", "indicator", "response_id", "ethnic_category", "disability", "sex",
                 "positive", "valid")
    r = r.mutate(group=group(r))
    per = r.group_by(["org_code", "survey_year", "indicator", "response_id", "group"]).aggregate(
        positive=(r.positive & r.valid).any(), valid=r.valid.any()
    )
    out = per.group_by(["org_code", "survey_year", "indicator", "group"]).aggregate(
        numerator=per.positive.cast("int64").sum(), denominator=per.valid.cast("int64").sum()
    )
    df = run.frame("survey_responses", out)
    df["source"] = "responses"
    return df


def aggregate_counts(con: ibis.BaseBackend, indicator_ids: list[str], runner: Runner | None = None,
                     survey_years: list[int] | None = None) -> pd.DataFrame:
    """Supplied aggregates (``survey_results``); ``percent`` is turned back into a count."""
    if "survey_results" not in con.list_tables():
        return _empty()
    res = _of_years(con.table("survey_results"), survey_years)
    res = res.filter(res.indicator.isin(indicator_ids))
    df = (runner or Runner()).frame("survey_results", res)
    if df.empty:
        return _empty()
    positive = df["positive"].astype("Float64")
    from_percent = (df["percent"].astype("Float64") * df["responses"].astype("Float64") / 100).round()
    df["numerator"] = positive.fillna(from_percent).astype("Int64")
    df["denominator"] = df["responses"].astype("Int64")
    df["source"] = "aggregates"
    return df[["org_code", "survey_year", "indicator", "group", "numerator", "denominator", "source"]]


def survey_counts(con: ibis.BaseBackend, group: GroupFn, qmap: pd.DataFrame, indicator_ids: list[str],
                  runner: Runner | None = None, survey_years: list[int] | None = None) -> pd.DataFrame:
    """Row-level counts, overridden by supplied aggregates for the same org, year and indicator
    (`parity.sqlcache.replay.survey_frame` does the same in plain Python: keep them alike);
    ``survey_years``: those survey years only (default all)."""
    rows = responses_counts(con, group, qmap, indicator_ids, runner, survey_years)
    aggs = aggregate_counts(con, indicator_ids, runner, survey_years)
    if not aggs.empty and not rows.empty:
        keys = ["org_code", "survey_year", "indicator"]
        covered = aggs[keys].drop_duplicates()
        rows = rows.merge(covered, on=keys, how="left", indicator=True)
        rows = rows[rows["_merge"] == "left_only"].drop(columns="_merge")
    frames = [f for f in (rows, aggs) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else _empty()


#: `survey_organisations`' survey year of a map row that applies to every survey year (``*``)
ANY_YEAR = -1


def survey_organisations(con: ibis.BaseBackend, qmap: pd.DataFrame, indicator_ids: list[str]) -> ir.Table | None:
    """The organisations (``org_code``, distinct) `survey_counts` over every survey year gives rows
    for, without counting: those with a response to a question the map reads for that survey year,
    and those with supplied aggregates of these indicators. None without survey tables."""
    tables = con.list_tables()
    parts = []
    if "survey_responses" in tables:
        rows = qmap[qmap.indicator.isin(indicator_ids) & (qmap.kind == "percent")]
        items = [(ANY_YEAR if rec.survey_year.strip() == "*" else int(rec.survey_year), rec.indicator, q)
                 for rec in rows.itertuples(index=False) for q in _questions(rec.question)]
        if items:
            q = ibis.memtable(_questions_frame(items)[["survey_year", "question"]].drop_duplicates()
                              .astype({"survey_year": "int64"}))
            resp = con.table("survey_responses")
            r = resp.select("org_code", year=resp.survey_year.cast("int64"), key=question_key(resp.question))
            hit = r.join(q, [r.key == q.question, (q.survey_year == r.year) | (q.survey_year == ANY_YEAR)])
            parts.append(hit.select("org_code").distinct())
    if "survey_results" in tables:
        res = con.table("survey_results")
        parts.append(res.filter(res.indicator.isin(indicator_ids)).select("org_code").distinct())
    return ibis.union(*parts, distinct=True) if len(parts) > 1 else (parts[0] if parts else None)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["org_code", "survey_year", "indicator", "group", "numerator", "denominator", "source"])


#: answer → item score on the 0–10 engagement scale (NHS Staff Survey scoring: five-point items
#: scored 0, 2.5, 5, 7.5, 10); numeric answers 1–5 are accepted too
ITEM_SCORES = {
    **{str(i): (i - 1) * 2.5 for i in range(1, 6)},
    **dict(zip(("strongly disagree", "disagree", "neither agree nor disagree", "agree", "strongly agree"),
               (0.0, 2.5, 5.0, 7.5, 10.0), strict=True)),
    **dict(zip(("never", "rarely", "sometimes", "often", "always"), (0.0, 2.5, 5.0, 7.5, 10.0), strict=True)),
}


def score_counts(con: ibis.BaseBackend, group: GroupFn, qmap: pd.DataFrame, indicator_ids: list[str],
                 runner: Runner | None = None, survey_years: list[int] | None = None) -> pd.DataFrame:
    """Engagement-style scores: per respondent the mean of the items answered, then per group
    ``n``, ``mean`` and sample ``sd`` of respondents' scores (WDES metric 9a); ``survey_years``: those
    survey years only (default all)."""
    run = runner or Runner()
    if "survey_responses" not in con.list_tables():
        return _empty_scores()
    resp = _of_years(con.table("survey_responses"), survey_years)
    years = [int(y) for y in run.frame("survey_years", resp.select("survey_year").distinct()).survey_year]
    items = [(year, rec.indicator, q) for year, rec in _map_rows(qmap, "score", indicator_ids, years)
             for q in _questions(rec.question)]
    if not items:
        return _empty_scores()
    q = ibis.memtable(_questions_frame(items).astype({"survey_year": "int64"}))
    scale = ibis.memtable(pd.DataFrame(list(ITEM_SCORES.items()), columns=["answer_norm", "score"]))
    r = resp.mutate(answer_norm=resp.answer.strip().lower(), survey_year=resp.survey_year.cast("int64"),
                    question=question_key(resp.question))
    r = r.join(q, ["survey_year", "question"]).join(scale, "answer_norm")
    r = r.mutate(group=group(r))
    per = r.group_by(["org_code", "survey_year", "indicator", "response_id", "group"]).aggregate(
        total=r.score.sum(), items=r.count())  # item scores are multiples of 2.5: this sum is exact
    # Reproducible to the last digit: a float sum's rounding depends on the order a parallel database
    # adds the rows in, so each respondent's score is fixed to 12 decimals and the group's sums of
    # scores and squares are added exactly as decimals, then turned into the mean and sd once
    x = (per.total / per.items).cast(dt.Decimal(14, 12))
    per = per.mutate(x=x)
    sums = per.group_by(["org_code", "survey_year", "indicator", "group"]).aggregate(
        n=per.count(), s1=per.x.sum(), s2=(per.x * per.x).sum())
    return _moments(run.frame("scores", sums))


def _moments(sums: pd.DataFrame) -> pd.DataFrame:
    """Mean and sample sd from the exact sums ``s1`` (of scores) and ``s2`` (of their squares)."""
    out = sums.drop(columns=["s1", "s2"])
    means, sds = [], []
    for n, s1, s2 in zip(sums["n"].astype(int), sums["s1"], sums["s2"], strict=True):
        mean, sd = mean_sd(n, s1, s2)
        means.append(mean)
        sds.append(sd)
    return out.assign(mean=pd.Series(means, index=out.index, dtype=float),
                      sd=pd.Series(sds, index=out.index, dtype=float))


def _empty_scores() -> pd.DataFrame:
    return pd.DataFrame(columns=["org_code", "survey_year", "indicator", "group", "n", "mean", "sd"])

"""`parity pulse create|codes|close|results|list`: anonymous pulse surveys (issue 16, docs/pulse.md)."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path

import typer

from parity.commands.common import console, friendly_errors

FORMATS = ("table", "json", "csv")
W = typer.Option(..., "--workspace", "-w", help="Parity workspace directory")
SURVEY = typer.Option(..., "--survey", "-s", help="Survey id (printed by `parity pulse create`)")
CSV_COLUMNS = ("question_id", "question", "attribute", "group", "n", "positive", "percent", "ci_low", "ci_high",
               "withheld")
STATE_WORDS = {"open": "open", "closed": "closed", "scheduled": "not open yet"}


def _pct(row: dict) -> str:
    return "" if row.get("percent") is None else f"{row['percent']:.1f}% ({row['ci_low']:.1f} to {row['ci_high']:.1f})"


def csv_rows(res: dict) -> list[list]:
    """One row for each question's overall figure and each of its groups (withheld: empty figures)."""
    rows = []
    for q in res.get("questions", []):
        o = q["overall"]
        rows.append([q["id"], q["text"], "overall", "everyone", o["n"], o["positive"], o["percent"], o["ci_low"],
                     o["ci_high"], False])
        for g in q["groups"]:
            rows.append([q["id"], q["text"], g["attribute"], g["group"], g["n"], g.get("positive"), g["percent"],
                         g["ci_low"], g["ci_high"], g["withheld"]])
    return rows


def _last(n: int) -> str:
    return "the last answer is" if n == 1 else f"the last {n} answers are"


def print_results(res: dict) -> None:
    from rich.table import Table

    if not res["published"]:
        console.print(f"{res['responses']} responses so far. Results appear once {res['threshold']} people have "
                      "answered, so that no one's answers can be picked out.")
        return
    left = res["responses"] - res["used"]
    step = (f"{res['used']} responses (the survey is closed" + (f"; {_last(left)} counted but left out of the figures, "
            f"as fewer than {res['threshold']} would give away their answers)" if left else ")")) \
        if res["state"] == "closed" else \
        f"the first {res['used']} responses; figures refresh after every {res['threshold']} new responses"
    console.print(f"[bold]{res['title']}[/] ({res['org']}): {res['responses']} responses. Figures use {step}.")
    if not res["groups_published"]:
        console.print("Figures for groups (the \"about you\" answers) appear when the survey closes.")
    for q in res["questions"]:
        table = Table(title=q["text"], show_lines=False, title_justify="left")
        for col in ("Who", "People", "Positive answers (95% CI)", "Compared with", "Difference (95% CI)", "Reading"):
            table.add_column(col)
        o = q["overall"]
        table.add_row("Everyone", str(o["n"]), _pct(o), "", "", "")
        for g in q["groups"] if res["groups_published"] else ():
            who = f"{g['attribute'].replace('_', ' ').capitalize()}: {g['group']}"
            if g["withheld"]:
                table.add_row(who, "withheld", "", "", "", "")
                continue
            c = g.get("comparison")
            diff = "" if not c else f"{c['difference']:+.1f} points ({c['ci_low']:+.1f} to {c['ci_high']:+.1f})"
            reading = "" if not c else ("uncertain: could be chance" if c["certainty"] != "clear" else
                                        "clear" if c["significant"] else "clear, but not across all questions (BH)")
            table.add_row(who, str(g["n"]), _pct(g), c["vs"] if c else "", diff, reading)
        console.print(table)
    console.print(f"Withheld: fewer than {res['threshold']} people, or showing it would let a smaller group be "
                  "worked out from the total. Readings compare each group with White, Non-disabled or everyone else.")


def register(app: typer.Typer) -> None:
    pulse_app = typer.Typer(help="Anonymous pulse surveys: create, issue codes, close, read results.",
                            no_args_is_help=True)
    app.add_typer(pulse_app, name="pulse")

    @pulse_app.command("create", help="Create a survey from a YAML file; prints its id and link.")
    def create(workspace: Path = W, org: str = typer.Option(..., "--org", help="Organisation code, e.g. R0A"),
               file: Path = typer.Option(..., "--file", "-f", help="Survey file (docs/pulse.md)")) -> None:
        from parity.pulse.store import PulseStore
        from parity.pulse.survey import load_survey_file

        with friendly_errors("pulse create"):
            survey = load_survey_file(file, org=org.strip().upper())
            survey_id = PulseStore(workspace).create(survey)
            console.print(f"Created survey {survey_id}: {survey.title} ({survey.org}), open {survey.opens} to "
                          f"{survey.closes}.")
            console.print(f"Link: /pulse/{survey_id}", soft_wrap=True)
            if survey.access == "codes":
                console.print("Next: issue codes with `parity pulse codes`.")

    @pulse_app.command("codes", help="Issue single-use codes and write them to a CSV file (shown only once).")
    def codes(workspace: Path = W, survey: str = SURVEY,
              count: int = typer.Option(..., "--count", "-n", help="How many codes"),
              out: Path = typer.Option(..., "--out", "-o", help="CSV file to write (must not exist yet)")) -> None:
        from parity.pulse.store import PulseStore

        with friendly_errors("pulse codes"):
            store = PulseStore(workspace)
            found = store.get(survey)
            if found.access != "codes":
                raise ValueError(f"Survey {survey} is open-link (access: open): it takes no codes")
            if out.exists():
                raise ValueError(f"{out} exists already: codes are never overwritten; choose another --out")
            issued = store.issue_codes(survey, count)
            fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # secrets: owner only
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["code", "link"])
                w.writerows([[c, f"/pulse/{survey}"] for c in issued])
            console.print(f"Wrote {len(issued)} single-use codes to {out}. They are stored nowhere else (only a "
                          "one-way hash is kept): give one to each person, and keep the file safe.")

    @pulse_app.command("close", help="Close a survey: no more answers; results use every response.")
    def close(workspace: Path = W, survey: str = SURVEY) -> None:
        from parity.pulse.store import PulseStore

        with friendly_errors("pulse close"):
            store = PulseStore(workspace)
            store.close(survey)
            console.print(f"Closed survey {survey}: {store.response_count(survey)} responses.")

    @pulse_app.command("results", help="Show a survey's results (nothing until the threshold is met).")
    def results_(workspace: Path = W, survey: str = SURVEY,
                 fmt: str = typer.Option("table", "--format", help="table, json or csv")) -> None:
        from parity.pulse.results import results
        from parity.pulse.store import PulseStore

        with friendly_errors("pulse results"):
            if fmt not in FORMATS:
                raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
            res = results(PulseStore(workspace), survey)
            if fmt == "json":
                sys.stdout.write(json.dumps(res, indent=2) + "\n")
            elif fmt == "csv":
                from parity.report.safety import neutralise

                buf = io.StringIO()
                w = csv.writer(buf)
                w.writerow(CSV_COLUMNS)
                w.writerows([[neutralise(v) for v in r] for r in csv_rows(res)])
                sys.stdout.write(buf.getvalue())
            else:
                print_results(res)

    @pulse_app.command("list", help="List the surveys in a workspace.")
    def list_(workspace: Path = W, org: str = typer.Option(None, "--org")) -> None:
        from rich.table import Table

        from parity.pulse.store import PulseStore

        with friendly_errors("pulse list"):
            store = PulseStore(workspace)
            found = store.list(org=org and org.strip().upper())
            table = Table(title=f"Pulse surveys ({len(found)})")
            table.add_column("Survey id", no_wrap=True, min_width=16)  # copied into other commands: keep whole
            for col in ("Org", "Title", "Opens", "Closes", "State", "Responses"):
                table.add_column(col)
            for s in found:
                table.add_row(s.id, s.org, s.title, str(s.opens), str(s.closes), STATE_WORDS[s.state],
                              str(store.response_count(s.id)))
            console.print(table)

    @pulse_app.command("trend", help="One question across an organisation's repeated pulses (same question id).")
    def trend_(workspace: Path = W, org: str = typer.Option(..., "--org"),
               question: str = typer.Option(..., "--question", "-q", help="Question id, e.g. q1"),
               fmt: str = typer.Option("table", "--format", help="table or json")) -> None:
        from rich.table import Table

        from parity.pulse.store import PulseStore
        from parity.pulse.trend import MIN_SPC_POINTS, trend

        with friendly_errors("pulse trend"):
            if fmt not in ("table", "json"):
                raise ValueError(f"Unknown format {fmt!r}: choose table or json")
            out = trend(PulseStore(workspace), org.strip().upper(), question)
            if fmt == "json":
                sys.stdout.write(json.dumps(out, indent=2) + "\n")
                return
            table = Table(title=f"{question} across pulses ({out['org']})")
            for col in ("Survey", "Closes", "State", "People", "Positive answers (95% CI)", "Special cause"):
                table.add_column(col)
            flags = (out["spc"] or {}).get("special_cause") or [None] * len(out["points"])
            for p, flag in zip(out["points"], flags, strict=True):
                table.add_row(p["title"], p["closes"], STATE_WORDS[p["state"]], str(p["n"]), _pct(p),
                              "" if flag is None else ("yes" if flag else "no"))
            console.print(table)
            if out["spc"] is None:
                console.print(f"An SPC chart needs at least {MIN_SPC_POINTS} published pulses with this question.")

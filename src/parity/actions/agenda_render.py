"""The agenda as Markdown, as a self-contained HTML page (NHS.UK colours, no network), or as PDF."""

from __future__ import annotations

import html
from pathlib import Path

from parity.actions.agenda import DUE_WINDOW, Agenda

FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}
BAD_EXTENSION = "{name}: write the agenda to a .md, .html or .pdf file"
NOTHING = "Nothing new."
DECISIONS = "10. Decisions and new actions"


def sections(a: Agenda) -> list[tuple[str, list[str]]]:
    """(heading, plain-text items) in agenda order."""
    def action(d: dict) -> str:
        return f"{d['title']} ({', '.join(d['indicators'])}) — {d['owner']}, due {d['due']}, {d['status'].replace('_', ' ')}"
    last = a.last_meeting
    return [
        (f"1. New data since {a.since:%d %B %Y}",
         [f"{i['table']}: {i['file']} ({i['rows']:,} rows, imported {i['on']})" for i in a.imports]),
        ("2. What the board should know" + (f" ({a.year})" if a.year else ""),
         [f"{f['title']} — {f['label']}: {f['sentence']}" + (f" Trend: {f['trend']}." if f.get("trend") else "")
          for f in a.findings]),
        ("3. Indicators that changed beyond chance since last year", a.moved),
        ("4. Signals in the monthly figures (SPC)", a.spc),
        ("5. New findings in the bias explorer", a.explorer),
        ("6. What staff told us (pulse surveys)", a.pulse),
        ("7. Actions overdue", [action(d) for d in a.overdue]),
        (f"8. Actions due by {a.date + DUE_WINDOW:%d %B %Y}",
         [action(d) for d in a.due]),
        ("9. Last meeting's decisions" + (f" ({last['date']})" if last else ""),
         [last["decisions"]] if last else []),
        (DECISIONS, []),
    ]


def to_markdown(a: Agenda) -> str:
    lines = [f"# Network meeting agenda — {a.org}, {a.date:%A %d %B %Y}", "",
             "Published figures only: small numbers are withheld.", ""]
    for heading, items in sections(a):
        lines += [f"## {heading}", ""]
        if heading == DECISIONS:
            lines += ["- Decision:", "- Decision:", "- New action (title, indicator, owner, due):", ""]
            continue
        lines += [f"- {item}" for item in items] or [NOTHING]
        lines.append("")
    return "\n".join(lines)


STYLE = """body{font-family:Arial,Helvetica,sans-serif;color:#212b32;max-width:960px;margin:2em auto;padding:0 1em;
line-height:1.5}h1{font-size:2rem}h2{font-size:1.375rem;border-bottom:4px solid #005eb8;padding-bottom:.2em;
margin-top:1.6em}.note{background:#f0f4f5;border-left:8px solid #005eb8;padding:.6em 1em}
.blank{border-bottom:1px solid #768692;height:2.2em}"""


def to_html(a: Agenda) -> str:
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>Network meeting agenda — {esc(a.org)}, {a.date:%d %B %Y}</title><style>{STYLE}</style></head>"
             f"<body><main><h1>Network meeting agenda — {esc(a.org)}, {a.date:%A %d %B %Y}</h1>"
             "<p class='note'>Published figures only: small numbers are withheld.</p>"]
    for heading, items in sections(a):
        parts.append(f"<h2>{esc(heading)}</h2>")
        if heading == DECISIONS:
            parts.append("".join("<div class='blank'></div>" for _ in range(6)))
        elif items:
            parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
        else:
            parts.append(f"<p>{NOTHING}</p>")
    parts.append("</main></body></html>")
    return "".join(parts)


def write_agenda(a: Agenda, out: Path) -> Path:
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise ValueError(BAD_EXTENSION.format(name=out.name))
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "markdown":
        out.write_text(to_markdown(a), encoding="utf-8")
    elif kind == "html":
        out.write_text(to_html(a), encoding="utf-8")
    else:
        from weasyprint import HTML

        HTML(string=to_html(a)).write_pdf(out)
    return out

"""Download any table of a page as CSV or Excel, and the page's print view (issue 14).

A download is the page itself, rendered by its own view with the same checks and the same release
(protected unless the page is the unsuppressed view an analyst asked for), with its tables read back
out of the HTML: what is downloaded is exactly what the page shows, never a figure the page withheld.
Numeric cells (``nhsuk-table__cell--numeric``) become numbers ("1,234" → 1234, "12.5%" → 12.5); a
withheld figure (shown as a dash) is an empty cell, never a marker in a number column. Text cells are
neutralised against formula injection (`parity.report.safety`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: pages whose tables can be downloaded and which have a print view
DOWNLOADABLE = ("indicator.html", "paygap.html", "explore.html", "spc.html", "explore_funnel.html", "explore_units.html",
                "explore_time.html", "pulse_survey.html", "compare.html")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
NUMBER = re.compile(r"^[−-]?[\d,]*\.?\d+%?$")
NO_SUCH_TABLE = "This page has no table {n}."


@dataclass
class Table:
    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)


class _Parser(HTMLParser):
    """Collects each <table>: its caption, header row and body rows (cells as shown)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._table: Table | None = None
        self._row: list | None = None
        self._cell: list[str] | None = None
        self._numeric = False
        self._in_head = False
        self._caption: list[str] | None = None
        self._hidden = 0  # depth inside visually hidden text (kept: it is part of a cell's meaning)
        self._skip: list = []  # [tag, depth] inside a link the print view hides (a drill-down, "Create an action")

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if self._skip:
            self._skip[1] += tag == self._skip[0]
            return
        if "parity-no-print" in cls and self._cell is not None:
            self._skip = [tag, 1]
            return
        if tag == "table":
            self._table = Table()
        elif self._table is None:
            return
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._numeric = [], "--numeric" in cls

    def handle_endtag(self, tag):
        if self._skip:
            self._skip[1] -= tag == self._skip[0]
            if self._skip[1] == 0:
                self._skip = []
            return
        if self._table is None:
            return
        if tag == "caption" and self._caption is not None:
            self._table.caption = _clean("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            text = _clean("".join(self._cell))
            self._row.append(text if self._in_head else _value(text, self._numeric))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head and not self._table.header:
                self._table.header = [str(c) for c in self._row]
            elif not self._in_head:
                self._table.rows.append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _value(text: str, numeric: bool):
    """A numeric cell as a number (empty when withheld or not a number); text as shown."""
    if not numeric:
        return text
    plain = text.replace("−", "-").replace(",", "").rstrip("%").strip()
    if not text or not NUMBER.match(text.replace(" ", "")):
        return None if text in ("", "–", "-", "*") else text  # "12.1 to 15.3": kept as shown
    number = float(plain)
    return int(number) if number.is_integer() and "." not in plain else number


#: the parts of a page that decide each table's caption, in document order (see `captions`)
_TABLE_PARTS = re.compile(r"<table\b|<caption\b[^>]*>(.*?)</caption\s*>|</table\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def captions(html: str) -> list[str]:
    """Each table's caption as `tables` reads it (text without tags, character references decoded,
    spaces collapsed; "" when none), in the order the tables end. One regular-expression scan instead of
    a full HTML parse: every page with tables calls this on each render (`with_links`), and the parse
    was about 2% of the server's CPU under the mixed load (issue 11)."""
    from html import unescape

    found, current = [], None
    for match in _TABLE_PARTS.finditer(html):
        if match.group(0)[1] == "/":
            if current is not None:
                found.append(current)
            current = None
        elif match.group(1) is not None:
            if current is not None:
                current = _clean(unescape(_TAG.sub("", match.group(1))))
        else:
            current = ""
    return found


def tables(html: str) -> list[Table]:
    parser = _Parser()
    parser.feed(html)
    return parser.tables


def to_csv(table: Table) -> str:
    from parity.report.safety import neutralise

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in table.header])
    for row in table.rows:
        writer.writerow(["" if c is None else neutralise(c) if isinstance(c, str) else c for c in row])
    return out.getvalue()


def to_xlsx(chosen: list[Table], title: str) -> bytes:
    """One sheet per table: the caption above, a frozen bold header with filters, widths to fit."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from parity.report.safety import neutralise

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for i, table in enumerate(chosen, 1):
        name = re.sub(r"[\[\]:*?/\\]", " ", table.caption or f"Table {i}")[:28].strip() or f"Table {i}"
        while name in used:
            name = f"{name[:25]} {i}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([neutralise(f"{title}: {table.caption}" if table.caption else title)])
        ws["A1"].font = Font(bold=True)
        ws.append([neutralise(h) for h in table.header])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append([neutralise(c) if isinstance(c, str) else c for c in row])
        ws.freeze_panes = "A3"
        if table.header and table.rows:
            ws.auto_filter.ref = f"A2:{get_column_letter(len(table.header))}{len(table.rows) + 2}"
        for col in range(1, max(len(table.header), 1) + 1):
            values = [table.header[col - 1] if col <= len(table.header) else ""]
            values += [r[col - 1] for r in table.rows if col <= len(r)]
            width = max((len(str(v)) for v in values if v is not None), default=8)
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
            for row in ws.iter_rows(min_row=3, min_col=col, max_col=col):
                for cell in row:
                    if isinstance(cell.value, float):
                        cell.number_format = "#,##0.0##"
                    elif isinstance(cell.value, int):
                        cell.number_format = "#,##0"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_links(html: str, url) -> str:
    """`html` with "Download this table: CSV · Excel" after each table (after its scrolling container);
    `url(fmt, n)` is the address of table n (1-based) in that format."""
    from html import escape

    names = captions(html)
    out, pos, n = [], 0, 0
    for match in re.finditer(r"</table>(\s*</div>)?", html):
        n += 1
        what = escape(names[n - 1] if n <= len(names) and names[n - 1] else f"table {n}")
        links = (f'<p class="nhsuk-body-s parity-downloads">Download this table: '
                 f'<a href="{escape(url("csv", n))}" download>CSV<span class="nhsuk-u-visually-hidden"> of {what}'
                 f'</span></a> · <a href="{escape(url("xlsx", n))}" download>Excel<span '
                 f'class="nhsuk-u-visually-hidden"> of {what}</span></a></p>')
        out += [html[pos:match.end()], links]
        pos = match.end()
    return "".join(out) + html[pos:]


def download(request, html: str, fmt: str, table: str | None, title: str):
    """The page's table `table` (1-based; Excel: every table when none is given) as a file."""
    from fastapi import HTTPException
    from fastapi.responses import Response

    from parity.web import audit

    found = tables(html)
    if fmt not in FORMATS:
        raise HTTPException(404, "There is no download in that format: choose CSV or Excel.")
    if table is None and fmt == "xlsx":
        chosen = found
    else:
        n = int(table) if (table or "").isdigit() else 0
        if not 1 <= n <= len(found):
            raise HTTPException(404, NO_SUCH_TABLE.format(n=table or ""))
        chosen = [found[n - 1]]
    org = request.path_params.get("org", "")
    stem = re.sub(r"[^a-z0-9]+", "-", f"{org} {title} {chosen[0].caption if len(chosen) == 1 else ''}".lower())
    name = f"{stem.strip('-')[:100]}.{fmt}"
    body = to_csv(chosen[0]) if fmt == "csv" else to_xlsx(chosen, title)
    with request.app.state.db.session() as db:
        audit.record(db, request, "download", user=request.state.user, org=org,
                     detail=f"{name} ({request.url.path}{'?' + request.url.query if request.url.query else ''})")
    return Response(body, media_type=FORMATS[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'})

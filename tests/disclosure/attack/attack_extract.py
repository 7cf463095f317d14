"""Everything a reader gets from each format, as text lines and table rows.

Text formats (HTML, PDF, web pages, chart JSON) become one normalised string (tags stripped,
entities decoded, Unicode minus as "-", whitespace collapsed); table formats (XLSX every sheet, CSV
files) become rows of cell values. Nothing here knows the layout of a Parity report.
"""

from __future__ import annotations

import csv
import html
import json
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?")
OF = re.compile(r"(?<![\w.,])(\d[\d,]*) (?:out )?of (\d[\d,]*)(?![\d.])\s*([A-Za-z][\w-]*)?")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:  # titles, aria labels and data attributes are read too
            if value and name in ("title", "aria-label", "alt", "data-value", "data-label"):
                self.parts.append(f" {value} ")
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def normalise(text: str) -> str:
    text = html.unescape(text).replace("\u2212", "-").replace("\u2013", "-").replace("\xa0", " ")
    return " ".join(text.split())


@lru_cache(maxsize=256)
def html_text(source: str | Path) -> str:
    """Visible text of an HTML page (and SVG text), plus scripts' JSON data islands."""
    raw = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    parser = _Text()
    parser.feed(raw)
    islands = re.findall(r"<script[^>]*application/(?:ld\+)?json[^>]*>(.*?)</script>", raw, flags=re.S)
    return normalise(" ".join(parser.parts + islands))


@lru_cache(maxsize=64)
def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return normalise("\n".join(page.extract_text() or "" for page in PdfReader(path).pages))


def json_text(text: str) -> str:
    """A JSON document's strings and numbers, in order, as text (Vega specs carry data and tooltips)."""
    out: list[str] = []

    def walk(obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                out.append(f" {k}:")
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)
        elif obj is not None:
            out.append(f" {obj} ")

    walk(json.loads(text))
    return normalise(" ".join(out))


def xlsx_rows(path: Path) -> list[tuple[str, list]]:
    """(sheet name, row values) for every row of every sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return [(ws.title, list(row)) for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def csv_rows(path: Path) -> list[tuple[str, list]]:
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return [(Path(path).name, row) for row in csv.reader(f) if row and not row[0].startswith("#")]


def as_number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "").replace("\u2212", "-").rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None


def tables(rows: list[tuple[str, list]]) -> list[dict[str, object]]:
    """Rows below a header row (one naming a count column) as {header: value} with the sheet name."""
    out, header, sheet_of = [], None, None
    for sheet, row in rows:
        names = [str(c).strip().lower() if c is not None else "" for c in row]
        if sheet != sheet_of:
            header, sheet_of = None, sheet
        if any(n in ("numerator", "count", "denominator", "n") for n in names):
            header = names
            continue
        if header:
            out.append({"_sheet": sheet, **{h: v for h, v in zip(header, row, strict=False) if h}, "_cells": row})
    return out


def of_pairs(text: str) -> list[tuple[int, int, str, str]]:
    """Every "N of D <word>" in the text: (N, D, following word, surrounding text)."""
    found = []
    for m in OF.finditer(text):
        n, d = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
        found.append((n, d, (m.group(3) or "").lower(), text[max(0, m.start() - 60):m.end() + 40]))
    return found

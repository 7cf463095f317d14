"""Writing tables as CSV, Excel or Parquet, byte-identical for the same seed."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from parity.synth.config import FORMATS

EXCEL_MAX_ROWS = 1_048_575  # plus the header row
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def plain(tab: pa.Table) -> pa.Table:
    """Dictionary-encoded columns decoded to plain strings (what CSV, Excel and pandas users see)."""
    fields = [pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in tab.schema]
    return tab.cast(pa.schema(fields))


def write_table(tab: pa.Table, path: Path, fmt: str) -> Path:
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        # dictionary-encode only the coded columns: trying it on ids is slow and useless
        pq.write_table(tab, path, use_dictionary=[f.name for f in tab.schema if pa.types.is_dictionary(f.type)])
    elif fmt == "csv":
        pcsv.write_csv(plain(tab), path)
    else:
        _write_xlsx(plain(tab), path)
    return path


def _write_xlsx(tab: pa.Table, path: Path) -> None:
    from openpyxl import Workbook

    if tab.num_rows > EXCEL_MAX_ROWS:
        raise ValueError(f"{path.name}: {tab.num_rows} rows do not fit in one Excel sheet; use csv or parquet")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(path.stem[:31])
    ws.append(tab.column_names)
    columns = [tab.column(i).to_pylist() for i in range(tab.num_columns)]
    for row in zip(*columns, strict=True):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_deterministic_zip(buf.getvalue()))


def _deterministic_zip(data: bytes) -> bytes:
    """openpyxl stamps the save time in docProps/core.xml and in every zip entry; fix both."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_json(obj: object, path: Path) -> Path:
    import json

    path.write_text(json.dumps(obj, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path

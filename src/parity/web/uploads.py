"""Uploads: size limit, type checks (extension and magic bytes) and the private upload area.

Files wait in ``<workspace>/web-uploads/<random key>/`` (directories mode 0700, files 0600) between
validation and the analyst's confirmation; the raw file is deleted after the import, on cancel, and
when never confirmed (`upload_jobs` sweeps them).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

UPLOAD_DIR = "web-uploads"
CHUNK = 1024 * 1024
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
MAPPING_EXTENSIONS = (".yaml", ".yml")

TOO_LARGE = "The file is larger than the upload limit of {limit}. Split it, or ask an administrator to raise the limit."
WRONG_EXTENSION = "The file must be a CSV (.csv), Excel workbook (.xlsx) or Parquet (.parquet) file; {name} is not."
WRONG_CONTENT = ("{name} does not look like a {kind} file (its first bytes do not match). Save it again as "
                 "{kind} and upload that.")
BAD_MAPPING = ("This is not a mapping file Parity can read: choose the mapping file an analyst wrote for this "
               "extract, or leave it empty.")
NO_FILE = "Choose a file to upload."


class UploadRefused(Exception):
    """A refused upload: `status` (413, 415 or 400) and a message for the error summary."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def safe_name(name: str) -> str:
    base = Path(name or "upload").name
    return re.sub(r"[^A-Za-z0-9._ -]", "_", base)[:120] or "upload"


def check_extension(name: str) -> str:
    kind = EXTENSIONS.get(Path(name).suffix.lower())
    if kind is None:
        raise UploadRefused(415, WRONG_EXTENSION.format(name=safe_name(name)))
    return kind


def check_magic(path: Path, kind: str, name: str) -> None:
    """CSV: text (no NUL bytes, decodes as UTF-8 or Windows-1252); XLSX: a zip; Parquet: PAR1 at both ends."""
    with open(path, "rb") as f:
        head = f.read(8192)
        f.seek(max(0, path.stat().st_size - 4))
        tail = f.read(4)
    if kind == "xlsx":
        ok = head.startswith(b"PK\x03\x04")
    elif kind == "parquet":
        ok = head.startswith(b"PAR1") and tail == b"PAR1"
    else:
        ok = b"\x00" not in head and not head.startswith((b"PK\x03\x04", b"PAR1")) and _text(head)
    if not ok:
        label = {"csv": "CSV text", "xlsx": "Excel .xlsx", "parquet": "Parquet"}[kind]
        raise UploadRefused(415, WRONG_CONTENT.format(name=safe_name(name), kind=label))


def _text(head: bytes) -> bool:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig" and exc.start >= len(head) - 3:  # a character cut at 8 KB
                return True
    return False


def private_dir(workspace: Path, key: str) -> Path:
    root = Path(workspace) / UPLOAD_DIR
    root.mkdir(mode=0o700, exist_ok=True)
    os.chmod(root, 0o700)
    folder = root / key
    folder.mkdir(mode=0o700)
    return folder


def save(upload, folder: Path, limit: int, limit_text: str) -> Path:
    """Copy an UploadFile into `folder` in chunks, refusing (413) once past `limit` bytes."""
    target = folder / safe_name(upload.filename)
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                out.close()
                shutil.rmtree(folder, ignore_errors=True)
                raise UploadRefused(413, TOO_LARGE.format(limit=limit_text))
            out.write(chunk)
    return target


def discard(path: str | Path | None) -> None:
    """Delete an upload's folder (the raw file, its mapping and everything about it)."""
    if path:
        shutil.rmtree(Path(path).parent, ignore_errors=True)


def discard_raw(path: str | Path | None, *, keep: tuple[str, ...] = ()) -> None:
    """Delete everything in an upload's folder but the files named in `keep` (e.g. the job summary)."""
    if not path:
        return
    folder = Path(path).parent
    if not folder.is_dir():
        return
    for item in folder.iterdir():
        if item.name in keep:
            continue
        if item.is_dir():
            shutil.rmtree(item, ignore_errors=True)
        else:
            item.unlink(missing_ok=True)


def sweep_orphans(workspace: Path, keep: set[str], *, older_than) -> int:
    """Delete folders in the upload area older than `older_than` (naive UTC) whose key is not in `keep`."""
    from datetime import UTC, datetime

    root = Path(workspace) / UPLOAD_DIR
    if not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        modified = datetime.fromtimestamp(folder.stat().st_mtime, UTC).replace(tzinfo=None)
        if folder.name not in keep and modified < older_than:
            shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink(missing_ok=True)
            removed += 1
    return removed


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n} GB"

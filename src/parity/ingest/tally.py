"""Counts behind the summary warnings, kept so that chunks of one file add up (docs/ingest.md "Speed").

A summary warning (blank cells read as a mapping's value, unknown medical grades, unknown
ethnicity stored as 99, snapshot dates that are not 31 March) describes the whole file. A file read
in chunks (`parity.ingest.chunked`) adds each chunk's counts here and words the warnings once at
the end; a file read at once does the same with one chunk, so both say exactly the same thing.
Values are counted in order of first appearance and listed by count, ties in that order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parity.ingest.problems import WARNING, Problem


def counts(values: pd.Series) -> pd.Series:
    """How often each value occurs, in order of first appearance (no missing values expected)."""
    codes, uniques = pd.factorize(values)
    return pd.Series(np.bincount(codes[codes >= 0], minlength=len(uniques)), index=pd.Index(uniques, dtype=object))


def _add(a: pd.Series | None, b: pd.Series) -> pd.Series:
    if a is None or not len(a):
        return b
    return pd.concat([a, b]).groupby(level=0, sort=False).sum()


def _by_count(s: pd.Series) -> pd.Series:
    return s.sort_values(ascending=False, kind="stable")


@dataclass
class Tallies:
    """Per-file counts for the summary warnings (see the module docstring)."""

    #: canonical column -> rows whose blank cell was read as the mapping's `blank_means` value
    blank: dict[str, int] = field(default_factory=dict)
    #: grades in staff group 01 that no mapping knows -> rows
    medical: pd.Series | None = None
    #: ethnicity values stored as 99 because of --unknown-as-not-stated -> rows
    unknown_ethnicity: pd.Series | None = None
    #: snapshot dates that are not 31 March (datetime.date) -> rows
    odd_snapshots: pd.Series | None = None

    def add(self, other: Tallies) -> None:
        for name, n in other.blank.items():
            self.blank[name] = self.blank.get(name, 0) + n
        for attr in ("medical", "unknown_ethnicity", "odd_snapshots"):
            if getattr(other, attr) is not None:
                setattr(self, attr, _add(getattr(self, attr), getattr(other, attr)))

    def before_rows(self, file: str, m) -> list[Problem]:
        """Warnings listed first among the summary: blank cells read as a value, medical grades,
        ethnicity stored as 99 (`m` is the mapping used)."""
        out = [Problem(file, None, name, None, f"{self.blank[name]} row(s) had a blank {name}; read as "
                       f"{fill!r} ({m.source}).", WARNING, "blank_read_as")
               for name, fill in m.blank_means.items() if self.blank.get(name)]
        if self.medical is not None and self.medical.sum():
            seen = _by_count(self.medical)
            out.append(Problem(file, None, "pay_band", None,
                               f"{int(seen.sum())} row(s) in staff group 01 had grades we do not know "
                               f"({', '.join(f'{v!r} × {k}' for v, k in seen.head(10).items())}); stored as "
                               f"{m.unmapped_medical_grade}. Map any trainee, career or consultant grade "
                               "among them under values: pay_band.", WARNING, "medical_grade_fallback"))
        if self.unknown_ethnicity is not None and self.unknown_ethnicity.sum():
            seen = _by_count(self.unknown_ethnicity)
            out.append(Problem(file, None, "ethnic_category", None,
                               f"{int(seen.sum())} row(s) had ethnicity values we do not know "
                               f"({', '.join(repr(v) for v in seen.index[:10])}); stored as 99 (not known) "
                               "because of --unknown-as-not-stated.", WARNING, "unknown_ethnicity_as_99"))
        return out

    def snapshot_warnings(self, file: str, column: str, year: int | None) -> list[Problem]:
        """One warning per snapshot date that is not 31 March (of the reporting year, with --year)."""
        if self.odd_snapshots is None:
            return []
        want = f"31 March {year}" if year else "31 March"
        return [Problem(file, None, column, str(d), f"{n} row(s) have {column} {d}, not {want}; WRES "
                        "and WDES use the snapshot at 31 March of the reporting year.", WARNING,
                        "snapshot_not_31_march") for d, n in self.odd_snapshots.sort_index().items()]

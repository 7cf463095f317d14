"""Neutralise spreadsheet formula injection in text that reaches Excel or CSV.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return before them) as a formula: an organisation code or a band label
like ``=HYPERLINK("http://evil","click")`` would run when the report is opened (OWASP "CSV
injection"). Every *text* cell we write goes through :func:`neutralise`, which prefixes such text
with an apostrophe — Excel's own "this is text" mark, shown in the formula bar only. Numbers are
written as numbers and never touched, so a negative gap stays a negative number.
"""

from __future__ import annotations

from typing import Any

#: characters that make a spreadsheet read a text cell as a formula (OWASP list)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
PREFIX = "'"


def neutralise(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would run as a formula; then ``'`` + text.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-5"), neutralise(-5), neutralise("Band 5")
    ('\\'=HYPERLINK("http://x")', "'-5", -5, 'Band 5')
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return PREFIX + value
    return value


def is_dangerous(value: Any) -> bool:
    """True when `value` is text that a spreadsheet would evaluate (used by tests and checks)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)

"""Redact contact details and staff numbers from free-text answers (issue 16).

E-mail addresses, UK phone numbers (landline and mobile, with ``+44``, ``(0)``, spaces, hyphens
or brackets) and staff numbers — ESR employee numbers (8 digits) and assignment numbers
(``12345678-2``) — are replaced by a bracketed note saying what was removed.

>>> redact("Call me on 07700 900123 or mail a.b@nhs.net (staff no 12345678-2)")
'Call me on [phone number removed] or mail [e-mail address removed] (staff no [staff number removed])'
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
STAFF_NUMBER = re.compile(r"(?<![\d+])\d{8}(?:-\d{1,3})?(?!\d)")
# +44 or 0, then 9-10 more digits in any grouping of spaces, hyphens and brackets
PHONE = re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)(?:[\s\-()]{0,2}\d){9,10}(?!\d)")

REDACTIONS = ((EMAIL, "[e-mail address removed]"), (PHONE, "[phone number removed]"),
              (STAFF_NUMBER, "[staff number removed]"))


def redact(text: str) -> str:
    for pattern, note in REDACTIONS:
        text = pattern.sub(note, text)
    return text

"""Input checks shared by the statistics modules; the messages are constants tests can assert on."""

from __future__ import annotations

from numbers import Integral, Real

NOT_A_COUNT = "{name} must be a whole number (int), got {value!r}"
NEGATIVE_COUNT = "{name} must be 0 or more, got {value}"
EVENTS_EXCEED_TOTAL = "{events_name} ({events}) cannot be larger than {total_name} ({total})"
BAD_CONFIDENCE = "confidence must be a number strictly between 0 and 1, got {value!r}"


def check_count(value: object, name: str) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 0, else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(NOT_A_COUNT.format(name=name, value=value))
    if value < 0:
        raise ValueError(NEGATIVE_COUNT.format(name=name, value=value))
    return int(value)


def check_events(events: object, total: object, events_name: str, total_name: str) -> tuple[int, int]:
    """Check a count of events and the count of people it came from."""
    events = check_count(events, events_name)
    total = check_count(total, total_name)
    if events > total:
        raise ValueError(
            EVENTS_EXCEED_TOTAL.format(
                events_name=events_name, events=events, total_name=total_name, total=total
            )
        )
    return events, total


def check_confidence(confidence: object) -> float:
    """Return ``confidence`` as a float in (0, 1), else raise ``ValueError``."""
    if isinstance(confidence, bool) or not isinstance(confidence, Real) or not 0 < confidence < 1:
        raise ValueError(BAD_CONFIDENCE.format(value=confidence))
    return float(confidence)

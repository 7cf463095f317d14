"""The disclosure rule: thresholds, the marker, and the sentence every output prints about them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: in a protected dict a suppressed number is replaced by this value and its path listed in "suppressed"
SUPPRESSED = None

BAD_K = "k must be an integer of at least 2 (counts 1 to k-1 are suppressed); got {k!r}"
BAD_SURVEY_MIN = "survey_min_responses must be an integer of at least 1; got {n!r}"
BAD_MARKER = "marker must be a non-empty string that is not a number; got {marker!r}"

#: replaces every narrative that would mention a withheld figure (never the number itself)
WITHHELD_NARRATIVE = ("Too few to report: fewer than {k} people in a group, so the figures are withheld "
                      "to protect confidentiality.")
WITHHELD_SURVEY_NARRATIVE = ("Too few to report: fewer than {n} survey responses in a group, so the figures "
                             "are withheld to protect confidentiality.")
REASON_PRIMARY = "counts of 1 to {top} are withheld"
REASON_SURVEY = "groups with fewer than {n} survey responses are withheld"
REASON_SECONDARY = ("other figures are withheld so that a withheld count cannot be worked out from totals "
                    "or from other tables in this report")
REASON_UNPROTECTABLE = ("the figures could not be checked for disclosure (inconsistent or unmatched counts), "
                        "so they are withheld")
REASON_DERIVED = "rates, ratios, percentages and intervals calculated from withheld figures are withheld too"


@dataclass(frozen=True)
class DisclosureRule:
    """Statistical disclosure control settings applied to every published output.

    Parameters
    ----------
    k : counts from 1 to ``k - 1`` are suppressed (default 10: counts 1-9).
    suppress_zero : also suppress zero counts (default False: zero stays zero).
    marker : what a suppressed cell shows in tables and CSV (default ``*``).
    survey_min_responses : survey groups with fewer responses are withheld (default 11).

    Examples
    --------
    >>> DisclosureRule(k=8).is_small_count(7), DisclosureRule(k=8).is_small_count(8)
    (True, False)
    """

    k: int = 10
    suppress_zero: bool = False
    marker: str = "*"
    survey_min_responses: int = 11

    def __post_init__(self) -> None:
        if isinstance(self.k, bool) or not isinstance(self.k, int) or self.k < 2:
            raise ValueError(BAD_K.format(k=self.k))
        if (isinstance(self.survey_min_responses, bool) or not isinstance(self.survey_min_responses, int)
                or self.survey_min_responses < 1):
            raise ValueError(BAD_SURVEY_MIN.format(n=self.survey_min_responses))
        if not isinstance(self.marker, str) or not self.marker.strip() or _is_number(self.marker):
            raise ValueError(BAD_MARKER.format(marker=self.marker))

    def is_small_count(self, value: float) -> bool:
        """True when a count must be suppressed (1 to k-1, and 0 when ``suppress_zero``)."""
        if value == 0:
            return self.suppress_zero
        return 0 < value < self.k

    def is_small_survey(self, responses: float) -> bool:
        """True when a survey group has too few responses to show (0 only when ``suppress_zero``)."""
        if responses == 0:
            return self.suppress_zero
        return 0 < responses < self.survey_min_responses

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def methods_note(self) -> str:
        """The plain-English paragraph that every report prints in its methods section."""
        zero = ("Zero counts are also withheld." if self.suppress_zero
                else "Zero counts are shown as 0, because a zero does not identify anyone.")
        return (
            f"Disclosure control: to protect the confidentiality of staff, counts from 1 to {self.k - 1} "
            f"(fewer than {self.k} people) are not shown and are replaced by \"{self.marker}\". {zero} "
            f"Survey results for a group with fewer than {self.survey_min_responses} responses are not shown. "
            "Secondary (complementary) suppression is applied: further figures are withheld where needed so "
            "that no withheld count can be worked out by subtraction from row, column or overall totals, or "
            "from the same count shown in another table of this report. Percentages, rates, ratios, "
            "confidence intervals and sentences calculated from a withheld figure are withheld as well."
        )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

"""Statistics behind every Parity indicator.

Equality indicators compare two groups of staff (White and BME, Disabled and non-disabled, women
and men). The numbers are counts of people, often small, so each result carries how sure we can be:

* **Relative likelihood** (:func:`relative_likelihood`): how many times more likely an event
  (appointment, disciplinary, training) is in one group than another, with a Katz log-scale
  confidence interval and a p-value from Fisher's exact test when counts are small, Pearson's
  chi-square test otherwise. A ratio that cannot be computed (no events, no people) is reported as
  ``None`` with a reason, never as infinity or NaN.
* **Percentages** (:func:`wilson`, :func:`difference_of_proportions`): Wilson score intervals for
  one percentage and Newcombe's hybrid score interval for the gap between two, in percentage points.
* **Assessment** (:func:`assess`): reads a relative likelihood against NHS England's non-adverse
  range 0.80-1.25, and says "inconclusive" rather than guess when the numbers are too small.
* **Certainty** (:func:`certainty`): whether a result's interval excludes "no difference" (a
  ratio of 1, a gap of 0 points): ``clear`` (beyond chance) or ``uncertain`` (could be chance).
* **Change and trend** (:func:`change_in_relative_likelihood`, :func:`change_in_proportion`,
  :func:`trend_in_proportions`): did this year differ from last by more than chance; is there a
  steady trend across years (Cochran-Armitage).
* **Many indicators at once** (:func:`benjamini_hochberg`): false discovery rate control, so that a
  report of dozens of tests does not flag differences by chance alone.
* **Pay gaps** (:func:`bootstrap_ci`): a stratified percentile bootstrap for mean and median gaps.

Every result is a frozen dataclass with ``to_dict()`` returning JSON-safe values. The methods,
formulas and defaults are explained in ``docs/statistics.md``.
"""

from parity.stats.assessment import Assessment, assess
from parity.stats.bootstrap import bootstrap_ci
from parity.stats.certainty import CLEAR, UNCERTAIN, certainty, with_certainty
from parity.stats.change import Change, change_in_proportion, change_in_relative_likelihood
from parity.stats.multiple_testing import benjamini_hochberg
from parity.stats.proportions import Difference, Proportion, difference_of_proportions, wilson
from parity.stats.relative_likelihood import RelativeLikelihood, relative_likelihood
from parity.stats.trend import TrendTest, trend_in_proportions

__all__ = [
    "CLEAR",
    "UNCERTAIN",
    "Assessment",
    "Change",
    "Difference",
    "Proportion",
    "RelativeLikelihood",
    "TrendTest",
    "assess",
    "benjamini_hochberg",
    "bootstrap_ci",
    "certainty",
    "change_in_proportion",
    "change_in_relative_likelihood",
    "difference_of_proportions",
    "relative_likelihood",
    "trend_in_proportions",
    "wilson",
    "with_certainty",
]

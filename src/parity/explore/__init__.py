"""The bias explorer: where in the workforce do inequalities show, and are they beyond chance?

WRES and WDES compare two groups at a time (White and BME, Disabled and non-disabled). The
explorer looks further, with the same statistics:

* `scan`: every outcome (appointment, disciplinary, capability, training, promotion, leaving,
  staff survey items) over every combination of up to three attributes (ethnicity, sex,
  disability, age band, staff group, band), each cell against a named reference group or everyone
  else: relative likelihood, Katz interval, Fisher/chi-square p-value, Benjamini-Hochberg control
  of the false discovery rate across every cell scanned.
* `funnel`: where in recruitment a gap opens (shortlisting, interview, offer, appointment).
* `progression`: moving up a band between consecutive 31 March snapshots, per starting band.
* `retention`: leaving rates, with the reasons given.
* `survival` (``explore(..., method="survival")`` for progression and retention): time in band until
  promotion and in post until leaving — Kaplan–Meier medians, log-rank tests, adjusted Cox hazard ratios.
* `trend`: each cell over the years (Cochran-Armitage for rates; weighted regression of log RL).

Every result is an `ExploreResult` (``.frame``, ``.findings``, ``.to_dict()``). Definitions and
measured statistical properties: ``docs/explore.md``.
"""

from parity.explore.api import KINDS, explore
from parity.explore.attributes import ATTRIBUTES, DEFAULT_REFERENCE
from parity.explore.funnel import funnel
from parity.explore.outcomes import OUTCOMES
from parity.explore.progression import progression
from parity.explore.result import ExploreResult
from parity.explore.retention import retention
from parity.explore.scan import scan
from parity.explore.survival import survival
from parity.explore.trend import trend

__all__ = ["ATTRIBUTES", "DEFAULT_REFERENCE", "KINDS", "OUTCOMES", "ExploreResult", "explore", "funnel",
           "progression", "retention", "scan", "survival", "trend"]

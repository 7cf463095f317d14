"""The indicator catalogue and the machinery shared by WRES and WDES.

Each indicator is one declarative `Indicator` (what the guidance says, which population, which
period, numerator, denominator, comparison direction, statistics) registered in `CATALOGUE`. The
CLI, the reports and the web pages read this one catalogue.
"""

from parity.indicators.catalogue import CATALOGUE, Indicator, indicators, register

__all__ = ["CATALOGUE", "Indicator", "indicators", "register"]

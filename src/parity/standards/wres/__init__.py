"""Workforce Race Equality Standard: the nine indicators.

`definitions` holds the catalogue entries (what the guidance says), `counts` the Ibis expressions
that count numerators and denominators per organisation and year, `assemble` the statistics and
results, `narrative` the plain-English sentences.
"""

from parity.standards.wres.api import WresConfig, wres, wres_all

__all__ = ["WresConfig", "wres", "wres_all"]

"""How do we compare? Every organisation against the national figure and its peers, with funnel
plot limits (Spiegelhalter 2005) and a test for over-dispersion (`compare`, `parity benchmark`)."""

from parity.benchmark.compare import compare

__all__ = ["compare"]

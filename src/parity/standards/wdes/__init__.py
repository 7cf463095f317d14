"""Workforce Disability Equality Standard: the ten metrics (with sub-parts 4a.i–iii, 4b, 9a, 9b)."""

from parity.standards.wdes.api import WdesConfig, wdes

__all__ = ["WdesConfig", "wdes"]

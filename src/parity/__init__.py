"""Parity: workforce equality indicators for NHS organisations.

Read HR extracts, validate them, keep them as canonical tables in a workspace, and compute the
Workforce Race Equality Standard (WRES), the Workforce Disability Equality Standard (WDES) and pay
gaps, with statistics that say how sure we are.
"""

__version__ = "0.1.0"

from parity.analysis import results  # noqa: E402
from parity.standards.wdes import WdesConfig, wdes  # noqa: E402
from parity.standards.wres import WresConfig, wres, wres_all  # noqa: E402

__all__ = ["WdesConfig", "WresConfig", "results", "wdes", "wres", "wres_all", "__version__"]

"""Parity: workforce equality indicators for NHS organisations.

Read HR extracts, validate them, keep them as canonical tables in a workspace, and compute the
Workforce Race Equality Standard (WRES), the Workforce Disability Equality Standard (WDES) and pay
gaps, with statistics that say how sure we are.
"""

__version__ = "0.1.0"

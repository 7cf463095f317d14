"""Equality groups as Ibis expressions (classification rules from the WRES and WDES guidance)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parity.contract.codes import BME_CODES, WHITE_CODES

if TYPE_CHECKING:  # issue 19: not loaded on the compiled-SQL cache's path
    import ibis.expr.types as ir

ETHNICITY_GROUPS = ("White", "BME", "Unknown")
DISABILITY_GROUPS = ("Disabled", "Non-disabled", "Unknown")


def ethnicity_group(code: ir.StringValue) -> ir.StringValue:
    """White = A, B, C; BME = D–S; Unknown = Z, 99, blank or anything unmapped (WRES guidance)."""
    import ibis

    return ibis.cases(
        (code.isin(WHITE_CODES), "White"),
        (code.isin(BME_CODES), "BME"),
        else_="Unknown",
    )


def disability_group(flag: ir.StringValue) -> ir.StringValue:
    """Disabled ("yes"), Non-disabled ("no"), Unknown (anything else) — WDES guidance."""
    import ibis

    return ibis.cases((flag == "yes", "Disabled"), (flag == "no", "Non-disabled"), else_="Unknown")

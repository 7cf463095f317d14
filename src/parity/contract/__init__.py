"""The data contract: canonical tables, their columns and the codes they hold.

Everything downstream (indicators, reports, the web app) reads only canonical tables, so this
package is the single place that says what a canonical table is. `docs/data-contract.md` is the
prose version and a test keeps the two in step.
"""

from parity.contract.schema import TABLES, Column, Table, table

__all__ = ["TABLES", "Column", "Table", "table"]

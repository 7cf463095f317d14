"""Statistical process control: is a measure changing over time, or is it noise?

NHS boards read change over time as SPC charts, the "Making Data Count" way: a centre line,
process limits from the point-to-point variation, and four rules that mark special-cause variation
(`parity.spc.rules`). `spc(workspace, org=..., measure="disciplinary", by="ethnicity")` charts a
measure's monthly or quarterly rate per group and the ratio between each group and the reference.

    >>> from parity.spc import xmr
    >>> chart = xmr([5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 6, 25], better="lower")
    >>> chart.rules[-1], chart.variation
    (['outside_limits'], 'special_cause_concern')
"""

from parity.spc.build import SpcResult, spc, spc_every_org
from parity.spc.chart import Chart, laney, xmr
from parity.spc.rules import SpcRules

__all__ = ["Chart", "SpcResult", "SpcRules", "laney", "spc", "spc_every_org", "xmr"]

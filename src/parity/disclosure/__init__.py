"""Statistical disclosure control: one step that every published output passes through.

Equality figures describe small groups of identifiable colleagues. Before a table leaves the
analyst's own view:

* **primary suppression** withholds counts from 1 to k-1 (default k = 10; zero stays zero unless
  ``suppress_zero``) and survey groups with fewer than ``survey_min_responses`` (11) responses;
* **secondary suppression** withholds further cells so that no withheld count can be worked out
  from the other cells, the row / column / overall totals, or the same people counted in another
  table of the report. The report is modelled as linked tables — non-negative *atoms* and published
  quantities that are sums of atoms — and a withheld quantity is safe when it is not in the row
  space of what is published (plus the atoms non-negativity forces to zero);
* rates, percentages, ratios, intervals and sentences computed from a withheld figure are withheld;
* ``DisclosureRule.methods_note()`` is the paragraph every output prints about the rule.

>>> from parity.disclosure import DisclosureRule, protect_table
>>> import pandas as pd
>>> protect_table(pd.DataFrame({"White": [40, 52], "BME": [3, 45]})).values.iloc[0, 1]
'*'
"""

from parity.disclosure.linear import is_protected
from parity.disclosure.paygap import protect_paygap
from parity.disclosure.results import MARKING, protect
from parity.disclosure.rules import SUPPRESSED, WITHHELD_NARRATIVE, DisclosureRule
from parity.disclosure.secondary import Published, suppress_linked
from parity.disclosure.tables import ProtectedTable, protect_table

__all__ = [
    "MARKING", "SUPPRESSED", "WITHHELD_NARRATIVE", "DisclosureRule", "ProtectedTable", "Published",
    "is_protected", "protect", "protect_paygap", "protect_table", "suppress_linked",
]

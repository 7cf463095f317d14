"""Explore: the bias explorer's intersectional scan (`parity.explore.scan`), in its published view only
(`parity.disclosure.explore.protect_explore`), for every role (issue 14).

One scan per organisation and year — the `parity explore scan` defaults: ethnicity and sex, every
outcome, Benjamini-Hochberg at 5% — protected as one release and cached until the workspace
changes. The page's filters only choose which rows of that one protected scan to show: a scan run
per filter (other attributes, other cells) would be a separate release, and comparing two could
give back a withheld count by subtraction, so the attributes are fixed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from parity.web.pages import render
from parity.web.roles import Access, require
from parity.web.versioned import VersionedCache
from parity.web.viewing import resolve

router = APIRouter()
BY = ("ethnicity", "sex")
SHOWN = 40


class ExploreCache(VersionedCache):
    """Protected scans per (organisation, year), cleared when the workspace's data version changes."""

    unavailable = "The scan could not be run for the year ending 31 March {year}: {reason}."

    def get(self, org: str, year: int) -> dict[str, Any] | str:
        return super().get(org, year)

    def _compute(self, org: str, year: int) -> dict[str, Any] | str:
        from parity.disclosure.explore_wres import wres_by_year
        from parity.report.explorer import protected_scan  # the same scan the report ranks (issue 14)

        docs, orgs = self.results.release("WRES")  # protected around WRES 2 as the pages print it (leak 13)
        return protected_scan(self.results.workspace.path, year=year, org=org, rule=self.results.rule,
                              wres=wres_by_year(docs, orgs, org))


def scans(app) -> ExploreCache:
    return ExploreCache.of(app, "explore")


def outcome_titles() -> dict[str, str]:
    from parity.explore.outcomes import OUTCOMES

    return {name: o.label[:1].upper() + o.label[1:] for name, o in OUTCOMES.items()}


def rows(scan: dict[str, Any], outcome: str | None, show: str) -> list[dict[str, Any]]:
    """The findings to show, in the scan's order (significant and worse off first): filtered by outcome,
    and to significant ones (``show="significant"``), worse-off ones (``"worse"``) or all tested."""
    out = []
    for f in scan.get("findings") or []:
        if outcome and f.get("outcome") != outcome:
            continue
        if show in ("significant", "worse") and not f.get("significant"):
            continue
        if show == "worse" and not worse_off(f):
            continue
        out.append(f)
    return out


def worse_off(f: dict[str, Any]) -> bool:
    """Above 1 means the group is worse off than its reference, whichever the outcome (`orientation`)."""
    rl = f.get("relative_likelihood")
    return isinstance(rl, int | float) and rl > 1


@router.get("/o/{org}/explore")
def explore_page(request: Request, year: int | None = None, outcome: str | None = None, show: str = "significant",
                 access: Access = Depends(require("overview"))):
    v = resolve(request, access, year, None, "explore")
    titles = outcome_titles()
    outcome = outcome if outcome in titles else None
    show = show if show in ("significant", "worse", "all") else "significant"
    scan = scans(request.app).get(access.org, v.year)
    found = [] if isinstance(scan, str) else rows(scan, outcome, show)
    return render(request, "explore.html", title="Explore", v=v, scan=scan,
                  found=found[:SHOWN], total=len(found), titles=titles, outcome=outcome, show=show,
                  protected_only=True)

"""A release: every document the public (reports) and a viewer (web pages) receive from one trust.

`build_release` computes, for each organisation and the all-organisations level and each year, the
protected report (what is published) and the unsuppressed one (the truth, for the attacker's score
only), writes the report files, and optionally serves the viewer's web pages for each organisation.
"""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from attack_model import ALL, Document

from parity.disclosure import DisclosureRule
from parity.report import build_report, write_report

RESAMPLES = 20
WEB_HELPERS = Path(__file__).parents[2] / "web" / "web_helpers.py"


@dataclass
class Release:
    documents: list[Document]
    rule: DisclosureRule
    #: viewer pages per organisation and year: {(org, year): {url: text}}
    web: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)


def standards_of(report) -> dict[str, dict]:
    out = dict(report.standards)
    out.update({f"PAYGAP:{by}": pg for by, pg in report.paygap.items()})
    return out


def build_document(con, *, org: str | None, year: int, rule: DisclosureRule, out_dir: Path | None,
                   formats: tuple[str, ...]) -> Document:
    published = build_report(con, year=year, org=org, rule=rule, paygap_resamples=RESAMPLES)
    files = write_report(published, out_dir, formats=formats) if out_dir is not None and formats else {}
    return Document(org or ALL, year, standards_of(published), raw_results(con, year=year, org=org), dict(files),
                    published, one_year_results(con, year=year, org=org))


def raw_results(con, *, year: int, org: str | None) -> dict[str, dict]:
    """The unprotected results (the truth the attack is scored against), through the public API."""
    import parity
    from parity.paygap.api import paygap

    out = {}
    for name, run in (("WRES", parity.wres), ("WDES", parity.wdes)):
        try:
            out[name] = run(con, year=year, org=org).to_dict()
        except (ValueError, KeyError):  # no data for this standard and year: nothing to protect
            pass
    for by in ("ethnicity", "disability"):  # gender figures are statutory: published as they are
        try:
            out[f"PAYGAP:{by}"] = paygap(con, year=year, by=by, org=org, n_resamples=RESAMPLES).to_dict()
        except ValueError:
            pass
    return out


def one_year_results(con, *, year: int, org: str | None) -> dict[str, dict]:
    """WRES / WDES over this financial year alone (indicator 3 single-year): the parts of the rolling
    windows the release publishes (truth only; never published)."""
    import parity
    from parity.standards.wdes.api import WdesConfig
    from parity.standards.wres.api import WresConfig

    out = {}
    for name, run, config in (("WRES", parity.wres, WresConfig(disciplinary_period="single_year")),
                              ("WDES", parity.wdes, WdesConfig(capability_period="single_year"))):
        try:
            out[name] = run(con, year=year, org=org, config=config).to_dict()
        except (ValueError, KeyError):
            pass
    return out


def build_release(con, *, orgs: list[str], years: list[int], out_dir: Path | None = None,
                  formats: tuple[str, ...] = ("html", "xlsx", "csv"), pdf: set[str] = frozenset(),
                  levels: bool = True, rule: DisclosureRule | None = None) -> Release:
    """Documents for each of `orgs` (and all organisations when `levels`) and each of `years`;
    PDF only for the document names in `pdf` (e.g. ``{"RXA 2025"}``: WeasyPrint is slow)."""
    rule = rule or DisclosureRule()
    docs = []
    for org in ([None] if levels else []) + list(orgs):
        for year in years:
            name = f"{org or ALL} {year}"
            fmts = tuple(formats) + (("pdf",) if name in pdf else ())
            sub = Path(out_dir) / name.replace(" ", "-") if out_dir is not None else None
            docs.append(build_document(con, org=org, year=year, rule=rule, out_dir=sub, formats=fmts))
    return Release(docs, rule)


def _web_helpers():
    spec = importlib.util.spec_from_file_location("attack_web_helpers", WEB_HELPERS)
    mod = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec.loader.exec_module(mod)
    return mod


def workspace_from(trust, path: Path) -> Path:
    """A workspace holding `trust`'s canonical tables (as an import would store them)."""
    return trust.workspace(path)


def viewer_pages(workspace: Path, orgs: list[str], years: list[int]) -> dict[tuple[str, int], dict[str, str]]:
    """Every page and chart spec a signed-in `viewer` of each organisation can open, as text."""
    from parity.web import create_app
    from parity.web.views.indicator import CHARTS

    helpers = _web_helpers()
    app = create_app(workspace, helpers.settings())
    pages: dict[tuple[str, int], dict[str, str]] = {}
    for org in orgs:
        email = f"viewer-{org.lower()}@example.org"
        helpers.add_user(app, email, role="viewer", org=org)
        client = helpers.sign_in(app, email)
        for year in years:
            got = pages.setdefault((org, year), {})
            urls = [f"/o/{org}/overview?year={year}"]
            for std in ("WRES", "WDES"):
                try:
                    result = app.state.results.standard(org, year, std)
                except (ValueError, KeyError, FileNotFoundError):
                    continue
                for ind in result["indicators"]:
                    base = f"/o/{org}/indicator/{ind['id']}"
                    urls.append(f"{base}?year={year}")
                    urls += [f"{base}/chart/{name}.json?year={year}" for name in CHARTS]
            for url in urls:
                response = client.get(url)
                if response.status_code == 200:
                    got[url] = response.text
                elif response.status_code != 404:
                    raise AssertionError(f"{url}: HTTP {response.status_code}")
    return pages


def json_release(con, years: list[int], rule: DisclosureRule | None = None) -> Release:
    """Every organisation and all organisations for `years`, WRES and WDES, protected as the report and
    pages publish them (`protected_standards`: one release of both standards), JSON only."""
    from parity.report.release import protected_standards

    rule = rule or DisclosureRule()
    docs: dict[tuple[str, int], Document] = {}
    for name, (results, _orgs, published) in protected_standards(con, rule, years=years).items():
        for (unit, year), raw in results.items():
            org = unit[0] if unit else ALL
            doc = docs.setdefault((org, year), Document(org, year, {}, {}, yearly=one_year_results(
                con, year=year, org=unit[0] if unit else None)))
            doc.published[name.upper()] = published[(unit, year)]
            doc.raw[name.upper()] = raw.to_dict()
    return Release(list(docs.values()), rule)

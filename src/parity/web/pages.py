"""Rendering helpers shared by the views: the Jinja environment, CSRF tokens, number formats."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote as _quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

from parity.actions.protected import STATUS_TEXT, VERDICT_TEXT
from parity.indicators.narrative import p_value
from parity.stats.certainty import with_certainty
from parity.web import tables
from parity.web.models import now
from parity.web.plain import band_label, column_label, indicator_code, reference_label, table_name
from parity.web.roles import PERMISSIONS, role_in

TEMPLATES = Path(__file__).parent / "templates"
#: the marking on every unsuppressed view (same words as parity.disclosure.MARKING)
MARKING = "Not for publication — contains small numbers"
ASSESSMENT_TAGS = {"adverse": ("Adverse", "red"), "favourable": ("Favourable", "green"),
                   "within_range": ("Within range", "blue"), "inconclusive": ("Inconclusive", "grey")}

#: templates are part of the installed package: loaded once, never checked for changes on disk
#: (auto_reload stats every template a page includes, on every render; issue 11)
env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                  auto_reload=False)


def quote(text: str) -> str:
    return _quote(text, safe="/")


def fmt(value, digits: int = 2, unit: str = "") -> str:
    """A number for a table cell; None is shown as an en dash (the template explains withheld cells)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        text = f"{value:,.{digits}f}"
        return f"{text}{'%' if unit == '%' else ''}"
    return str(value)


def headline(indicator: dict) -> str:
    """The indicator's value with its unit, as a card shows it."""
    value, unit = indicator.get("value"), indicator.get("unit") or ""
    if value is None or isinstance(value, str):
        return "Withheld" if indicator.get("disclosure") else "Not available"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "percentage points":
        return f"{value:+.1f} percentage points"
    if unit == "ratio":
        return f"{value:.2f}"
    return f"{value:.2f} {unit}".strip()


env.filters["fmt"] = fmt
env.filters["column_label"] = column_label  # "ethnicity", never "ethnic_category"
env.filters["code"] = indicator_code  # "WRES 2", never "WRES.2"
env.filters["reference_label"] = reference_label  # an action's indicator in words
env.filters["band_label"] = band_label  # "Career grade", never "career_grade"
env.filters["table_name"] = table_name  # "Staff in post (ESR)", never "workforce"
env.filters["headline"] = headline
env.filters["pvalue"] = p_value  # "< 0.001", never "0.000"
env.filters["with_certainty"] = with_certainty  # "Adverse — uncertain: could be chance"
env.globals["ASSESSMENT_TAGS"] = ASSESSMENT_TAGS
env.globals["MARKING"] = MARKING
env.globals["ACTION_STATUS"] = STATUS_TEXT
env.globals["VERDICT_TEXT"] = VERDICT_TEXT


def csrf_binding(request: Request) -> str:
    token = getattr(request.state, "session_token", None)
    return f"s:{token}" if token else f"p:{request.state.pre}"


def csrf_token(request: Request) -> str:
    return request.app.state.keys.csrf_for(csrf_binding(request))


def session_expiry(settings, created_at=None):
    """Sliding expiry (`session_hours` from now), never past the absolute lifetime from sign-in."""
    idle = now() + timedelta(hours=float(settings.session_hours))
    return min(idle, (created_at or now()) + timedelta(hours=float(settings.session_absolute_hours)))


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    """A page: the template with the signed-in user, CSRF token and menu (links the user may follow)."""
    user = getattr(request.state, "user", None)
    org = context.get("org") or request.path_params.get("org")
    role = role_in(user, org) if user is not None and org else None
    if org and "org_name" not in context:
        context["org_name"] = _org_name(request, org)
    # the browser tab in words: "Appointment from shortlisting — WRES 2 — Org name — Parity" (issue 14)
    context["page_title"] = " — ".join(str(p) for p in (context.get("title"), context.get("org_name") if org else None,
                                                         "Parity") if p)
    context.update(request=request, user=user, csrf_token=csrf_token(request), org=org, role=role,
                   can=lambda action: role is not None and role in PERMISSIONS[action],
                   path=request.url.path)
    printable = template in tables.DOWNLOADABLE and status == 200
    if printable:  # every table downloadable, and a print view (issue 14)
        context.update(print_view=request.query_params.get("print") == "1", print_url=_with(request, print="1"))
    html = env.get_template(template).render(**context)
    if printable:
        fmt = request.query_params.get("download")
        if fmt:
            title = f"{context.get('title', '')} {getattr(context.get('v'), 'year', '')}".strip()  # the file names its year
            title = f"{MARKING} {title}" if context.get("unsuppressed") else title
            return tables.download(request, html, fmt, request.query_params.get("table"), title)
        html = tables.with_links(html, lambda fmt, n: _with(request, download=fmt, table=str(n)))
    return HTMLResponse(html, status_code=status)


def _with(request: Request, **params: str) -> str:
    """This page's address with `params` set (the year and view kept, print and downloads dropped)."""
    from urllib.parse import urlencode

    query = {k: v for k, v in request.query_params.items() if k not in ("print", "download", "table")}
    return f"{request.url.path}?{urlencode({**query, **params})}"


def _org_name(request: Request, org: str) -> str:
    from parity.web.orgnames import shown_name

    if getattr(request.app.state, "db", None) is None:
        return org
    return shown_name(request.app, org)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    if not hasattr(request.state, "pre"):  # raised before the session middleware ran
        request.state.pre, request.state.user, request.state.session_token = "-", None, None
    titles = {400: "There is a problem", 403: "Access denied", 404: "Page not found", 405: "Not allowed",
              413: "File too large", 415: "Wrong type of file", 429: "Too many attempts",
              503: "Service busy"}
    return render(request, "error.html", status=status, title=titles.get(status, "Something went wrong"),
                  message=message, org=None)

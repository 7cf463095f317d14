"""One module per page type; each exposes `router`."""

from __future__ import annotations

from fastapi import FastAPI


def register_all(app: FastAPI) -> None:
    from parity.web.views import (
        actions,
        audit,
        auth,
        compare,
        data,
        explore,
        explore_funnel,
        explore_time,
        explore_units,
        indicator,
        meetings,
        organisations,
        overview,
        paygap,
        pulse,
        pulse_answer,
        reports,
        spc,
        users,
    )

    for module in (auth, organisations, overview, indicator, paygap, explore, explore_time, explore_units, explore_funnel, data, reports, users, audit, actions, meetings, spc,
                   pulse_answer, pulse, compare):
        app.include_router(module.router)
    data.install(app)

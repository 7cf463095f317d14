"""Peers: the organisations an organisation is compared with (`--peers`, issue 18; docs/benchmark.md).

``--peers type=acute,region=London`` keeps the organisations of that type and region;
``--peers nearest=10`` (with ``--org``) keeps the 10 organisations most like ``--org`` (itself
included) by nearest neighbours on four documented variables, each made comparable first:

- organisation type and region: 0 when the same, 1 when different (a London acute and a rural
  community trust differ);
- size: ln(headcount), divided by its standard deviation across the organisations;
- ethnic mix: the percentage of staff from BME groups, divided by its standard deviation.

Distance = √(sum of the squared terms); a variable either organisation lacks adds nothing. Ties go to
the lower organisation code. Filters and ``nearest`` combine (filter first).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

FILTERS = {"type": "org_type", "region": "region"}
KEYS = (*FILTERS, "nearest")
VARIABLES = ("org_type", "region", "ln(headcount)", "bme_percent")
BAD_SPEC = "--peers {spec!r}: give KEY=VALUE pairs separated by commas, KEY one of " + ", ".join(KEYS)
NEEDS_ORG = "--peers nearest=K needs --org (the organisation whose peers are wanted)"
NO_LABEL = ("--peers {key}=...: no organisation has a {column}; import published figures or run `parity "
            "benchmark build --organisations FILE` to label them")
NONE_LEFT = "--peers {spec}: no organisation matches (values of {key}: {values})"


def parse(spec: str | None) -> dict:
    """``type=acute,region=London,nearest=10`` → {"type": "acute", "region": "London", "nearest": 10}."""
    if not spec:
        return {}
    out: dict = {}
    for part in spec.split(","):
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in KEYS or not value:
            raise ValueError(BAD_SPEC.format(spec=spec))
        if key == "nearest":
            if not value.isdigit() or int(value) < 2:
                raise ValueError(f"--peers nearest={value}: give a whole number of 2 or more")
            out[key] = int(value)
        else:
            out[key] = value
    return out


def _norm(v) -> str:
    return str(v).strip().lower().replace(" ", "_")


def _known(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def choose(frame: pd.DataFrame, wanted: dict, org: str | None) -> list[str]:
    """The peer organisations' codes (sorted) under `wanted` (from `parse`)."""
    kept = frame
    for key, column in FILTERS.items():
        if key not in wanted:
            continue
        if not frame[column].map(_known).any():
            raise ValueError(NO_LABEL.format(key=key, column=column))
        kept = kept[kept[column].map(lambda v: _known(v) and _norm(v)) == _norm(wanted[key])]
        if kept.empty:
            values = sorted({str(v) for v in frame[column] if _known(v)})
            raise ValueError(NONE_LEFT.format(spec=f"{key}={wanted[key]}", key=key, values=", ".join(values)))
    codes = sorted(str(o) for o in kept["org_code"])
    if "nearest" in wanted:
        if org is None:
            raise ValueError(NEEDS_ORG)
        if org not in codes:
            codes = sorted({*codes, org})
        dist = distances(frame.set_index("org_code").loc[codes], org)
        codes = sorted(sorted(dist, key=lambda o: (dist[o], o))[:wanted["nearest"]])
    return codes


def distances(attrs: pd.DataFrame, org: str) -> dict[str, float]:
    """Each organisation's distance from `org` (module docstring); `attrs` indexed by org_code."""
    size = pd.to_numeric(attrs["headcount"], errors="coerce").astype(float)
    size = np.log(size.where(size > 0))
    mix = pd.to_numeric(attrs["bme_percent"], errors="coerce").astype(float)
    scaled = {}
    for name, s in (("size", size), ("mix", mix)):
        sd = s.std(ddof=0)
        scaled[name] = s / sd if sd and not math.isnan(sd) else s * 0
    me = attrs.loc[org]
    out = {}
    for code, row in attrs.iterrows():
        d2 = 0.0
        for column in FILTERS.values():
            if _known(me[column]) and _known(row[column]):
                d2 += float(_norm(me[column]) != _norm(row[column]))
        for s in scaled.values():
            a, b = s.get(org), s.get(code)
            if _known(a) and _known(b):
                d2 += (float(a) - float(b)) ** 2
        out[str(code)] = math.sqrt(d2)
    return out

"""A card's small trend line: inline SVG drawn on the server, every year available, withheld years as gaps.

Presentation attributes only (no inline ``style``: the CSP allows no inline styles). Ratios are drawn on
a log scale with NHS England's non-adverse range 0.80–1.25 shaded; percentages and points on a
linear scale that always includes 0 for a difference, so a small change does not look large. The
chart is an image with a text alternative naming every year's figure (withheld years said so).
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT, PAD = 160, 40, 4
LINE, BAND, DOT = "#005eb8", "#e8edee", "#005eb8"
NON_ADVERSE = (0.80, 1.25)


def sparkline(points: list[tuple[int, float | None]], *, label: str, ratio: bool = False,
              difference: bool = False, places: int = 2) -> str:
    """SVG markup for ``[(year, value or None)]`` oldest first; "" with fewer than two years."""
    if len(points) < 2:
        return ""
    shown = [v for _, v in points if v is not None]
    scale = math.log if ratio else (lambda x: x)
    lows = [scale(v) for v in shown if not ratio or v > 0]
    if ratio:
        lows += [scale(NON_ADVERSE[0]), scale(NON_ADVERSE[1])]
    elif difference:
        lows.append(0.0)
    lo, hi = (min(lows), max(lows)) if lows else (0.0, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1

    def x(i: int) -> float:
        return PAD + i * (WIDTH - 2 * PAD) / (len(points) - 1)

    def y(v: float) -> float:
        return HEIGHT - PAD - (scale(v) - lo) * (HEIGHT - 2 * PAD) / (hi - lo)

    parts = []
    if ratio:
        top, bottom = y(NON_ADVERSE[1]), y(NON_ADVERSE[0])
        parts.append(f'<rect x="0" y="{top:.1f}" width="{WIDTH}" height="{bottom - top:.1f}" fill="{BAND}"/>')
    elif difference and lo < 0 < hi:
        parts.append(f'<line x1="0" x2="{WIDTH}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#768692" '
                     f'stroke-width="1" stroke-dasharray="2 2"/>')
    run: list[str] = []
    for i, (_, v) in enumerate(points + [(0, None)]):  # a withheld year breaks the line
        if v is not None and (not ratio or v > 0):
            run.append(f"{x(i):.1f},{y(v):.1f}")
            continue
        if len(run) > 1:
            parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        run = []
    for i, (_, v) in enumerate(points):
        if v is not None and (not ratio or v > 0):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{DOT}"/>')
    words = "; ".join(f"{year}: {'withheld or not available' if v is None else f'{v:.{places}f}'}"
                      for year, v in points)
    alt = escape(f"{label}, {points[0][0]} to {points[-1][0]}. {words}.")
    return (f'<svg class="parity-sparkline" role="img" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>{alt}</title>'
            + "".join(parts) + "</svg>")

"""Which figure a JSON path is, in words every unit's result shares (indicator id, band row, breakdown).

A level link joins the same figure of a unit and its child units (`release._link_levels`), and a
standard link the same total printed by WRES and WDES (`across.link_standards`): both find "the same
figure" in another result by this key, not by position, since two results may list their bands or
breakdowns in a different order or leave one out.
"""

from __future__ import annotations

from typing import Any

from parity.disclosure.system import Path, System


def semantic(doc: dict[str, Any], path: Path) -> tuple | None:
    """The same figure in another unit's result: indicator id, band row label, breakdown name."""
    out: list[Any] = []
    i = 0
    node: Any = doc
    while i < len(path):
        step = path[i]
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if node is None:
                return None
            parent = path[i - 1]
            label = {"indicators": ("id",), "rows": ("band", "clinical"), "breakdowns": ("breakdown",)}.get(parent)
            if label is None:
                return None
            out.append(tuple(node.get(k) for k in label))
        else:
            node = node.get(step) if isinstance(node, dict) else None
            out.append(step)
        i += 1
    return tuple(out)


def _memo(doc: dict[str, Any], path: Path, memo: dict[Path, Any]) -> tuple | None:
    """`semantic`, walking each path prefix once per document (paths share their prefixes)."""
    if path and isinstance(path[0], int):  # `semantic` labels a leading index by the path's last step
        return semantic(doc, path)
    state = _state(doc, path, memo)
    return None if state is None else state[1]


def _state(doc: dict[str, Any], path: Path, memo: dict[Path, Any]) -> tuple[Any, tuple] | None:
    """(node, key so far) at ``path``, or None where `semantic` gives up; the same steps as `semantic`."""
    if not path:
        return doc, ()
    if path in memo:
        return memo[path]
    parent = _state(doc, path[:-1], memo)
    state: tuple[Any, tuple] | None = None
    if parent is not None:
        node, out = parent
        step = path[-1]
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            label = {"indicators": ("id",), "rows": ("band", "clinical"),
                     "breakdowns": ("breakdown",)}.get(path[-2]) if len(path) > 1 else None
            if node is not None and label is not None:
                state = node, out + (tuple(node.get(k) for k in label),)
        else:
            state = (node.get(step) if isinstance(node, dict) else None), out + (step,)
    memo[path] = state
    return state


def semantic_keys(doc: dict[str, Any], part: System) -> list[tuple | None]:
    """`semantic` of each of ``part``'s rows (None for a row with no path), each path prefix walked once."""
    memo: dict[Path, Any] = {}
    return [None if path is None else _memo(doc, path, memo) for path in part.paths]

"""Shared base for the frozen result objects: a JSON-safe ``to_dict``."""

from __future__ import annotations

import dataclasses
import math
from numbers import Integral, Real
from typing import Any

import numpy as np


def json_safe(value: Any) -> Any:
    """Return ``value`` as a plain JSON-safe Python object.

    NumPy scalars become ``int``/``float``/``bool``; a non-finite float (``inf``, ``nan``) becomes
    ``None``, because JSON has no spelling for it and a reader should see "undefined", not a number.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


class Result:
    """Mixin for frozen result dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a JSON-safe dict (floats, ints, bools, strings and ``None``)."""
        return {field.name: json_safe(getattr(self, field.name)) for field in dataclasses.fields(self)}

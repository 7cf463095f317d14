"""Shared fixtures for the parity.stats tests."""

import json
import math

import pytest


def _assert_json_safe(mapping: dict) -> None:
    """Fail if any value is inf/nan, not a plain JSON scalar, or the dict is not strict JSON."""
    json.dumps(mapping, allow_nan=False)
    for key, value in mapping.items():
        assert not (isinstance(value, float) and not math.isfinite(value)), key
        assert value is None or isinstance(value, (bool, int, float, str)), (key, type(value))


@pytest.fixture
def assert_json_safe():
    """The check that a ``to_dict()`` result is strict JSON with no inf or nan."""
    return _assert_json_safe

"""The JSON-safe conversion behind every result's to_dict()."""

import json

import numpy as np

from parity.stats._result import json_safe


def test_json_safe_converts_numpy_scalars_and_non_finite_floats():
    converted = json_safe(
        {"flag": np.True_, "missing": np.float32("nan"), "count": np.int64(3), "big": np.inf}
    )
    assert converted == {"flag": True, "missing": None, "count": 3, "big": None}
    assert type(converted["flag"]) is bool and type(converted["count"]) is int
    json.dumps(converted, allow_nan=False)

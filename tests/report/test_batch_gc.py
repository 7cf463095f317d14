"""`batch_gc`: one-shot commands collect cyclic garbage less often, and put the setting back (issue 19)."""

from __future__ import annotations

import gc

import pytest

from parity.commands.common import BATCH_GC_THRESHOLD, batch_gc


def test_threshold_raised_inside_and_restored_after_even_on_error():
    saved = gc.get_threshold()
    with batch_gc():
        assert gc.get_threshold() == (BATCH_GC_THRESHOLD, saved[1], saved[2])
    assert gc.get_threshold() == saved
    with pytest.raises(RuntimeError), batch_gc():
        raise RuntimeError("boom")
    assert gc.get_threshold() == saved

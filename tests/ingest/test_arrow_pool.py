"""The import reads with Arrow's jemalloc pool, not pyarrow's default mimalloc, unless
ARROW_DEFAULT_MEMORY_POOL chooses one (docs/ingest.md "Speed": mimalloc cost the 1 M-row import
about 2.5 s of system time)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from parity.ingest import readers


@pytest.fixture
def pool():
    before = pa.default_memory_pool()
    yield
    pa.set_memory_pool(before)


def jemalloc_built() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        return False
    return True


def test_reading_switches_mimalloc_to_jemalloc(pool, monkeypatch, tmp_path):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    readers.read_raw(path)
    assert pa.default_memory_pool().backend_name == ("jemalloc" if jemalloc_built() else "mimalloc")


def test_a_pool_chosen_by_the_environment_is_kept(pool, monkeypatch):
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    readers.use_fast_pool()
    assert pa.default_memory_pool().backend_name == "mimalloc"

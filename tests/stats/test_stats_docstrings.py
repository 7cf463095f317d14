"""The examples in the docstrings run and give what they say."""

import doctest
import importlib

import pytest

MODULES = [
    "assessment",
    "bootstrap",
    "certainty",
    "change",
    "multiple_testing",
    "proportions",
    "relative_likelihood",
    "trend",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"parity.stats.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_public_names_are_exported():
    import parity.stats

    assert set(parity.stats.__all__) <= set(dir(parity.stats))
    assert parity.stats.__doc__

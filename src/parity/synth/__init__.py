"""Synthetic NHS trusts: canonical tables with known, injectable inequalities.

`build` returns the canonical tables (workforce, applications, disciplinary, capability, training,
survey_responses, pay, leavers) as pandas DataFrames; `generate` writes them, an ESR-layout
staff-in-post extract, the survey question map and ``ground_truth.json``. With no bias every group
is treated alike; each bias (see `BIASES`, ``docs/synth.md``) sets one relative likelihood or pay
gap exactly in expectation, so tests can check that the indicators recover it.
"""

from parity.synth.api import GenerationResult, build, generate
from parity.synth.bias import BiasError
from parity.synth.config import BIASES, INTERSECTION_GROUPS
from parity.synth.stored import connect, stored_tables

__all__ = ["BIASES", "INTERSECTION_GROUPS", "BiasError", "GenerationResult", "build", "connect", "generate",
           "stored_tables"]

"""What a page or report may show of `evaluate`: protected figures, verdict only when both are published."""

from __future__ import annotations

from parity.actions.protected import protect_entry


def doc(value, ind_id="wres.2"):
    return {"indicators": [{"id": ind_id, "value": value, "ci_low": 0.5, "ci_high": 1.5}]}


def entry(verdict="improved", ref="wres.2"):
    return {"id": 7, "indicator": ref, "verdict": verdict,
            "before": {"year": 2023, "value": 3.0, "ci_low": 2.0, "ci_high": 4.0},
            "latest": {"year": 2025, "value": 1.1, "ci_low": 0.9, "ci_high": 1.3}}


def test_both_published_keeps_the_verdict_and_shows_the_protected_values():
    docs = {("WRES", 2023): doc(2.9), ("WRES", 2025): doc(1.2)}
    out = protect_entry(entry(), lambda s, y: docs.get((s, y)))
    assert out["verdict"] == "improved"
    # the protected documents' values, not evaluate's raw ones (3.0, 1.1)
    assert (out["before"]["value"], out["latest"]["value"]) == (2.9, 1.2)
    assert (out["before"]["year"], out["latest"]["year"]) == (2023, 2025)


def test_a_withheld_year_holds_the_verdict_back():
    for withheld in (None, "withheld"):
        docs = {("WRES", 2023): doc(withheld), ("WRES", 2025): doc(1.2)}
        out = protect_entry(entry("worsened"), lambda s, y, docs=docs: docs.get((s, y)))
        assert out["verdict"] == "withheld" and out["before"] is None and out["latest"]["value"] == 1.2


def test_a_year_missing_from_the_release_holds_the_verdict_back():
    out = protect_entry(entry("no_clear_change"), lambda s, y: {("WRES", 2025): doc(1.2)}.get((s, y)))
    assert out["verdict"] == "withheld"


def test_explorer_cells_show_no_figures():
    out = protect_entry(entry("improved", "explore:disciplinary:ethnicity=Black"), lambda s, y: doc(1.0))
    assert out["verdict"] == "withheld" and out["before"] is None and out["latest"] is None


def test_verdicts_without_figures_pass_through():
    for verdict in ("too_early", "no_baseline"):
        e = {**entry(verdict), "before": None, "latest": None}
        assert protect_entry(e, lambda s, y: None)["verdict"] == verdict

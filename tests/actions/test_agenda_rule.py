"""The meeting agenda's explorer lines are protected with the agenda's own disclosure rule — the
dashboard's (`Results.rule`) on the web — not the default: two rules over one scan would publish
two suppression patterns of the same cells (found by engineer xstd, session 26)."""

from __future__ import annotations

from parity.disclosure.rules import DisclosureRule


def test_the_agenda_protects_the_scan_with_its_rule(monkeypatch):
    import parity.disclosure.explore as protect_module
    import parity.explore.api as explore_api
    from parity.actions.agenda import _explorer

    seen = []

    class Scan:
        def to_dict(self):
            return {"kind": "scan", "findings": [], "not_tested": []}

    monkeypatch.setattr(explore_api, "explore", lambda *a, **k: Scan())
    monkeypatch.setattr(protect_module, "protect_explore",
                        lambda result, rule=None, **k: seen.append(rule) or {"findings": []})
    rule = DisclosureRule(k=7)
    assert _explorer("unused", "RXX", 2025, None, rule=rule) == []
    assert seen and all(r == rule for r in seen), seen

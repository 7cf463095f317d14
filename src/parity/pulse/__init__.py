"""Anonymous pulse surveys (issue 16): definitions, single-use codes, stored answers and
threshold-protected results. See docs/pulse.md.

- `parity.pulse.survey` — `Survey`, `Question`, the survey YAML file;
- `parity.pulse.bank` — the question bank, answer options and "about you" attributes;
- `parity.pulse.store` — `PulseStore` over ``pulse.sqlite`` in the workspace;
- `parity.pulse.results` — the published results and free text.
"""

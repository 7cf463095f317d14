"""Plain words for the upload pages: human table names, column layouts, and problem messages
without command-line flags or YAML (issue 14: "for people who are not analysts").

The validation messages are the CLI's own (`parity.ingest`), which name flags such as ``--preset``
and the mapping file's ``values:`` section. The web shows the same problem, with the sentences that
point at the command line replaced by what to do on the page.
"""

from __future__ import annotations

import re

#: canonical table → the name people know it by (the canonical name stays the form's value)
TABLE_NAMES = {
    "workforce": "Staff in post (ESR)",
    "applications": "Recruitment: applications and appointments",
    "disciplinary": "Formal disciplinary cases",
    "capability": "Capability cases (performance)",
    "training": "Non-mandatory training and CPD",
    "survey_responses": "NHS Staff Survey: individual responses",
    "survey_results": "NHS Staff Survey: published results",
    "pay": "Pay (for the pay gap reports)",
    "leavers": "Leavers",
}

#: a sentence that points at the command line or a mapping file
CLI_SIGNS = re.compile(r"--[a-z]|\.ya?ml\b|\byaml\b|\bparity [a-z]|mapping file|\bmap it under\b|values:|"
                       r"\bcolumns: \{", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")

#: problem code → what to do on the web instead of the CLI advice removed from its message
WEB_HINTS = {
    "missing_columns": "Rename the columns in the file, or choose the column layout that matches your extract.",
    "wrong_table": "Check the table you chose on the upload page.",
    "mapping_table_mismatch": "Choose the table the mapping file was written for.",
    "unknown_code": "Choose what it means under “Values we do not recognise”, or correct it in the file.",
    "unknown_ethnicity": "Choose what it means under “Values we do not recognise”, or correct it in the file.",
    "unknown_sheet": "Make the sheet you want the one the workbook opens on, save it, and upload it again.",
    "sheet_read": "To read another sheet, make it the one the workbook opens on and upload the file again.",
    "preset_detected": "If that is wrong, choose another column layout on the upload page.",
    "outside_year": "Check the reporting year of the file.",
    "bad_mapping": "Upload the file without a mapping file, or ask an analyst to correct the mapping file.",
    "ambiguous_number": "Write the numbers the same way throughout the file.",
}
DEFAULT_HINT = "Correct it in the file and upload it again."


#: canonical column → the words on the page (others: underscores become spaces)
COLUMN_NAMES = {"org_code": "organisation code", "person_id": "employee number", "ethnic_category": "ethnicity",
                "sex": "sex", "pay_band": "pay band", "staff_group": "staff group", "fte": "FTE",
                "assignment_category": "assignment category", "board_role": "board role"}


def column_label(column: str | None) -> str:
    if not column:
        return ""
    return ", ".join(COLUMN_NAMES.get(c.strip(), c.strip().replace("_", " ")) for c in column.split(","))


def indicator_code(indicator_id: str) -> str:
    """An indicator's number as the guidance writes it: "wres.2" → "WRES 2", "wdes.4a.i" → "WDES 4a(i)"."""
    standard, _, rest = indicator_id.partition(".")
    number, _, part = rest.partition(".")
    return f"{standard.upper()} {number}{f'({part})' if part else ''}".strip()


def reference_label(ref: str) -> str:
    """An action's indicator in words: ``WRES.2``, or an explorer cell as "Respondents who report
    harassment, bullying or abuse from staff: ethnicity Black" (never the outcome's code name)."""
    if not ref.startswith("explore:"):
        return ref.upper()
    from parity.actions.model import parse_cell
    from parity.explore.outcomes import OUTCOMES

    try:
        name, group = parse_cell(ref)
    except ValueError:
        return ref
    known = OUTCOMES.get(name)
    what = f"{known.noun.capitalize()} who {known.label}" if known else name.replace("_", " ").capitalize()
    return f"{what}: " + ", ".join(f"{column_label(a)} {v}" for a, v in group.items())


def band_label(band) -> str:
    """A pay band as people write it: "Career grade", "Consultant", "8a", "VSM" (never "career_grade")."""
    text = str(band)
    if "_" in text or (text.isalpha() and text.islower()):
        return text.replace("_", " ").capitalize()
    return text


def table_name(table: str) -> str:
    return TABLE_NAMES.get(table, table.replace("_", " ").capitalize())


def preset_name(preset: str | None) -> str:
    """A preset's description ("ESR staff in post extract, one row per assignment"), else its name."""
    if not preset:
        return ""
    from parity.ingest import load_preset

    try:
        description = load_preset(preset).description
    except (KeyError, ValueError, OSError):
        return preset
    return description[:1].upper() + description[1:] if description else preset


def message(text: str | None, code: str | None = None) -> str:
    """`text` without its command-line sentences; the web's own advice takes their place."""
    if not text:
        return ""
    sentences = _SENTENCE.split(text.strip())
    if not any(CLI_SIGNS.search(s) for s in sentences):
        return text
    kept = []
    for sentence in sentences:
        if CLI_SIGNS.search(sentence):  # keep what the sentence says is wrong, not its CLI advice
            sentence = _strip_clause(sentence)
        if not CLI_SIGNS.search(sentence):
            kept.append(sentence)
    hint = WEB_HINTS.get(code or "", DEFAULT_HINT)
    return " ".join([*kept, hint]).strip()


def _strip_clause(sentence: str) -> str:
    """Drop a "; map it under values: ..." / "(or use --flag ...)" clause from a sentence we keep."""
    sentence = re.sub(r"\s*\((?:or )?[^()]*(?:--[a-z]|values:)[^()]*\)", "", sentence)
    sentence = re.split(r";\s*(?=[^;]*(?:--[a-z]|values:|mapping file|\.ya?ml))", sentence)[0]
    sentence = sentence.rstrip(" ;,")
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def web_report(report: dict) -> dict:
    """A validation report's problems with web wording (a copy; the stored report is the CLI's)."""
    out = dict(report)
    out["problems"] = [{**p, "message": message(p.get("message"), p.get("code"))}
                       for p in report.get("problems", [])]
    return out

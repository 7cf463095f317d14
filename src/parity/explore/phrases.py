"""Plain-English names for cells: ``{"ethnicity": "Black", "sex": "female", "band": "5-6"}`` →
"Black women in bands 5-6", and their references ("White men in the same bands")."""

from __future__ import annotations

from parity.explore.attributes import attribute

#: ethnicity values read as an adjective before the noun; the others as a phrase after it
ETHNICITY_AFTER = {"Mixed": "of mixed ethnicity", "Other": "of other ethnic groups", "Unknown": "of unknown ethnicity"}
DISABILITY_WORD = {"Disabled": "Disabled", "Non-disabled": "non-disabled", "Unknown": "undeclared-disability"}
SEX_NOUN = {"female": "women", "male": "men"}


def _band(value: str) -> str:
    if value.startswith("Medical: "):
        return f"in the medical grade group {value.removeprefix('Medical: ')}"
    return f"in bands {value}" if "-" in value else f"in band {value}"


def _after(name: str, value: str) -> str:
    a = attribute(name)
    if name == "band":
        return _band(value)
    if name == "staff_group":
        return f"in the {value} staff group"
    return a.phrase.format(value)


def describe(values: dict[str, str], noun: str = "staff", *, same: tuple[str, ...] = ()) -> str:
    """Name a group of people; attributes in `same` are phrased as "in the same ..."."""
    before, after = [], []
    eth = values.get("ethnicity", values.get("ethnicity_wres"))
    if eth is not None:
        (after if eth in ETHNICITY_AFTER else before).append(ETHNICITY_AFTER.get(eth, eth))
    if "disability" in values:
        before.append(DISABILITY_WORD.get(values["disability"], values["disability"]))
    sex = values.get("sex")
    if sex in SEX_NOUN:
        head = SEX_NOUN[sex] if noun == "staff" else f"{SEX_NOUN[sex]} {noun}"
    elif sex is not None:
        head = f"{noun} whose recorded sex is {sex}"
    else:
        head = noun
    for name, value in values.items():
        if name in ("ethnicity", "ethnicity_wres", "disability", "sex"):
            continue
        after.append(attribute(name).same if name in same else _after(name, value))
    return " ".join([*before, head, *after])


def reference_values(values: dict[str, str], reference: dict[str, str]) -> dict[str, str]:
    """The reference cell of `values`: reference attributes set to their reference values."""
    return {k: reference.get(k, v) for k, v in values.items()}


def describe_reference(values: dict[str, str], reference: dict[str, str] | str, noun: str) -> str:
    if reference == "rest":
        return f"all other {noun}"
    same = tuple(k for k in values if k not in reference)
    return describe(reference_values(values, reference), noun, same=same)


def fmt_p(p: float | None) -> str:
    if p is None or p != p:
        return "not available"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def fmt_ratio(x: float | None) -> str:
    return "undefined" if x is None or x != x else f"{x:.2f}"

"""The PDF's stylesheet cut to the rules that can apply to the report (issue 19).

The vendored NHS.UK stylesheet has about 2,200 rules; the report uses a few dozen of its classes.
WeasyPrint parses every rule and tests every selector against every element, so the PDF is
laid out with only the rules whose selectors could match: a selector needing a class that no
element of the document has can never match, and dropping its rule changes nothing. Anything the
cut cannot judge safely is kept (selectors with escapes, or classes inside ``:not()``/``:is()``),
and at-rules keep their own structure (``@media`` blocks are cut inside, others kept whole).
Custom properties no ``var()`` reads are dropped too: the stylesheet declares about 80 on ``:root``,
and WeasyPrint carries every inherited custom property through every element.
"""

from __future__ import annotations

import re

_CLASS_ATTR = re.compile(r'(?<![\w-])class="([^"]*)"')
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_FUNCTIONAL = re.compile(r"\([^()]*\)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
#: a custom property declaration in a minified block: after "{" or ";", up to ";" or the block's end
_CUSTOM = re.compile(r"(?<=[{;])\s*(--[\w-]+)\s*:[^;{}]*(?:;|(?=}))")


def lean(css: str, html: str) -> str:
    """`css` cut to what can apply to the document `html`: its rules, then its custom properties."""
    kept = cut(css, document_classes(html))
    used = set(_VAR.findall(kept)) | set(_VAR.findall(html))
    while True:  # a used property's value may read others
        more = {name for m in _CUSTOM.finditer(kept) if m.group(1) in used for name in _VAR.findall(m.group(0))}
        if more <= used:
            break
        used |= more
    return _CUSTOM.sub(lambda m: m.group(0) if m.group(1) in used else "", kept)


def document_classes(html: str) -> set[str]:
    return {name for value in _CLASS_ATTR.findall(html) for name in value.split()}


def can_match(selector: str, classes: set[str]) -> bool:
    """False only when `selector` needs a class the document does not have anywhere."""
    if "\\" in selector:
        return True
    plain = selector
    while "(" in plain:  # what is inside :not(), :is(), :nth-child() … never makes a class required
        stripped = _FUNCTIONAL.sub("", plain)
        if stripped == plain:
            return True
        plain = stripped
    return all(name in classes for name in _CLASS.findall(plain))


def cut(css: str, classes: set[str]) -> str:
    """`css` without the rules none of whose selectors can match; the full text if it cannot be read."""
    text = _COMMENT.sub("", css)  # a comment's text ("see README.md") is no selector
    try:
        out, _ = _block(text, 0, classes, nested=False)
    except ValueError:
        return css
    return out


def _block(css: str, pos: int, classes: set[str], *, nested: bool = True) -> tuple[str, int]:
    """Rules from `pos` up to the closing brace of the enclosing block (or the end); the kept text
    and the position after that brace."""
    kept: list[str] = []
    n = len(css)
    while pos < n:
        opening = css.find("{", pos)
        closing = css.find("}", pos)
        if closing != -1 and (opening == -1 or closing < opening):
            if css[pos:closing].strip() or not nested:  # declarations straight in a block, or a stray brace
                raise ValueError("unexpected text")
            return "".join(kept), closing + 1
        if opening == -1:
            if css[pos:].strip() or nested:
                raise ValueError("text after the last rule, or an unclosed block")
            return "".join(kept), n
        prelude = css[pos:opening]
        head = prelude.strip()
        if head.startswith("@"):
            if head.startswith("@media") or head.startswith("@supports"):
                inner, pos = _block(css, opening + 1, classes)
                if inner:
                    kept.append(f"{prelude}{{{inner}}}")
                continue
            end = _matching(css, opening)
            kept.append(css[pos:end])
            pos = end
            continue
        end = css.find("}", opening)
        if end == -1 or "{" in css[opening + 1:end]:
            raise ValueError("nested block in a style rule")
        selectors = [s for s in _selectors(prelude) if can_match(s, classes)]
        if selectors:
            kept.append(",".join(selectors) + css[opening:end + 1])
        pos = end + 1
    return "".join(kept), pos


def _selectors(prelude: str) -> list[str]:
    """The selector list split at its top-level commas (not those inside ``:is(a, b)`` or quotes)."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(prelude):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return parts


def _matching(css: str, opening: int) -> int:
    depth = 0
    for i in range(opening, len(css)):
        if css[i] == "{":
            depth += 1
        elif css[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced braces")

"""Declared fields: one description serves config forms and payload validation.

An exercise declares its config and each action's payload as a list of
``Field``. The core generates the facilitator's config form from them and
validates every inbound payload against them before the exercise sees it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

MAX_TEXT = 2000
MAX_LIST = 200


class ValidationError(ValueError):
    """A payload or config that does not match its declared fields."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class Field:
    """One declared value.

    kind: ``text`` (one line), ``textarea``, ``int``, ``bool``, ``choice``
    (one of ``choices``), ``lines`` (a list of short texts, one per line in
    forms), ``ints`` (a list of integers), ``id`` (a client-generated id),
    ``json`` (free structure, size-limited; for exercises with their own checks).
    """

    name: str
    kind: str = "text"
    label: Any = ""
    default: Any = None
    required: bool = False
    choices: tuple = ()
    min: int | None = None
    max: int | None = None
    max_length: int = 200
    help: Any = ""
    extra: dict = field(default_factory=dict)

    def choice_items(self):
        """(value, label) pairs for a choice field."""
        return [c if isinstance(c, tuple) else (c, c) for c in self.choices]


# SQLite stores integers in 64 bits: anything outside is refused before it reaches a query.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

# Terminal escape sequences (CSI, OSC, DCS/SOS/PM/APC, two-character escapes, 8-bit CSI),
# removed whole: removing ESC alone would leave "[31m" in the text.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                      r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|\x9b[0-?]*[ -/]*[@-~]?")
# Tag characters hide text from readers; they are kept only inside an emoji flag (🏴 + tags + cancel tag).
_TAGS = re.compile("(\U0001F3F4[\U000E0020-\U000E007E]{1,32}\U000E007F)|[\U000E0000-\U000E007F]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# Format characters that reorder or hide text: bidi embeddings, overrides and isolates (display
# isolates user text itself, with dir="auto" and <bdi>), deprecated format controls, the BOM,
# interlinear annotations. Marks (LRM, RLM, ALM) and joiners (ZWJ, ZWNJ) stay: scripts need them.
_DROPPED = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x2070), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB])


def _kept(c: str, multiline: bool) -> bool:
    code = ord(c)
    if c == "\t" or (c == "\n" and multiline):
        return True
    if code in _DROPPED or (0xFDD0 <= code <= 0xFDEF) or (code & 0xFFFE) == 0xFFFE:
        return False
    return unicodedata.category(c) not in ("Cc", "Cs")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """The one rule for every piece of user text, on every path (forms, live actions, imports).

    Removes control characters (C0 and C1, terminal escape sequences whole, BEL, BS, NUL), lone
    surrogates, noncharacters, tag characters, bidi embeddings/overrides/isolates and the BOM;
    line breaks (CR, LF, CRLF, U+2028, U+2029, NEL) become one ``\\n`` when ``multiline``, a space
    otherwise; tabs become spaces unless ``multiline``. Strips the ends. Text with nothing visible
    left (only spaces, zero-width characters, marks) is empty. Right-to-left text is kept as typed.
    """
    value = _ESCAPES.sub("", value)
    value = _TAGS.sub(lambda m: m.group(1) or "", value)
    value = _LINE_BREAKS.sub("\n" if multiline else " ", value)
    if not multiline:
        value = value.replace("\t", " ")
    out = "".join(c for c in value if _kept(c, multiline)).strip()
    return out if any(unicodedata.category(c)[0] not in "CZ" for c in out) else ""


def parse_int(value: Any, *, min: int = INT_MIN, max: int = INT_MAX) -> int | None:
    """One parse of integers from forms, URLs and payloads: an ``int`` (not a bool) or a text of
    ASCII digits with an optional minus, within ``min``..``max`` (SQLite's 64 bits by default);
    ``None`` for anything else ("²", "1e3", "0x10", 2**63)."""
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        if not (0 < len(digits) <= 20 and digits.isascii() and digits.isdigit()):
            return None
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if min <= value <= max else None


def _clean_text(value: Any, f: Field) -> str:
    if not isinstance(value, str):
        raise ValueError(_l("must be text"))
    value = clean_text(value, multiline=f.kind == "textarea")
    limit = f.max_length or MAX_TEXT
    if len(value) > limit:
        raise ValueError(_l("is longer than %(n)d characters", n=limit))
    return value


def _clean_int(value: Any, f: Field) -> int:
    number = parse_int(value)
    if number is None:
        raise ValueError(_l("must be a whole number"))
    if f.min is not None and number < f.min:
        raise ValueError(_l("must be at least %(n)d", n=f.min))
    if f.max is not None and number > f.max:
        raise ValueError(_l("must be at most %(n)d", n=f.max))
    return number


def _clean_lines(value: Any, f: Field) -> list[str]:
    if isinstance(value, str):
        value = [line for line in value.splitlines()]
    if not isinstance(value, list):
        raise ValueError(_l("must be a list of texts"))
    out = [_clean_text(v, f) for v in value]
    out = [v for v in out if v]
    limit = f.max if f.max is not None else MAX_LIST
    if len(out) > limit:
        raise ValueError(_l("has more than %(n)d entries", n=limit))
    if f.min is not None and len(out) < f.min:
        raise ValueError(_l("needs at least %(n)d entries", n=f.min))
    return out


def _clean_ints(value: Any, f: Field) -> list[int]:
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise ValueError(_l("must be a list of whole numbers"))
    bounded = Field(f.name, "int", min=f.min, max=f.max)
    out = [_clean_int(v, bounded) for v in value]
    if len(set(out)) != len(out):
        raise ValueError(_l("has repeated entries"))
    return out


def _clean_id(value: Any, f: Field) -> str:
    if not isinstance(value, str) or not (1 <= len(value) <= 64):
        raise ValueError(_l("must be an identifier"))
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise ValueError(_l("must be an identifier"))
    return value


def _clean_bool(value: Any, f: Field) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("on", "true", "1", 1):
        return True
    if value in ("", "off", "false", "0", 0, None):
        return False
    raise ValueError(_l("must be yes or no"))


def _clean_choice(value: Any, f: Field) -> Any:
    allowed = [v for v, _ in f.choice_items()]
    if value not in allowed:
        raise ValueError(_l("is not one of the allowed values"))
    return value


def _clean_json(value: Any, f: Field) -> Any:
    _check_depth(value, 0)
    return value


def _check_depth(value: Any, depth: int) -> None:
    if depth > 8:
        raise ValueError(_l("is nested too deeply"))
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(_l("has a non-text key"))
            _check_depth(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_depth(v, depth + 1)
    elif not (value is None or isinstance(value, (str, int, float, bool))):
        raise ValueError(_l("has an unsupported value"))


CLEANERS = {
    "text": _clean_text,
    "textarea": _clean_text,
    "int": _clean_int,
    "bool": _clean_bool,
    "choice": _clean_choice,
    "lines": _clean_lines,
    "ints": _clean_ints,
    "id": _clean_id,
    "json": _clean_json,
}


def validate(fields: list[Field], data: Any, *, partial_defaults: bool = True) -> dict:
    """Return the cleaned values of ``data`` or raise ``ValidationError``.

    Unknown keys are refused, missing required ones too; missing optional
    ones take their default.
    """
    if not isinstance(data, dict):
        raise ValidationError({"_": str(_l("must be an object"))})
    known = {f.name: f for f in fields}
    errors: dict[str, str] = {}
    for key in data:
        if key not in known:
            errors[str(key)[:40]] = str(_l("is not an expected field"))
    cleaned: dict[str, Any] = {}
    for f in fields:
        if f.name not in data or data[f.name] is None:
            if f.required:
                errors[f.name] = str(_l("is required"))
            elif partial_defaults:
                cleaned[f.name] = f.default
            continue
        try:
            cleaned[f.name] = CLEANERS[f.kind](data[f.name], f)
        except ValueError as exc:
            errors[f.name] = str(exc.args[0] if exc.args else exc)
        else:
            if f.required and cleaned[f.name] in ("", []):
                errors[f.name] = str(_l("is required"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def defaults(fields: list[Field]) -> dict:
    """Each field's default; a translated default (``lazy_gettext``, alone or in the list of a
    ``lines`` field) in the language of now."""
    def now(value):
        if isinstance(value, LazyString):
            return str(value)
        if isinstance(value, (list, tuple)):
            return [now(v) for v in value]
        return value
    return {f.name: now(f.default) for f in fields}


def from_form(fields: list[Field], form) -> dict:
    """Values of a submitted HTML form, typed for ``validate``."""
    out = {}
    for f in fields:
        if f.kind == "bool":
            out[f.name] = f.name in form
        elif f.name in form:
            out[f.name] = form.get(f.name)
    return out

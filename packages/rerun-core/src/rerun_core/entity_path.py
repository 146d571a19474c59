"""Entity paths: parsing, canonical escaping and ordering, matching Rerun 0.41.

An entity path is a sequence of non-empty, *unescaped* parts.  Its canonical text form is
``/part/part`` where each part is escaped so that the text parses back to the same parts.
Every rule here was established by experiment against the reference SDK; the comments record
the observed behaviour (including its quirks) so that nobody "fixes" them by accident.
"""

from __future__ import annotations

import string
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Final

from rerun_core._unicode_tables import ALNUM, DEBUG_FORCE_ESCAPE, DEBUG_FORCE_RAW, in_ranges

__all__ = [
    "RECORDING_PROPERTIES_PATH",
    "EntityPath",
    "EntityPathWarning",
    "dataframe_column_name",
    "escape_entity_path_part",
    "new_entity_path",
]

RECORDING_PROPERTIES_PATH: Final = "/__properties"
"""Reserved entity that holds recording properties."""

_PROPERTIES_PART: Final = "__properties"
_RESERVED_PREFIX: Final = "__"


class EntityPathWarning(UserWarning):
    """A path was accepted but reinterpreted (the reference logs a WARN in the same situations)."""


# --------------------------------------------------------------------------------------------------
# Character classes


# Rust's ``char::is_whitespace`` (the Unicode White_Space property); unescaped, these warn.
_WHITESPACE: Final = frozenset(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
)
_ASCII_PUNCTUATION: Final = frozenset(string.punctuation)
# ``\`` followed by one of these yields the character itself, silently.
_LITERAL_ESCAPES: Final = _ASCII_PUNCTUATION | {" "}
_CONTROL_ESCAPES: Final = {"n": "\n", "r": "\r", "t": "\t"}
_CONTROL_NAMES: Final = {value: key for key, value in _CONTROL_ESCAPES.items()}
_HEX_DIGITS: Final = frozenset(string.hexdigits)
# A ``\u`` escape looks at most this many UTF-8 bytes past the ``u``.
_UNICODE_ESCAPE_WINDOW_BYTES: Final = 8


def _is_alphanumeric(ch: str) -> bool:
    """Whether the reference keeps ``ch`` unescaped as a letter/digit."""
    if ch.isascii():
        return ch.isalnum()
    code = ord(ch)
    return in_ranges(code, ALNUM)


@lru_cache(maxsize=4096)
def _escape_char(ch: str) -> str:
    """Canonical escaped form of one character of an unescaped part."""
    if _is_alphanumeric(ch) or ch in "-._":
        return ch
    if ch in _CONTROL_NAMES:
        return "\\" + _CONTROL_NAMES[ch]
    if ch in _ASCII_PUNCTUATION or ch == " ":
        return "\\" + ch
    return f"\\u{{{ord(ch):04X}}}"


# --------------------------------------------------------------------------------------------------
# Public escaping helpers (mirror ``rr.escape_entity_path_part`` / ``rr.new_entity_path``)


def _require_str(value: object, argument: str) -> str:
    """Reject non-strings and surrogates with the same exception types as the reference binding."""
    if not isinstance(value, str):
        what = "'None'" if value is None else f"'{type(value).__name__}' object"
        raise TypeError(f"argument '{argument}': {what} is not an instance of 'str'")
    value.encode("utf-8")  # lone surrogates raise UnicodeEncodeError, as in the reference
    return value


def escape_entity_path_part(part: str) -> str:
    """Escape one unescaped part so it can be embedded in an entity path string."""
    return "".join(map(_escape_char, _require_str(part, "part")))


def new_entity_path(parts: Iterable[object]) -> str:
    """Build an escaped entity path string from unescaped parts; non-strings go through ``str()``."""
    return "/" + "/".join(escape_entity_path_part(str(part)) for part in parts)


# --------------------------------------------------------------------------------------------------
# Parsing


def _split_raw(text: str) -> list[str]:
    """Split on ``/`` unless the slash directly follows a backslash; drop empty pieces.

    The reference looks only at the previous character, so even ``a\\\\/b`` (an escaped
    backslash, then a slash) stays a single part.
    """
    pieces: list[str] = []
    start = 0
    for index, ch in enumerate(text):
        if ch == "/" and (index == 0 or text[index - 1] != "\\"):
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


def _utf8_len(ch: str) -> int:
    code = ord(ch)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def _take_unicode_window(raw: str, index: int) -> int:
    """End index of the text a ``\\u`` escape consumes, starting right after the ``u``.

    Characters are taken while fewer than 8 UTF-8 bytes have been taken, stopping after a ``}``.
    """
    taken = 0
    while index < len(raw) and taken < _UNICODE_ESCAPE_WINDOW_BYTES:
        ch = raw[index]
        index += 1
        taken += _utf8_len(ch)
        if ch == "}":
            break
    return index


def _decode_unicode_window(window: str) -> str | None:
    """``{hex}`` naming a valid scalar value -> that character; anything else -> None."""
    digits = window[1:-1]
    if len(window) < 3 or window[0] != "{" or window[-1] != "}" or not set(digits) <= _HEX_DIGITS:
        return None
    code = int(digits, 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _unescape_part(raw: str) -> tuple[str, str | None]:
    """Unescape one raw part; also return the first problem found (the reference reports one)."""
    out: list[str] = []
    problem: str | None = None
    index = 0
    while index < len(raw):
        ch = raw[index]
        index += 1
        if ch != "\\" or index == len(raw):  # a lone trailing backslash is kept literally
            if ch in _WHITESPACE and problem is None:
                problem = "Unescaped whitespace"
            out.append(ch)
            continue
        ch = raw[index]
        index += 1
        if ch == "u":
            # A failed ``\u`` escape keeps the backslash and copies its window verbatim: no
            # escapes are processed and no whitespace is reported inside it.
            end = _take_unicode_window(raw, index)
            window = raw[index:end]
            index = end
            decoded = _decode_unicode_window(window)
            out.append("\\u" + window if decoded is None else decoded)
        elif ch in _CONTROL_ESCAPES:
            out.append(_CONTROL_ESCAPES[ch])
        else:
            if ch not in _LITERAL_ESCAPES and problem is None:
                problem = f"Unknown escape sequence: '\\{ch}'"
            out.append(ch)
    return "".join(out), problem


# --------------------------------------------------------------------------------------------------
# Rust ``{:?}`` formatting of the input, used in warning messages

_DEBUG_ESCAPES: Final = {"\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\", '"': '\\"'}


def _debug_escape_needed(ch: str) -> bool:
    """Approximates Rust's rule (not printable, or grapheme-extending) with Python's Unicode data.

    Code points unassigned in Python's (older) database count as printable when the reference
    treats them as letters; other new symbols may differ, which only affects warning text.
    """
    code = ord(ch)
    if code in DEBUG_FORCE_RAW:
        return False
    if in_ranges(code, DEBUG_FORCE_ESCAPE):
        return True
    category = unicodedata.category(ch)
    if category == "Cn" and _is_alphanumeric(ch):
        return False
    return not ch.isprintable() or category in ("Mn", "Me")


# The reference's log output neutralises terminal control characters in messages (this only
# matters for the raw character quoted in "Unknown escape sequence").
_TERMINAL_ESCAPES: Final = {
    **{chr(code): f"\\x{code:02x}" for code in (0x07, 0x08, 0x0C, 0x1B, 0x7F)},
    **{chr(code): f"\\u{{{code:x}}}" for code in range(0x80, 0xA0)},
}


def _terminal_safe(message: str) -> str:
    return "".join(_TERMINAL_ESCAPES.get(ch, ch) for ch in message)


def _rust_debug_str(text: str) -> str:
    """Quote ``text`` the way Rust's ``Debug`` for ``str`` does."""
    out = ['"']
    for ch in text:
        if ch in _DEBUG_ESCAPES:
            out.append(_DEBUG_ESCAPES[ch])
        elif _debug_escape_needed(ch):
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Natural ordering of parts


def _char_cmp(a: str, b: str) -> int:
    """ASCII-case-insensitive, then case-sensitive: ``A < a < B < b``."""
    la, lb = a.lower() if a.isascii() else a, b.lower() if b.isascii() else b
    if la != lb:
        return -1 if la < lb else 1
    return 0 if a == b else (-1 if a < b else 1)


def _is_digit(text: str, index: int) -> bool:
    return index < len(text) and "0" <= text[index] <= "9"


def _cmp_fraction(a: str, b: str, i: int, j: int) -> tuple[int, int, int]:
    """Digit runs starting with ``0`` compare digit by digit, like decimal fractions."""
    while True:
        da, db = _is_digit(a, i), _is_digit(b, j)
        if not (da and db):
            return (0 if da == db else 1 if da else -1), i, j
        if a[i] != b[j]:
            return (-1 if a[i] < b[j] else 1), i, j
        i += 1
        j += 1


def _cmp_integer(a: str, b: str, i: int, j: int) -> tuple[int, int, int]:
    """Other digit runs compare by length first, then by their first differing digit."""
    bias = 0
    while True:
        da, db = _is_digit(a, i), _is_digit(b, j)
        if not (da and db):
            return (bias if da == db else 1 if da else -1), i, j
        if bias == 0 and a[i] != b[j]:
            bias = -1 if a[i] < b[j] else 1
        i += 1
        j += 1


def _natural_cmp(a: str, b: str) -> int:
    """Natural ordering so that ``image2 < image10`` (digit runs compared as numbers)."""
    i = j = 0
    while True:
        if i >= len(a) or j >= len(b):
            return (i < len(a)) - (j < len(b))
        if _is_digit(a, i) and _is_digit(b, j):
            compare = _cmp_fraction if a[i] == "0" or b[j] == "0" else _cmp_integer
            result, i, j = compare(a, b, i, j)
        else:
            result = _char_cmp(a[i], b[j])
            i += 1
            j += 1
        if result:
            return result


def _parts_cmp(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Part by part; a proper prefix sorts first."""
    for part_a, part_b in zip(a, b, strict=False):
        result = _natural_cmp(part_a, part_b)
        if result:
            return result
    return (len(a) > len(b)) - (len(a) < len(b))


# --------------------------------------------------------------------------------------------------
# EntityPath


class EntityPath:
    """An immutable entity path made of unescaped, non-empty parts."""

    __slots__ = ("_hash", "_parts")

    _parts: tuple[str, ...]
    _hash: int

    def __init__(self, parts: Iterable[str] = ()) -> None:
        if isinstance(parts, str):
            raise TypeError("EntityPath() takes an iterable of parts; use EntityPath.parse() for path text")
        checked = tuple(parts)
        for part in checked:
            if not isinstance(part, str):
                raise TypeError(f"entity path parts must be str, got {type(part).__name__}")
            if not part:
                raise ValueError("entity path parts must be non-empty")
            part.encode("utf-8")  # no lone surrogates: the reference only holds valid UTF-8
        object.__setattr__(self, "_parts", checked)
        object.__setattr__(self, "_hash", hash(checked))

    # -- construction ------------------------------------------------------------------------------

    @classmethod
    def root(cls) -> EntityPath:
        """The root path ``/`` (no parts)."""
        return cls(())

    @classmethod
    def parse(cls, text: str) -> EntityPath:
        """Parse escaped path text forgivingly, warning (like the reference) when reinterpreting."""
        _require_str(text, "entity_path")
        parts: list[str] = []
        problem: str | None = None
        for raw in _split_raw(text):
            part, part_problem = _unescape_part(raw)
            parts.append(part)
            problem = problem or part_problem
        path = cls(parts)
        if problem is not None:
            message = (
                f"When parsing the entity path {_rust_debug_str(text)}: {problem}. "
                f"The path will be interpreted as {path}"
            )
            warnings.warn(_terminal_safe(message), EntityPathWarning, stacklevel=2)
        return path

    @classmethod
    def from_parts(cls, parts: Iterable[object]) -> EntityPath:
        """What logging to a list of parts yields: ``parse(new_entity_path(parts))``.

        Empty parts disappear, and (a reference quirk) a part ending in a backslash merges with
        the next part.  Use ``EntityPath(parts)`` to keep the parts exactly as given.
        """
        return cls.parse(new_entity_path(parts))

    # -- accessors ---------------------------------------------------------------------------------

    @property
    def parts(self) -> tuple[str, ...]:
        """The unescaped parts."""
        return self._parts

    @property
    def is_root(self) -> bool:
        return not self._parts

    @property
    def is_reserved(self) -> bool:
        """Whether the first part starts with ``__`` (reserved/hidden namespace)."""
        return bool(self._parts) and self._parts[0].startswith(_RESERVED_PREFIX)

    def parent(self) -> EntityPath | None:
        """The path without its last part; ``None`` for the root."""
        return EntityPath(self._parts[:-1]) if self._parts else None

    def join(self, other: EntityPath | str) -> EntityPath:
        """Append another path's parts, or one *unescaped* part given as ``str``.

        A string is never split on ``/`` here: use ``EntityPath.parse`` for escaped path text.
        """
        if isinstance(other, EntityPath):
            return EntityPath(self._parts + other._parts)
        if isinstance(other, str):
            return EntityPath((*self._parts, other))
        raise TypeError(f"cannot join an entity path with {type(other).__name__}")

    def __truediv__(self, other: EntityPath | str) -> EntityPath:
        if not isinstance(other, (EntityPath, str)):
            return NotImplemented
        return self.join(other)

    def starts_with(self, prefix: EntityPath) -> bool:
        """Equal to, or a descendant of, ``prefix``."""
        return self._parts[: len(prefix._parts)] == prefix._parts

    def is_descendant_of(self, other: EntityPath) -> bool:
        """A strict descendant of ``other``."""
        return len(self._parts) > len(other._parts) and self.starts_with(other)

    def is_child_of(self, other: EntityPath) -> bool:
        """A direct child of ``other``."""
        return len(self._parts) == len(other._parts) + 1 and self.starts_with(other)

    def __iter__(self) -> Iterator[str]:
        return iter(self._parts)

    # -- value semantics ---------------------------------------------------------------------------

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("EntityPath is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("EntityPath is immutable")

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EntityPath):
            return NotImplemented
        return self._hash == other._hash and self._parts == other._parts

    def __lt__(self, other: EntityPath) -> bool:
        if not isinstance(other, EntityPath):
            return NotImplemented
        return _parts_cmp(self._parts, other._parts) < 0

    def __le__(self, other: EntityPath) -> bool:
        if not isinstance(other, EntityPath):
            return NotImplemented
        return _parts_cmp(self._parts, other._parts) <= 0

    def __gt__(self, other: EntityPath) -> bool:
        if not isinstance(other, EntityPath):
            return NotImplemented
        return _parts_cmp(self._parts, other._parts) > 0

    def __ge__(self, other: EntityPath) -> bool:
        if not isinstance(other, EntityPath):
            return NotImplemented
        return _parts_cmp(self._parts, other._parts) >= 0

    def __str__(self) -> str:
        return "/" + "/".join(map(escape_entity_path_part, self._parts))

    def __repr__(self) -> str:
        return f"EntityPath({str(self)!r})"

    def __reduce__(self) -> tuple[type[EntityPath], tuple[tuple[str, ...]]]:
        return (EntityPath, (self._parts,))


# --------------------------------------------------------------------------------------------------
# Dataframe column names


def dataframe_column_name(entity_path: EntityPath, component: str) -> str:
    """Column name of a component in the dataframe (sorbet) schema.

    ``/pts`` + ``Points3D:colors`` -> ``/pts:Points3D:colors``; recording properties drop the
    reserved prefix: ``/__properties`` -> ``property:{component}`` and ``/__properties/x/y`` ->
    ``property:x/y:{component}`` (the remaining parts escaped as in the path text).
    """
    parts = entity_path.parts
    if not parts or parts[0] != _PROPERTIES_PART:
        return f"{entity_path}:{component}"
    if len(parts) == 1:
        return f"property:{component}"
    return f"property:{'/'.join(map(escape_entity_path_part, parts[1:]))}:{component}"

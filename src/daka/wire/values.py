"""The one reader of WeCom integers, timestamps and short strings at the wire boundary.

WeCom types its numbers ``uint32``, ``int32``, ``int64`` or ``uint64`` (docs/wecom-api.md
tables) and
its parser coerces numeric strings (PowerWeChat sends ``"opencheckindatatype": "3"``), so a
number may arrive as a JSON integer or as a string of digits. Everything else is refused
before Python's ``int()`` sees it:

* booleans (``True`` is an ``int`` in Python) and floats;
* Unicode digits — ``"²"``, ``"١٢"`` — which ``str.isdigit()`` and ``int()`` accept;
* strings longer than any number of the field's type (so ``int()`` never meets a 5,000-digit
  string and its int-string limit);
* values outside the field's type, so no timestamp overflows ``datetime`` or the database.

A refusal is a :class:`~daka.domain.errors.DakaError` naming the field — 40058 by default,
or the endpoint's documented errcode via ``refuse``. Echoed values go through :func:`echo`,
so a megabyte of input never comes back in an errmsg.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator

from daka.domain.errors import DakaError, InvalidParameter

# (field, problem) → the error to raise: lets each endpoint answer with its own errcode.
Refuse = Callable[[str, str], DakaError]

ECHO_CHARS = 64
# No WeCom body nests deeper than a rule's ot_info_v2…restinfo…items (about 8 levels).
MAX_JSON_DEPTH = 32
# The longest string any field takes: addcheckinuserface's 1 MB of base64 (wire.devices).
MAX_STRING_CHARS = 1_048_576


@dataclass(frozen=True, slots=True)
class IntKind:
    """A WeCom integer type: its name and inclusive bounds."""

    name: str
    lo: int
    hi: int

    @property
    def signed(self) -> bool:
        return self.lo < 0

    @property
    def max_chars(self) -> int:
        # A sign and the digits of the widest bound: longer strings cannot be in range.
        return max(len(str(self.lo)), len(str(self.hi)))


UINT32 = IntKind("uint32", 0, 2**32 - 1)
INT32 = IntKind("int32", -(2**31), 2**31 - 1)
INT64 = IntKind("int64", -(2**63), 2**63 - 1)
UINT64 = IntKind("uint64", 0, 2**64 - 1)

_ASCII_DIGITS = frozenset("0123456789")


def invalid_parameter(field: str, problem: str) -> DakaError:
    """The default refusal: 40058 ``invalid parameter <field>: <problem>``."""
    return InvalidParameter(f"invalid parameter {field}: {problem}")


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters with an ellipsis, for error messages."""
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + "…"
    text = repr(value) if isinstance(value, str) else _short_repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _short_repr(value: object) -> str:
    # repr() of a deeply nested or huge value is itself costly: name the type instead.
    if isinstance(value, dict | list):
        return f"<{type(value).__name__} of {len(value)}>"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return "<a huge integer>"
    return repr(value)


def _type_problem(kind: IntKind) -> str:
    return "must be an integer" if kind.signed else "must be a non-negative integer"


def int_problem(
    value: Any, kind: IntKind = UINT32, *, strings: bool = True
) -> tuple[int | None, str]:
    """``(number, "")`` when ``value`` is an integer of ``kind``, else ``(None, problem)``.

    The building block of :func:`read_int` and the pydantic validators; never raises.
    """
    if isinstance(value, bool):
        return None, _type_problem(kind)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and strings:
        digits = value[1:] if value.startswith("-") and kind.signed else value
        if not digits or len(value) > kind.max_chars or not _ASCII_DIGITS.issuperset(digits):
            if digits and len(value) > kind.max_chars and _ASCII_DIGITS.issuperset(digits):
                return None, f"must be at most {kind.hi}"
            return None, _type_problem(kind)
        number = int(value)
    else:
        return None, _type_problem(kind)
    if number < kind.lo:
        return None, _type_problem(kind) if kind.lo == 0 else f"must be at least {kind.lo}"
    if number > kind.hi:
        return None, f"must be at most {kind.hi}"
    return number, ""


def read_int(
    value: Any,
    field: str,
    kind: IntKind = UINT32,
    *,
    refuse: Refuse = invalid_parameter,
    strings: bool = True,
) -> int:
    """An integer of ``kind`` from a JSON integer or (if ``strings``) a string of ASCII digits.

    A leading ``-`` is accepted only for signed kinds. Anything else raises ``refuse(field,
    problem)`` — 40058 unless the endpoint documents its own errcode.
    """
    number, problem = int_problem(value, kind, strings=strings)
    if number is None:
        raise refuse(field, problem)
    return number


def read_opt_int(
    value: Any,
    field: str,
    kind: IntKind = UINT32,
    *,
    refuse: Refuse = invalid_parameter,
    strings: bool = True,
) -> int | None:
    """As :func:`read_int`, with JSON ``null`` or an absent value read as ``None``."""
    return None if value is None else read_int(value, field, kind, refuse=refuse, strings=strings)


def read_required_int(
    value: Any,
    field: str,
    kind: IntKind = UINT32,
    *,
    refuse: Refuse = invalid_parameter,
    strings: bool = True,
) -> int:
    """As :func:`read_int`; an absent value is ``required field is missing``."""
    if value is None:
        raise refuse(field, "required field is missing")
    return read_int(value, field, kind, refuse=refuse, strings=strings)


def read_bool(
    value: Any, field: str, *, default: bool = False, refuse: Refuse = invalid_parameter
) -> bool:
    """A JSON boolean; absent (or ``null``) is ``default``."""
    if value is None:
        return default
    if not isinstance(value, bool):
        raise refuse(field, "must be a boolean")
    return value


def read_str(
    value: Any,
    field: str,
    *,
    max_chars: int,
    min_chars: int = 0,
    refuse: Refuse = invalid_parameter,
) -> str:
    """A JSON string of ``min_chars``..``max_chars`` characters without NUL (PostgreSQL text
    cannot hold NUL); the length is checked before anything else looks at the value."""
    if value is None:
        raise refuse(field, "required field is missing")
    if not isinstance(value, str):
        raise refuse(field, "must be a string")
    if len(value) > max_chars:
        raise refuse(field, f"must be at most {max_chars} characters")
    if len(value) < min_chars:
        raise refuse(
            field,
            "must not be empty" if min_chars == 1 else f"must be at least {min_chars} characters",
        )
    if "\x00" in value:
        raise refuse(field, "must not contain NUL characters")
    return value


def lenient_int(value: Any, default: int = 0) -> int:
    """An integer from a value daka did not validate (a server's answer, a stored rule);
    ``default`` when it is not one. Never raises: a client must survive an odd answer."""
    number, _ = int_problem(value, INT64)
    if number is None:
        number, _ = int_problem(value, UINT64)
    return default if number is None else number


def parse_uint(value: Any) -> int | None:
    """A uint32 from a JSON number or numeric string; ``None`` when it is anything else."""
    number, _ = int_problem(value, UINT32)
    return number


def _pydantic_reader(kind: IntKind) -> Callable[[Any], int]:
    def validate(value: Any) -> int:
        number, problem = int_problem(value, kind)
        if number is None:
            # pydantic names the field; _describe in wire.checkin reports the problem.
            raise ValueError(problem)
        return number

    return validate


# pydantic fields read by the same rules as every hand-parsed field (pydantic's own lax int
# parsing accepts Unicode digits and meets Python's int-string limit on huge strings).
WireUInt32 = Annotated[int, BeforeValidator(_pydantic_reader(UINT32))]
WireInt32 = Annotated[int, BeforeValidator(_pydantic_reader(INT32))]
WireInt64 = Annotated[int, BeforeValidator(_pydantic_reader(INT64))]


def check_shape(
    body: Any, max_depth: int = MAX_JSON_DEPTH, max_chars: int = MAX_STRING_CHARS
) -> None:
    """40058 naming the place when ``body`` nests too deep or holds too long a string."""
    # (value, depth, path); the path is built for containers only, to name the refusal.
    stack: list[tuple[Any, int, str]] = [(body, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, dict):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        if depth > max_depth:
            raise InvalidParameter(
                f"invalid json: {path or 'body'} nests deeper than {max_depth} levels"
            )
        for key, item in items:
            if isinstance(key, str) and len(key) > max_chars:
                raise InvalidParameter(
                    f"invalid json: a key of {path or 'body'} is over {max_chars} characters"
                )
            if isinstance(item, str):
                if len(item) > max_chars:
                    raise InvalidParameter(
                        f"invalid parameter {_child(path, key)}: must be at "
                        f"most {max_chars} characters"
                    )
            elif isinstance(item, dict | list):
                stack.append((item, depth + 1, _child(path, key)))


def _child(path: str, key: int | str) -> str:
    """``path[key]`` or ``path.key`` (a long key cut short): where a value is in a body."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    name = key if len(key) <= ECHO_CHARS else key[:ECHO_CHARS] + "…"
    return f"{path}.{name}" if path else name

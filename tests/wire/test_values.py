"""The wire's one integer reader, echo and body-shape bounds."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from daka.client._models import lenient_int as client_lenient_int
from daka.domain.errors import DakaError, InvalidParameter, RuleParamError
from daka.wire.checkin import decode_body
from daka.wire.values import (
    INT32,
    INT64,
    UINT32,
    UINT64,
    IntKind,
    check_shape,
    echo,
    lenient_int,
    read_int,
)

KINDS = st.sampled_from([UINT32, INT32, INT64, UINT64])
ASCII = frozenset("0123456789")


def is_wire_int(value: Any, kind: IntKind) -> bool:
    """The reader's contract, written out plainly."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return kind.lo <= value <= kind.hi
    if isinstance(value, str):
        digits = value[1:] if kind.signed and value.startswith("-") else value
        return (
            bool(digits)
            and set(digits) <= ASCII
            and len(value) <= kind.max_chars
            and kind.lo <= int(value) <= kind.hi
        )
    return False


anything = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers().map(str),
    st.text(max_size=30),
    st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=6),  # any digits
    st.booleans(),
    st.floats(allow_nan=True),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.integers(min_value=0, max_value=5000).map(lambda n: "9" * n),
)


@given(value=anything, kind=KINDS)
@example(value="²", kind=UINT32)
@example(value="١٢", kind=UINT32)
@example(value="9" * 5000, kind=INT64)
@example(value=9223372036854775808, kind=INT64)
@example(value=True, kind=UINT32)
@example(value=3.0, kind=UINT32)
@example(value="-0", kind=INT32)
@example(value="-", kind=INT32)
@example(value=" 1", kind=UINT32)
def test_the_reader_accepts_exactly_ascii_integers_in_range(value, kind):
    try:
        number = read_int(value, "field", kind)
    except DakaError as exc:
        assert not is_wire_int(value, kind)
        assert exc.errcode == 40058
        assert exc.message.startswith("invalid parameter field: ")
        assert len(exc.message) < 100  # nothing of the value is echoed
    else:
        assert is_wire_int(value, kind)
        assert number == int(value) and type(number) is int


@given(value=anything)
def test_the_reader_answers_the_endpoints_own_errcode(value):
    def refuse(field: str, problem: str) -> DakaError:
        return RuleParamError(f"param error: {field} {problem}")

    try:
        read_int(value, "group.groupid", UINT32, refuse=refuse)
    except DakaError as exc:
        assert exc.errcode == 301086
        assert "group.groupid" in exc.message


@given(value=anything)
def test_lenient_readers_of_answers_never_raise(value):
    assert isinstance(lenient_int(value), int)
    assert isinstance(client_lenient_int(value), int)


def test_strict_reading_refuses_numeric_strings():
    with pytest.raises(InvalidParameter):
        read_int("3", "grouptype", strings=False)
    assert read_int("3", "opencheckindatatype") == 3


def test_a_client_reads_an_odd_answer_as_zero():
    assert [client_lenient_int(v) for v in ("١٢", "9" * 5000, math.inf, None, "12", 7.9)] == [
        0,
        0,
        0,
        0,
        12,
        7,
    ]


def test_echo_cuts_long_values_short():
    assert echo("ghost") == "'ghost'"
    assert echo("x" * 1_000_000) == "'" + "x" * 64 + "'…"
    assert len(echo(list(range(10_000)))) <= 65


def test_a_body_at_the_depth_limit_is_fine_one_deeper_is_refused():
    check_shape({"a": [[[]]]}, max_depth=4)

    with pytest.raises(InvalidParameter, match=r"a\[0\]\[0\] nests deeper than 3 levels"):
        check_shape({"a": [[[]]]}, max_depth=3)


def test_decode_body_refuses_a_thousand_levels_before_anything_recurses():
    with pytest.raises(InvalidParameter, match="nests deeper than 32 levels"):
        decode_body(b"[" * 1000 + b"]" * 1000)
    # orjson itself refuses far deeper JSON as malformed: 40058 all the same.
    with pytest.raises(InvalidParameter, match="wrong json format"):
        decode_body(b"[" * 100_000 + b"]" * 100_000)


def test_decode_body_names_an_overlong_string_without_echoing_it():
    with pytest.raises(InvalidParameter) as caught:
        decode_body(b'{"records": [{"userid": "' + b"x" * 2_000_000 + b'"}]}')

    assert caught.value.message == (
        "invalid parameter records[0].userid: must be at most 1048576 characters"
    )

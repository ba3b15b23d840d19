"""Fuzzing every endpoint of the registry: whatever a client sends, it gets WeCom's envelope.

For each served endpoint, hypothesis sends arbitrary JSON, odd raw bodies, and (mostly) a
valid request of that endpoint with one value swapped for an adversarial one (huge and odd
numbers, 5,000-digit strings, Unicode digits, 1,000-deep nesting, control characters, 1 MB
strings, JSON escapes of NUL and lone surrogates, 100,000-item arrays), wrapped in an array or
an object, or given twice under one key, so that the input gets past the first check and
reaches deep validation; also the valid body reframed (a BOM, UTF-16, trailing bytes) under
odd Content-Types, query strings with a repeated key, and every HTTP method. Every answer
must be HTTP 200 in WeCom's envelope with printable, bounded headers, never -1 ("system busy"
means daka failed, not the request), and a refused request must change nothing stored.

It runs on both backends: a temp SQLite file, and a fresh PostgreSQL database (marked
``postgres``; created and dropped by the storage suite's helpers, tests/storage/conftest.py).
The PostgreSQL leg sends the profile's examples too, at most ``PG_MAX_EXAMPLES`` per
endpoint (so a long run spends most of its time on the cheaper SQLite leg).

CI runs the "ci" profile (tests/conftest.py); a long local run:
``.venv/bin/pytest tests/api/test_fuzz.py -n 2 --hypothesis-profile=fuzz``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from starlette.testclient import TestClient

from daka.api.app import create_app
from daka.api.envelope import MAX_HEADER_BYTES
from daka.services.org import load_org
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store
from daka.storage.tables import metadata
from daka.wire.endpoints import SERVED, Body, Endpoint
from tests.approval_factories import (
    APPROVAL_SECRET,
    OUTING,
    OVERTIME,
    TRIP,
    approval_corp,
    attendance_form,
)
from tests.factories import (
    CORPID,
    PNG_BYTES,
    SECRET,
    FakeClock,
    api_rule,
    at,
    make_org,
    make_record,
    make_rule,
    make_shift_rule,
)
from tests.holiday_data import FICTIONAL_2027

# The storage suite's databases: a fresh PostgreSQL database per Target, dropped afterwards.
from tests.storage.conftest import BACKENDS, _pg_dropper, pg_database  # noqa: F401

NOW = at(2026, 11, 23, 12, 0)
PRINTABLE_ASCII = re.compile(r"[ -~]*")

# -- the corp under fire: a fixed rule, a shift rule, and spare users for new rules ---------

USERS = ["zhangsan", "lisi", "wangwu", "u_update", "u_clear", "u_delete", "u_new"]


def fuzz_org() -> dict[str, Any]:
    users = [{"userid": u, "name": u, "department": [1]} for u in USERS]
    rules = [
        make_rule(1, users=["zhangsan", "wangwu"], allow_apply_offworkday=True),
        make_shift_rule(5, users=["lisi"]),
    ]
    # The corp has the four 假勤 templates, an HR app granted 审批 and its administration,
    # and vacations; the check-in app may administer too (api/holidays is fuzzed with it).
    vacations = [
        {"id": 1, "name": "年假", "quota_attr": {"type": 1}},
        {"id": 2, "name": "调休", "time_attr": 1, "is_newovertime": 1},
        {"id": 3, "name": "事假", "quota_attr": {"type": 0}},
    ]
    corp = approval_corp(
        users=users,
        rules=rules,
        vacations=vacations,
        vacation_quotas=[{"userid": "zhangsan", "vacation_id": 1, "leftduration": 432000}],
    )
    corp["apps"][0]["approval_admin"] = True
    return make_org(corp)


def is_approval(path: str) -> bool:
    """The paths the HR app calls: WeCom's oa/* and daka's api/approvals*."""
    return path.startswith(("oa/", "api/approvals"))


# The forms filed when the target is made: one to read back and one per approver's action,
# each a business trip of its own user-day (last week's Monday .. Thursday and Friday).
FILED = ["detail", "approve", "reject", "revoke", "delete"]


# The PostgreSQL leg's cap on the profile's examples per endpoint: a request there costs a few
# round trips to the server and the snapshot a SELECT of every table, about twice SQLite's.
PG_MAX_EXAMPLES = 500


@contextmanager
def database(backend: str, root: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh database of ``backend``: a file under ``root``, or a PostgreSQL
    database of its own (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{root / 'daka.db'}"
        return
    with pg_database(request.getfixturevalue("_pg_dropper")) as url:
        yield url


class Target:
    """The app over a service on its own database, logged in, with one rule per
    rule-management endpoint (made by the app itself, so it may change them)."""

    def __init__(self, root: Path, db_url: str) -> None:
        self.engine = create_db_engine(db_url)
        upgrade(self.engine)
        store = Store(self.engine)
        load_org(store, fuzz_org())
        self.media_dir = root / "media"
        service = Service(
            store,
            clock=FakeClock(NOW),
            rate_limiter=RateLimiter(enabled=False),
            media_dir=self.media_dir,
        )
        self.client = TestClient(create_app(service), raise_server_exceptions=False)
        self.client.__enter__()
        self.token = self._login(SECRET)
        self.approval_token = self._login(APPROVAL_SECRET)
        self.sp_nos = {
            name: self._file(attendance_form(TRIP, 3, at(2026, 11, 16 + i), at(2026, 11, 16 + i)))
            for i, name in enumerate(FILED)
        }
        self.groupids = {user: self._add_rule(user) for user in USERS[3:6]}
        uploaded = self.client.post(
            "/cgi-bin/media/upload",
            params={"access_token": self.token, "type": "image"},
            files={"media": ("face.png", PNG_BYTES, "image/png")},
        ).json()
        self.media_id = uploaded["media_id"]

    def _login(self, secret: str) -> str:
        answer = self.client.get(
            "/cgi-bin/gettoken", params={"corpid": CORPID, "corpsecret": secret}
        ).json()
        return str(answer["access_token"])

    def token_for(self, path: str) -> str:
        """The HR app's token for the approval paths, the check-in app's for the others."""
        return self.approval_token if is_approval(path) else self.token

    def _file(self, form: dict[str, Any]) -> str:
        answer = self.client.post(
            "/cgi-bin/oa/applyevent", params={"access_token": self.approval_token}, json=form
        ).json()
        assert answer["errcode"] == 0, answer
        return str(answer["sp_no"])

    def _add_rule(self, user: str) -> int:
        body = {"group": api_rule(users=[user], groupname=f"rule of {user}"), "effective_now": True}
        answer = self.client.post(
            "/cgi-bin/checkin/add_checkin_option", params={"access_token": self.token}, json=body
        ).json()
        assert answer["errcode"] == 0, answer
        groups = self.client.post(
            "/cgi-bin/checkin/getcorpcheckinoption", params={"access_token": self.token}
        ).json()["group"]
        return max(g["groupid"] for g in groups if g["groupname"] == f"rule of {user}")

    def snapshot(self) -> str:
        """A digest of every stored row and media file."""
        digest = hashlib.sha256()
        with self.engine.connect() as conn:
            for table in metadata.sorted_tables:
                rows = sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                digest.update(f"{table.name}:{len(rows)}:{''.join(rows)}".encode())
        if self.media_dir.exists():
            for path in sorted(self.media_dir.rglob("*")):
                digest.update(f"{path}:{path.stat().st_size if path.is_file() else '/'}".encode())
        return digest.hexdigest()

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    root = tmp_path_factory.mktemp("fuzz")
    with database(request.param, root, request) as url:
        made = Target(root, url)
        try:
            yield made
        finally:
            made.close()


@pytest.fixture(params=BACKENDS)
def fresh_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    with database(request.param, tmp_path, request) as url:
        made = Target(tmp_path, url)
        try:
            yield made
        finally:
            made.close()


class Tracebacks(logging.Handler):
    """The tracebacks the app logs for its -1 answers, to say where they came from."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.seen.append(logging.Formatter().formatException(record.exc_info))


@pytest.fixture(scope="module")
def tracebacks() -> Iterator[Tracebacks]:
    handler = Tracebacks()
    logging.getLogger("daka.api").addHandler(handler)
    yield handler
    logging.getLogger("daka.api").removeHandler(handler)


# -- a valid request of each endpoint -----------------------------------------------------


def valid_request(path: str, target: Target) -> dict[str, Any]:
    """A request of ``path`` that daka accepts (JSON body, or query parameters)."""
    day = at(2026, 11, 20)
    users = {"useridlist": ["zhangsan", "lisi"]}
    span = {"starttime": at(2026, 11, 16), "endtime": at(2026, 11, 22) - 1}
    groupids = target.groupids
    return {
        "gettoken": {"corpid": CORPID, "corpsecret": SECRET},
        "checkin/add_checkin_record": {"records": [make_record(checkin_time=NOW - 3600)]},
        "checkin/getcheckindata": {"opencheckindatatype": 3, **span, **users},
        "checkin/getcheckinoption": {"datetime": day, **users},
        "checkin/getcheckin_daydata": {**span, **users},
        "checkin/getcheckin_monthdata": {**span, **users},
        "checkin/getcorpcheckinoption": {},
        "checkin/getcheckinschedulist": {**span, **users},
        "checkin/setcheckinschedulist": {
            "groupid": 5,
            "yearmonth": 202612,
            "items": [
                {"userid": "lisi", "day": 1, "schedule_id": 1},
                {"userid": "lisi", "day": 2, "schedule_id": 2},
            ],
        },
        "checkin/punch_correction": {
            "userid": "zhangsan",
            "schedule_date_time": day,
            "schedule_checkin_time": 9 * 3600,
            "checkin_time": day + 9 * 3600,
            "remark": "gate",
        },
        "checkin/addcheckinuserface": {
            "userid": "zhangsan",
            "userface": base64.b64encode(PNG_BYTES).decode(),
        },
        "checkin/add_checkin_option": {"group": api_rule(users=["u_new"]), "effective_now": False},
        "checkin/update_checkin_option": {
            "group": {**api_rule(users=["u_update"]), "groupid": groupids["u_update"]},
            "effective_now": False,
        },
        "checkin/clear_checkin_option_array_field": {
            "groupid": groupids["u_clear"],
            "clear_field": [1, 2],
            "effective_now": False,
        },
        "checkin/del_checkin_option": {"groupid": groupids["u_delete"], "effective_now": False},
        "hardware/get_hardware_checkin_data": {"filter_type": 1, **span, **users},
        "media/upload": {"type": "image"},
        "media/get": {"media_id": target.media_id},
        "department/list": {"id": "1"},
        "user/simplelist": {"department_id": "1", "fetch_child": "1"},
        "user/list": {"department_id": "1", "fetch_child": "0"},
        "tag/list": {},
        "tag/get": {"tagid": "1"},
        "oa/gettemplatedetail": {"template_id": OUTING},
        "oa/applyevent": attendance_form(
            OVERTIME, 5, day + 19 * 3600, day + 21 * 3600, creator="lisi", grain="hour"
        ),
        "oa/getapprovalinfo": {
            "starttime": str(NOW - 3600),
            "endtime": str(NOW + 3600),
            "new_cursor": "",
            "cursor": 0,
            "size": 100,
            "filters": [
                {"key": "template_id", "value": TRIP},
                {"key": "creator", "value": "zhangsan"},
                {"key": "department", "value": "1"},
                {"key": "sp_status", "value": "1"},
            ],
        },
        "oa/getapprovaldetail": {"sp_no": target.sp_nos["detail"]},
        "api/approvals": {"creator": "zhangsan", "sp_status": "1"},
        "api/approvals/approve": {"sp_no": target.sp_nos["approve"], "userid": "wangwu"},
        "api/approvals/reject": {
            "sp_no": target.sp_nos["reject"],
            "userid": "wangwu",
            "speech": "不批",
        },
        "api/approvals/revoke": {"sp_no": target.sp_nos["revoke"]},
        "api/approvals/delete": {"sp_no": target.sp_nos["delete"]},
        "api/explain": {"userid": "zhangsan", "date": "2026-11-20"},
        "oa/vacation/getcorpconf": {},
        "oa/vacation/getuservacationquota": {"userid": "zhangsan"},
        "oa/vacation/setoneuserquota": {
            "userid": "zhangsan",
            "vacation_id": 1,
            "leftduration": 8640,
            "time_attr": 0,
            "remarks": "fuzz",
        },
        "api/holidays": {"year": "2027"},
        "api/holidays/load": FICTIONAL_2027,
    }[path]


# -- adversarial values ---------------------------------------------------------------------


class Raw(str):
    """A JSON literal written as it is: numbers Python's json cannot write, deep nesting."""


class Pairs(tuple[tuple[str, Any], ...]):
    """A JSON object written with its pairs as they are: duplicate keys (the last wins)."""


MEGABYTE = "x" * 1_000_000
NUMBERS: list[Any] = [
    2**63,
    2**63 - 1,
    -(2**63),
    -(2**63) - 1,
    2**64 - 1,
    2**64,
    2**32,
    2**31,
    -1,
    0,
    1.5,
    -0.0,
    1e308,
    86_400,
    86_401,
    Raw("9" * 5000),
    Raw("1e999"),
    Raw("1E2"),
    Raw("-0"),
    Raw("-1e308"),
    Raw("-0.0"),
    Raw("1E+2"),
    Raw("1e-999"),
    Raw("0.1e1"),
    Raw("1.0"),
    Raw("5e-324"),
    Raw("1" + "0" * 400),
]
# JSON string escapes Python's json would not write: lone surrogates, NUL, a pair.
ESCAPES: list[Any] = [
    Raw('"\\ud800"'),
    Raw('"\\udfff\\ud800"'),
    Raw('"\\u0000"'),
    Raw('"zhangsan\\u0000"'),
    Raw('"\\ud83d\\ude00"'),
    Raw('"\\ufeff1"'),
]
# 100,000 small items where a handful belong.
LONG_ARRAYS: list[Any] = [
    Raw("[" + ",".join(["1"] * 100_000) + "]"),
    Raw("[" + ",".join(['"zhangsan"'] * 100_000) + "]"),
    Raw("[" + ",".join(["{}"] * 100_000) + "]"),
    Raw("[" + ",".join(["null"] * 100_000) + "]"),
]
STRINGS: list[str] = [
    "",
    " ",
    "0",
    "-1",
    "9223372036854775808",
    "9" * 5000,
    "²",
    "١٢",
    "３",
    "1_000",
    "0x10",
    " 1",
    "1.0",
    "+1",
    "nan",
    "inf",
    "\x00",
    "\r\n",
    "gate\r\nX-Injected: 1",
    "\x1b[31m",
    "\x7f",
    "\u2028",
    "\ud800",
    "a" * 65,
    "中" * 1025,
    "zhangsan\x00",
    "2026-02-30",
    "../../etc/passwd",
    "null",
    MEGABYTE,
    "\ufeff1",
    "1 ",
    "\t1",
    " +1 ",
    "+0",
    "-0",
    "1e3",
    "0" * 19 + "1",
    "\xa01",
    "1\x00",
    "true",
    "[]",
    "{}",
    "\U0001f600",
]
DEEP: list[Any] = [Raw("[" * 1000 + "]" * 1000), Raw('{"a":' * 1000 + "1" + "}" * 1000)]
ODD_BODIES: list[bytes] = [
    b"",
    b"null",
    b"[]",
    b'"x"',
    b"0",
    b"true",
    b"{",
    b"}",
    b'{"a":}',
    b"\xff\xfe{}",
    b"\xef\xbb\xbf{}",
    b"NaN",
    b"{}{}",
    b"{} trailing",
    b"[" * 1000 + b"]" * 1000,
    b'{"a":' * 2000 + b"1" + b"}" * 2000,
    b"\x00",
    MEGABYTE.encode(),
]

keys = st.text(st.characters(blacklist_categories=["Cs"]), max_size=8)
leaves = st.one_of(
    st.sampled_from(
        NUMBERS
        + STRINGS
        + DEEP
        + ESCAPES
        + LONG_ARRAYS
        + [True, False, None, [], {}, [{}], [[]], [None]]
    ),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
json_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)
# httpx sends a query of at most 64 KB, and only UTF-8 (a lone surrogate cannot be sent), so
# query values stay within that; the 1 MB strings go in JSON bodies.
query_values = st.one_of(
    st.sampled_from(["x" * 10_000 if s == MEGABYTE else s for s in STRINGS if s != "\ud800"]),
    keys,
    st.integers().map(str),
)


def to_json(value: Any) -> str:
    """JSON text of ``value``, with Raw literals and Pairs written as they are."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Pairs):
        return "{" + ",".join(f"{json.dumps(str(k))}:{to_json(v)}" for k, v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{to_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_json(v) for v in value) + "]"
    return json.dumps(value)


def spots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value, the value itself first."""
    yield path
    items = (
        value.items()
        if isinstance(value, dict)
        else (enumerate(value) if isinstance(value, list) else ())
    )
    for key, inner in items:
        yield from spots(inner, (*path, key))


def swapped(value: Any, path: tuple[Any, ...], new: Any, *, delete: bool = False) -> Any:
    """``value`` with the element at ``path`` replaced by ``new`` (or removed)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = swapped(value[head], rest, new, delete=delete)
    return copy


@st.composite
def mutations(
    draw: st.DrawFn, valid: Any, values: st.SearchStrategy[Any], *, whole: bool = True
) -> Any:
    """``valid`` with one place swapped for an adversarial value, removed, or added to
    (``whole``: the value itself may be swapped too)."""
    path = draw(st.sampled_from(list(spots(valid))[0 if whole else 1 :] or [()]))
    if not path and not whole:
        return {**valid, draw(keys): draw(values)}
    action = draw(st.sampled_from(["swap", "swap", "swap", "delete", "add", "wrap", "dup"]))
    if action == "delete" and path:
        return swapped(valid, path, None, delete=True)
    at_path: Any = valid
    for key in path:
        at_path = at_path[key]
    if action == "wrap":  # an array (or an object) where the value belongs, at any depth
        return swapped(valid, path, draw(st.sampled_from([[at_path], {"0": at_path}])))
    if action == "dup" and isinstance(at_path, dict) and at_path:
        # a key given twice, the adversarial value first or last (the last wins)
        key = draw(st.sampled_from(sorted(at_path)))
        pair = (key, draw(values))
        pairs = [*at_path.items(), pair] if draw(st.booleans()) else [pair, *at_path.items()]
        return swapped(valid, path, Pairs(pairs))
    if action == "add":
        if isinstance(at_path, dict):
            return swapped(valid, path, {**at_path, draw(keys): draw(values)})
        if isinstance(at_path, list):
            return swapped(valid, path, [*at_path, draw(values)])
    return swapped(valid, path, draw(values))


# -- the requests ---------------------------------------------------------------------------


CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/json; charset=gbk",
    "application/json; charset=utf-16",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "*/*",
    "",
    "application/json; charset=utf-8; charset=latin-1",
    "x" * 5000,
]
# The valid body's bytes, re-encoded or framed oddly.
REFRAMINGS: list[Any] = [
    lambda b: b"\xef\xbb\xbf" + b,
    lambda b: b.decode().encode("utf-16"),
    lambda b: b" \r\n\t" + b + b"\n",
    lambda b: b + b"\x00",
    lambda b: b + b,
    lambda b: b"[" + b + b"]",
    lambda b: b"null",
]


def repeated(params: dict[str, Any]) -> st.SearchStrategy[list[tuple[str, Any]]]:
    """``params`` as query pairs, a key (access_token too) given twice: first or last wins."""
    names = sorted({*params, "access_token"})

    @st.composite
    def build(draw: st.DrawFn) -> list[tuple[str, Any]]:
        key = draw(st.sampled_from(names))
        pairs = list(params.items())
        extra = (key, draw(query_values))
        return [*pairs, extra] if draw(st.booleans()) else [extra, *pairs]

    return build()


def requests(endpoint: Endpoint, valid: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """httpx request arguments for ``endpoint``: mostly near-valid, sometimes anything."""
    method = st.sampled_from(
        [*endpoint.methods[:1]] * 6
        + ["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]
    )
    if endpoint.body is Body.JSON:
        valid_bytes = to_json(valid).encode()
        content = st.one_of(
            mutations(valid, json_values).map(lambda v: to_json(v).encode()),
            mutations(valid, json_values).map(lambda v: to_json(v).encode()),
            json_values.map(lambda v: to_json(v).encode()),
            st.sampled_from(REFRAMINGS).map(lambda f: f(valid_bytes)),
            st.sampled_from(ODD_BODIES),
            st.binary(max_size=64),
        )
        headers = st.one_of(
            st.just({}), st.sampled_from(CONTENT_TYPES).map(lambda t: {"Content-Type": t})
        )
        return st.fixed_dictionaries({"method": method, "content": content, "headers": headers})
    params = st.one_of(
        mutations(valid, query_values, whole=False),
        mutations(valid, query_values, whole=False),
        repeated(valid),
        st.dictionaries(keys, query_values, max_size=3),
    )
    if endpoint.body is Body.MULTIPART:
        file = st.tuples(
            st.sampled_from(["face.png", "", "../../x", "a\r\nb\x00", "中" * 300]),
            st.sampled_from([PNG_BYTES, b"", b"x", PNG_BYTES[:5], b"\x00" * 100]),
            st.sampled_from(["image/png", "", "text/plain\r\nX: 1"]),
        )
        body = st.one_of(
            st.fixed_dictionaries({"files": st.fixed_dictionaries({"media": file})}),
            st.fixed_dictionaries(
                {
                    "content": st.sampled_from(ODD_BODIES),
                    "headers": st.just({"Content-Type": "multipart/form-data; boundary=x"}),
                }
            ),
            st.fixed_dictionaries(
                {"files": st.dictionaries(st.text(max_size=6), file, max_size=2)}
            ),
        )
        return st.tuples(st.fixed_dictionaries({"method": method, "params": params}), body).map(
            lambda pair: {**pair[0], **pair[1]}
        )
    if endpoint.body is Body.RAW:
        ranges = st.sampled_from(
            [
                {},
                {"Range": "bytes=0-0"},
                {"Range": "bytes=-1"},
                {"Range": "bytes=99999999999999999999-"},
                {"Range": "bytes=5-1"},
                {"Range": "bytes=0-1,2-3"},
                {"Range": "items=0-1"},
                {"Range": "bytes=²-".encode()},
            ]
        )
        return st.fixed_dictionaries({"method": method, "params": params, "headers": ranges})
    return st.fixed_dictionaries({"method": method, "params": params})


def send(target: Target, endpoint: Endpoint, request: dict[str, Any]) -> Any:
    params: list[tuple[str, Any]] = (
        [("access_token", target.token_for(endpoint.path))] if endpoint.path != "gettoken" else []
    )
    given = request.pop("params", {})
    if isinstance(given, dict):  # the mutated valid query: its token replaces the real one
        params = [p for p in params if p[0] not in given] + list(given.items())
    else:  # query pairs with a repeated key: the real token goes first
        params += given
    return target.client.request(request.pop("method"), endpoint.url, params=params, **request)


# -- the property ---------------------------------------------------------------------------


# The endpoints whose valid request stores something (gettoken hands out the stored token).
WRITES = {
    "checkin/add_checkin_record",
    "checkin/setcheckinschedulist",
    "checkin/punch_correction",
    "checkin/addcheckinuserface",
    "checkin/add_checkin_option",
    "checkin/update_checkin_option",
    "checkin/clear_checkin_option_array_field",
    "checkin/del_checkin_option",
    "media/upload",
    "oa/vacation/setoneuserquota",
    "api/holidays/load",
    "oa/applyevent",
    "api/approvals/approve",
    "api/approvals/reject",
    "api/approvals/revoke",
    "api/approvals/delete",
}


def test_the_request_each_mutation_starts_from_is_accepted_and_each_write_is_seen(
    fresh_target: Target,
) -> None:
    for endpoint in SERVED.values():
        request = valid_request(endpoint.path, fresh_target)
        if endpoint.body is Body.JSON:
            args: dict[str, Any] = {"method": "POST", "content": json.dumps(request)}
        else:
            args = {"method": endpoint.methods[0], "params": request}
        if endpoint.body is Body.MULTIPART:
            args["files"] = {"media": ("face.png", PNG_BYTES, "image/png")}
        before = fresh_target.snapshot()
        response = send(fresh_target, endpoint, args)

        if endpoint.body is not Body.RAW:
            assert response.json()["errcode"] == 0, (endpoint.path, response.json())
        assert response.status_code == 200
        # The snapshot sees each write on this backend, so "a refusal changes nothing" means it.
        assert (fresh_target.snapshot() != before) == (endpoint.path in WRITES), endpoint.path


# Requests the fuzzer once answered wrongly, replayed first on both backends (explicit
# examples), by endpoint path; "*" rows are sent to every endpoint.
REGRESSIONS: dict[str, list[dict[str, Any]]] = {
    # -1 on PostgreSQL: a NUL in the corpid reached the corps lookup (text cannot hold NUL)
    "gettoken": [
        {"method": "GET", "params": {"corpid": "\x00", "corpsecret": SECRET}},
        {"method": "GET", "params": {"corpid": CORPID + "\x00", "corpsecret": SECRET}},
    ],
    # -1: a new_cursor's apply_time beyond int64 reached the query (SQLite: OverflowError)
    "oa/getapprovalinfo": [
        {
            "method": "POST",
            "content": json.dumps(
                {
                    "starttime": str(NOW - 3600),
                    "endtime": str(NOW + 3600),
                    "new_cursor": "99999999999999999999_202611230001",
                }
            ),
        }
    ],
    # a bare 405 from Starlette for a method no route listed
    "*": [{"method": "PUT"}, {"method": "DELETE"}, {"method": "OPTIONS"}, {"method": "FOO"}],
}


def regressions(endpoint: Endpoint) -> Any:
    """The explicit examples of ``endpoint``: its REGRESSIONS rows and the "*" ones."""

    def apply(test: Any) -> Any:
        for request in [*REGRESSIONS.get(endpoint.path, []), *REGRESSIONS["*"]]:
            test = example(request=request)(test)
        return test

    return apply


@pytest.mark.parametrize("endpoint", SERVED.values(), ids=lambda e: e.path)
def test_any_request_gets_an_envelope_never_minus_1_and_a_refusal_changes_nothing(
    endpoint: Endpoint, target: Target, tracebacks: Tracebacks
) -> None:
    valid = valid_request(endpoint.path, target)
    examples = settings().max_examples
    if target.engine.dialect.name == "postgresql":
        examples = min(examples, PG_MAX_EXAMPLES)

    @regressions(endpoint)
    @settings(
        max_examples=examples,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )
    @given(request=requests(endpoint, valid))
    def answers_in_the_envelope(request: dict[str, Any]) -> None:
        before = target.snapshot()
        tracebacks.seen.clear()
        response = send(target, endpoint, dict(request))

        if endpoint.body is Body.RAW and "error-code" not in response.headers:
            assert response.status_code in (200, 206, 416)  # the media bytes, or no range
            return
        assert response.status_code == 200, (response.status_code, response.text[:500])
        if request["method"] == "HEAD":  # the GET answer without its body: read the headers
            errcode = int(response.headers.get("Error-Code", "0"))
            assert errcode != -1, "\n".join(tracebacks.seen)
        else:
            body = response.json()
            assert isinstance(body["errcode"], int) and isinstance(body["errmsg"], str), body
            assert body["errcode"] != -1, "\n".join(tracebacks.seen) or body["errmsg"]
            errcode = body["errcode"]
            if errcode != 0 and endpoint.list_field:
                assert body[endpoint.list_field] == [], body
        if errcode == 0:
            return
        assert response.headers["Error-Code"] == str(errcode)
        header = response.headers["Error-Msg"]
        assert len(header.encode("latin-1")) <= MAX_HEADER_BYTES
        assert PRINTABLE_ASCII.fullmatch(header), header
        assert target.snapshot() == before, f"refused with {errcode} but wrote"

    answers_in_the_envelope()

"""Request and response shapes of the check-in endpoints (WeCom field names live here).

Requests are validated with pydantic, integers through the wire's one reader
(:mod:`daka.wire.values`): WeCom's parser accepts numeric strings (PowerWeChat sends
``"opencheckindatatype": "3"``), so we do too, but only of ASCII digits and within the field's
type. Unknown fields are ignored. Every validation failure becomes a
:class:`~daka.domain.errors.InvalidParameter` whose message names the field as
``records[i].field``.

Every POST body passes :func:`decode_body` first, which bounds its nesting depth and the size
of any one string before anything deep-copies, validates or echoes it.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from daka.domain.errors import InvalidParameter
from daka.domain.evaluation import Row
from daka.domain.punches import DeviceType, Punch, media_json
from daka.wire.values import WireInt64, check_shape

UINT32_MAX = 2**32 - 1
WIFIMAC_PATTERN = r"^[A-Fa-f0-9]{2}(:[A-Fa-f0-9]{2}){5}$"
MAX_RECORDS = 200
MAX_USERS = 100
MAX_SPAN_SEC = 30 * 86_400


def _reject_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it everywhere so both backends agree.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Booleans, floats, Unicode digits and over-long strings are refused by the wire's reader,
# not by pydantic's own lax int parsing; Field(ge/le) then narrows the range.
Int = WireInt64
Str = Annotated[str, AfterValidator(_reject_nul)]
UInt32 = Annotated[Int, Field(ge=0, le=UINT32_MAX)]
Text1024 = Annotated[Str, Field(max_length=1024)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class RecordIn(_Wire):
    """One element of add_checkin_record's ``records`` (docs/wecom-api.md §13)."""

    userid: Annotated[Str, Field(min_length=1, max_length=64)]
    checkin_time: UInt32
    location_title: Text1024
    location_detail: Text1024
    notes: Text1024 = ""
    wifiname: Text1024 = ""
    wifimac: Annotated[str | None, Field(pattern=WIFIMAC_PATTERN, validate_default=True)] = None
    mediaids: Annotated[
        list[Annotated[Str, Field(min_length=1, max_length=128)]],
        Field(max_length=1, default_factory=list),
    ]
    lat: Annotated[Int, Field(ge=-90_000_000, le=90_000_000)] | None = None
    lng: Annotated[Int, Field(ge=-180_000_000, le=180_000_000)] | None = None
    device_type: Annotated[Int, Field(ge=1, le=3)]
    device_detail: Annotated[Str, Field(max_length=40)]

    @field_validator("wifimac", mode="after")
    @classmethod
    def _wifimac_with_wifiname(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value and info.data.get("wifiname"):
            raise ValueError("wifimac is required when wifiname is given")
        return value

    def to_punch(self, received_at: int) -> Punch:
        return Punch(
            userid=self.userid,
            time=self.checkin_time,
            location_title=self.location_title,
            location_detail=self.location_detail,
            notes=self.notes,
            wifiname=self.wifiname,
            wifimac=self.wifimac or "",
            media=media_json(self.mediaids),
            lat=self.lat,
            lng=self.lng,
            device_type=DeviceType(self.device_type),
            device_detail=self.device_detail,
            received_at=received_at,
        )


class AddCheckinRecordRequest(_Wire):
    records: Annotated[list[RecordIn], Field(min_length=1, max_length=MAX_RECORDS)]


class UserRangeRequest(_Wire):
    """The common ``starttime``/``endtime``/``useridlist`` body (validated by the service)."""

    starttime: UInt32 | None = None
    endtime: UInt32 | None = None
    useridlist: list[Annotated[Str, Field(max_length=64)]] | None = None


class GetCheckinDataRequest(UserRangeRequest):
    opencheckindatatype: Int | None = None


class GetCheckinOptionRequest(_Wire):
    datetime: UInt32 | None = None
    useridlist: list[Annotated[Str, Field(max_length=64)]] | None = None


M = TypeVar("M", bound=BaseModel)


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _describe(error: Any) -> str:
    """A short, WeCom-style phrase for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "required field is missing"
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):
        kind = "string_" + kind  # a length limit on a validated str alias reports this way
    if kind in ("too_short", "too_long"):
        return (
            f"must hold at most {ctx['max_length']} items"
            if kind == "too_long"
            else f"must hold at least {ctx['min_length']} item(s)"
        )
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters"
    if kind == "string_too_short":
        return (
            "must not be empty"
            if ctx.get("min_length", 1) == 1
            else f"must be at least {ctx['min_length']} characters"
        )
    if kind == "string_pattern_mismatch":
        return f"must match {ctx['pattern']}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be <= {ctx['le']}"
    if kind.startswith("int_"):
        return "must be an integer"
    if kind.startswith("string_"):
        return "must be a string"
    if kind == "list_type":
        return "must be an array"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def decode_body(raw: bytes) -> Any:
    """A POST body as JSON; empty means ``{}``; anything unparsable is 40058.

    So is a body nested deeper than :data:`MAX_JSON_DEPTH` or holding a string (or key) over
    :data:`MAX_STRING_CHARS`: checked here, iteratively, before any recursive code (deepcopy,
    pydantic, repr) meets the value.
    """
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidParameter("invalid json: Warning: wrong json format.") from None
    check_shape(body)
    return body


def parse(model: type[M], body: Any) -> M:
    """Validate a decoded JSON body, or raise InvalidParameter (40058) naming the field."""
    if not isinstance(body, dict):
        raise InvalidParameter("invalid json: the body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = _path(tuple(first["loc"])) or "body"
        raise InvalidParameter(f"invalid parameter {field}: {_describe(first)}") from None


def checkin_row(row: Row) -> dict[str, Any]:
    """One element of getcheckindata's ``checkindata``; every key always present.

    The Chinese literals are str-valued enum members, serialised as their text.
    """
    p = row.punch
    if p is None:
        return {
            "userid": row.userid,
            "groupname": row.rule_name,
            "checkin_type": row.checkin_type,
            "exception_type": ";".join(row.anomalies),
            "checkin_time": row.time,
            "location_title": "",
            "location_detail": "",
            "wifiname": "",
            "notes": "",
            "wifimac": "",
            "mediaids": [],
            "lat": 0,
            "lng": 0,
            "deviceid": "",
            "sch_checkin_time": row.scheduled_time,
            "groupid": row.rule_id,
            "schedule_id": row.schedule_id,
            "timeline_id": row.timeline_id,
        }
    return {
        "userid": row.userid,
        "groupname": row.rule_name,
        "checkin_type": row.checkin_type,
        "exception_type": ";".join(row.anomalies),
        "checkin_time": row.time,
        "location_title": p.location_title,
        "location_detail": p.location_detail,
        "wifiname": p.wifiname,
        "notes": p.notes,
        "wifimac": p.wifimac,
        "mediaids": [] if p.media == "[]" else list(p.media_ids),
        # A phone punch's device_detail names the phone: WeCom's deviceid.
        "lat": p.lat or 0,
        "lng": p.lng or 0,
        "deviceid": p.device_detail if p.device_type == DeviceType.OTHER else "",
        "sch_checkin_time": row.scheduled_time,
        "groupid": row.rule_id,
        "schedule_id": row.schedule_id,
        "timeline_id": row.timeline_id,
    }

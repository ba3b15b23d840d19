"""``AsyncClient``: the asyncio/trio SDK (httpx.AsyncClient underneath)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

import anyio
import httpx

from daka.client import _operations as ops
from daka.client._core import (
    DEFAULT_BASE_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    DEPARTMENT_LIST,
    GETTOKEN,
    MEDIA_GET,
    MEDIA_UPLOAD,
    TAG_GET,
    TAG_LIST,
    USER_SIMPLELIST,
    VACATION_GETCORPCONF,
    BaseClient,
    Endpoint,
    Operation,
    Payload,
    Run,
    build_request,
    endpoint_for,
    needs_new_token,
    parse_answer,
    parse_media,
    transport_error,
)
from daka.client._errors import APIError, WeComError
from daka.client._forms import FlowNode
from daka.client._models import (
    AccessToken,
    Ack,
    ApprovalDetailResult,
    ApprovalListResult,
    CheckinDataResult,
    CheckinOptionResult,
    CorpCheckinOptionResult,
    DayDataResult,
    DepartmentListResult,
    HardwareCheckinDataResult,
    Media,
    MediaUpload,
    MonthDataResult,
    ScheduleListResult,
    TagListResult,
    TagMembersResult,
    TemplateDetail,
    UserListResult,
    UserVacationQuotaResult,
    VacationConfResult,
)
from daka.client._tokens import DEFAULT_MARGIN_SEC, AsyncTokenCache

__all__ = ["AsyncClient"]

R = TypeVar("R")
T = TypeVar("T")


class AsyncClient(BaseClient):
    """An async WeCom check-in API client (asyncio or trio). Tasks may share it.

    Usage::

        async with AsyncClient("wwcorpid", "app-secret") as wecom:
            rows = (await wecom.getcheckindata(["zhangsan", "lisi"], start, end)).checkindata

    Parameters (all but the credentials keyword-only):

    - ``corpid``, ``corpsecret``: the app's credentials for gettoken.
    - ``base_url``: the server, ``https://qyapi.weixin.qq.com`` by default (a daka server's
      URL works the same); ``/cgi-bin/`` is appended.
    - ``transport``: an ``httpx.AsyncBaseTransport`` to send through (``httpx.MockTransport`` or
      ``httpx.ASGITransport`` in tests); httpx's default otherwise.
    - ``timeout``: seconds, or an ``httpx.Timeout``.
    - ``retries``, ``backoff``, ``max_backoff``: at most ``retries`` re-sends of a request
      after 45009 / 45033 / -1 or a transport failure, waiting about ``backoff * 2**n`` s.
    - ``rate_limits``: per-minute limits by endpoint path; WeCom's documented ones by
      default (``DEFAULT_RATE_LIMITS``), ``{}`` for none.
    - ``token_margin``: stop using a token this many seconds before it expires.
    - ``clock``, ``sleep``: monotonic time and sleeping, injectable for tests.
    """

    def __init__(
        self,
        corpid: str,
        corpsecret: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        rate_limits: Mapping[str, int] | None = None,
        token_margin: float = DEFAULT_MARGIN_SEC,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        super().__init__(
            corpid,
            corpsecret,
            base_url=base_url,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
            rate_limits=rate_limits,
            token_margin=token_margin,
            clock=clock,
        )
        self._sleep = sleep
        self._http = httpx.AsyncClient(transport=transport, **self._http_options())
        self._tokens = AsyncTokenCache(self._token_state, self._fetch_token)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    # -- plumbing --------------------------------------------------------------------------

    async def _fetch_token(self) -> AccessToken:
        return AccessToken.from_raw(
            await self._send(GETTOKEN, self._token_payload(), parse_answer, auth=False)
        )

    async def _send_once(
        self,
        endpoint: Endpoint,
        payload: Payload,
        token: str | None,
        interpret: Callable[[Endpoint, httpx.Response], T],
    ) -> T:
        while (wait := self._limiter.reserve(endpoint.path)) > 0:
            await self._sleep(wait)
        spec = build_request(endpoint, payload, token)
        try:
            response = await self._http.request(
                spec.method,
                spec.url,
                params=spec.params,
                headers=spec.headers,
                content=spec.content,
                files=spec.files,
            )
        except httpx.RequestError as exc:
            raise transport_error(endpoint, exc) from exc
        return interpret(endpoint, response)

    async def _send(
        self,
        endpoint: Endpoint,
        payload: Payload,
        interpret: Callable[[Endpoint, httpx.Response], T],
        *,
        auth: bool = True,
    ) -> T:
        """One request with its token, rate limit, one token refresh and bounded retries."""
        attempt, refreshed = 0, False
        while True:
            token = await self._tokens.get() if auth else None
            try:
                return await self._send_once(endpoint, payload, token, interpret)
            except WeComError as exc:
                if auth and isinstance(exc, APIError) and needs_new_token(exc, refreshed):
                    refreshed = True
                    await self._tokens.refresh(stale=token)
                    continue
                if not self._retry.should_retry(endpoint, exc, attempt):
                    raise
                await self._sleep(self._retry.delay(attempt))
                attempt += 1

    async def _run(self, op: Operation[R]) -> R:
        run = Run(op)
        while (chunk := run.next()) is not None:
            try:
                answer = await self._send(op.endpoint, Payload(body=chunk.body), parse_answer)
                run.record(chunk, answer)
            except WeComError as exc:
                run.fail(exc)
                raise
        return run.result()

    # -- tokens and raw calls -------------------------------------------------------------

    async def gettoken(self) -> AccessToken:
        """Fetch an access token now (gettoken) and cache it for the calls that follow.

        Calls fetch and refresh tokens by themselves; this is for warming up or inspecting.
        """
        return await self._tokens.renew()

    async def call(
        self,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, str] | None = None,
        method: str | None = None,
    ) -> dict[str, Any]:
        """Any ``/cgi-bin/`` endpoint, e.g. ``call("checkin/getcorpcheckinoption", {})``.

        Token, rate limit and retries as for every method; no batching. Returns the raw JSON.
        ``method`` defaults to the endpoint's (POST for paths this SDK does not know), e.g.
        ``call("user/simplelist", method="GET", params={"department_id": "1"})``.
        """
        return await self._send(
            endpoint_for(path, method), ops.raw_payload(body, params), parse_answer
        )

    # -- records ---------------------------------------------------------------------------

    async def getcheckindata(
        self,
        useridlist: Sequence[str],
        starttime: int,
        endtime: int,
        *,
        opencheckindatatype: int = 3,
    ) -> CheckinDataResult:
        """Check-in rows of ``useridlist`` between two Unix times (``checkin/getcheckindata``).

        Over 100 users or 30 days, the call is split and merged: rows come ordered by user
        (request order), then time. ``opencheckindatatype``: 1 上下班, 2 外出, 3 all.
        """
        return await self._run(
            ops.getcheckindata(useridlist, starttime, endtime, opencheckindatatype)
        )

    async def add_checkin_record(self, records: Sequence[Mapping[str, Any]]) -> Ack:
        """Write punches (``checkin/add_checkin_record``), 200 per request.

        Each record is WeCom's dict: ``userid``, ``checkin_time``, ``location_title``,
        ``location_detail``, ``device_type``, ``device_detail`` and the optional fields.
        """
        return await self._run(ops.add_checkin_record(records))

    async def get_hardware_checkin_data(
        self,
        useridlist: Sequence[str],
        starttime: int,
        endtime: int,
        *,
        filter_type: int | None = None,
    ) -> HardwareCheckinDataResult:
        """Raw attendance-machine punches (``hardware/get_hardware_checkin_data``).

        Split over 100 users or 31 days. ``filter_type``: 1 by punch time, 2 by upload time.
        """
        return await self._run(
            ops.get_hardware_checkin_data(useridlist, starttime, endtime, filter_type)
        )

    async def punch_correction(
        self,
        userid: str,
        schedule_date_time: int,
        checkin_time: int,
        *,
        schedule_checkin_time: int | None = None,
        remark: str | None = None,
    ) -> Ack:
        """补卡 for ``userid`` (``checkin/punch_correction``).

        ``schedule_date_time`` is the day's 0:00, ``schedule_checkin_time`` the punch point
        in seconds after 0:00 (e.g. 32400 for 09:00), ``checkin_time`` the punch's Unix time.
        """
        return await self._run(
            ops.punch_correction(
                userid, schedule_date_time, checkin_time, schedule_checkin_time, remark
            )
        )

    async def addcheckinuserface(self, userid: str, userface: str | bytes) -> Ack:
        """Enrol a face (``checkin/addcheckinuserface``); bytes are base64-encoded for you."""
        return await self._run(ops.addcheckinuserface(userid, userface))

    # -- reports ---------------------------------------------------------------------------

    async def getcheckin_daydata(
        self, useridlist: Sequence[str], starttime: int, endtime: int
    ) -> DayDataResult:
        """Daily reports (``checkin/getcheckin_daydata``): one per user and day.

        ``starttime`` / ``endtime`` are the 0:00 of the first and last day (both included);
        split over 100 users or 30 days.
        """
        return await self._run(ops.getcheckin_daydata(useridlist, starttime, endtime))

    async def getcheckin_monthdata(
        self, useridlist: Sequence[str], starttime: int, endtime: int
    ) -> MonthDataResult:
        """Period reports (``checkin/getcheckin_monthdata``): one per user and period.

        Days as for :meth:`getcheckin_daydata`. Over 30 days each user gets one report per
        30-day chunk (``MonthReport.period`` says which).
        """
        return await self._run(ops.getcheckin_monthdata(useridlist, starttime, endtime))

    # -- rules -----------------------------------------------------------------------------

    async def getcheckinoption(
        self, datetime: int, useridlist: Sequence[str]
    ) -> CheckinOptionResult:
        """Each user's rule on the day whose 0:00 is ``datetime`` (``checkin/getcheckinoption``)."""
        return await self._run(ops.getcheckinoption(datetime, useridlist))

    async def getcorpcheckinoption(self) -> CorpCheckinOptionResult:
        """Every rule of the corp (``checkin/getcorpcheckinoption``)."""
        return await self._run(ops.getcorpcheckinoption())

    async def add_checkin_option(
        self, group: Mapping[str, Any], *, effective_now: bool = False
    ) -> Ack:
        """Create a rule (``checkin/add_checkin_option``). WeCom returns no groupid: look it up
        with :meth:`getcorpcheckinoption`. Not re-sent after an ambiguous transport failure.
        """
        return await self._run(ops.add_checkin_option(group, effective_now))

    async def update_checkin_option(
        self, group: Mapping[str, Any], *, effective_now: bool = False
    ) -> Ack:
        """Change a rule (``checkin/update_checkin_option``); ``group["groupid"]`` names it."""
        return await self._run(ops.update_checkin_option(group, effective_now))

    async def clear_checkin_option_array_field(
        self, groupid: int, clear_field: Sequence[int], *, effective_now: bool = False
    ) -> Ack:
        """Empty array fields of a rule: 1 spe_workdays, 2 spe_offdays, 3 wifimac_infos,
        4 loc_infos (``checkin/clear_checkin_option_array_field``).
        """
        return await self._run(
            ops.clear_checkin_option_array_field(groupid, clear_field, effective_now)
        )

    async def del_checkin_option(self, groupid: int, *, effective_now: bool = False) -> Ack:
        """Delete a rule (``checkin/del_checkin_option``)."""
        return await self._run(ops.del_checkin_option(groupid, effective_now))

    # -- schedules -------------------------------------------------------------------------

    async def getcheckinschedulist(
        self, useridlist: Sequence[str], starttime: int, endtime: int
    ) -> ScheduleListResult:
        """Shift schedules (``checkin/getcheckinschedulist``): one element per user and month.

        Split over 100 users or 31 days; a month reported by two chunks is joined.
        """
        return await self._run(ops.getcheckinschedulist(useridlist, starttime, endtime))

    async def setcheckinschedulist(
        self, groupid: int, items: Sequence[Mapping[str, Any]], yearmonth: int
    ) -> Ack:
        """Set shifts (``checkin/setcheckinschedulist``); ``items`` are
        ``{"userid", "day", "schedule_id"}`` within ``yearmonth`` (e.g. 202612).
        """
        return await self._run(ops.setcheckinschedulist(groupid, items, yearmonth))

    # -- 审批 (approvals) --------------------------------------------------------------------

    async def gettemplatedetail(self, template_id: str) -> TemplateDetail:
        """An approval template's names and controls (``oa/gettemplatedetail``).

        ``detail.control("Vacation")`` is the leave control, whose ``id`` and ``vacations``
        (the ids offered) :func:`vacation_control` needs.
        """
        return await self._run(ops.gettemplatedetail(template_id))

    async def applyevent(
        self,
        creator_userid: str,
        template_id: str,
        contents: Sequence[Mapping[str, Any]],
        summary_list: Sequence[str | Mapping[str, Any]],
        *,
        use_template_approver: bool | None = None,
        process: Sequence[FlowNode | Mapping[str, Any]] | None = None,
        approver: Sequence[Mapping[str, Any]] | None = None,
        notifyer: Sequence[str] | None = None,
        notify_type: int | None = None,
        choose_department: int | None = None,
    ) -> str:
        """File an approval for ``creator_userid`` (``oa/applyevent``); returns its ``sp_no``.

        - ``contents``: ``apply_data.contents``, one element per control filled, built with
          :func:`vacation_control`, :func:`attendance_control`, :func:`text_control` or
          written as WeCom's dicts.
        - ``summary_list``: the lines (≤ 3) shown in the approval list; a ``str`` is a
          Chinese line, a dict is sent as it is (:func:`summary_line`).
        - The flow: the template's (``use_template_approver`` 1) unless ``process`` (a list
          of :class:`FlowNode`) or the legacy ``approver`` / ``notifyer`` / ``notify_type``
          give one (0); ``use_template_approver`` overrides that choice.
        - ``choose_department``: the department filed under (the main one by default).

        Not re-sent after an ambiguous transport failure: a second send files a second form.
        """
        return await self._run(
            ops.applyevent(
                creator_userid,
                template_id,
                contents,
                summary_list,
                use_template_approver=use_template_approver,
                process=process,
                approver=approver,
                notifyer=notifyer,
                notify_type=notify_type,
                choose_department=choose_department,
            )
        )

    async def getapprovalinfo(
        self,
        starttime: int,
        endtime: int,
        *,
        template_id: str | None = None,
        creator: str | None = None,
        department: int | str | Sequence[int | str] | None = None,
        sp_status: int | None = None,
        record_type: int | None = None,
    ) -> ApprovalListResult:
        """Every ``sp_no`` submitted between two Unix times (``oa/getapprovalinfo``).

        Pages of 100 are followed by their cursor, and a range over 31 days is read in
        31-day windows; the numbers come in WeCom's order, each once. Filters AND together
        (several departments OR): ``sp_status`` 1 审批中, 2 已通过, 3 已驳回, 4 已撤销,
        6 通过后撤销, 7 已删除, 10 已支付; ``record_type`` 1 请假, 2 补卡, 3 出差, 4 外出,
        5 加班, 6 调班, 7 会议室预定, 8 退款, 9 红包报销.
        """
        filters = ops.approval_filters(template_id, creator, department, sp_status, record_type)
        return await self._run(ops.getapprovalinfo(starttime, endtime, filters))

    async def getapprovaldetail(self, sp_no: str) -> ApprovalDetailResult:
        """One approval: its form, status and flow (``oa/getapprovaldetail``); ``.info``."""
        return await self._run(ops.getapprovaldetail(sp_no))

    # -- 假期 (vacations) --------------------------------------------------------------------

    async def vacation_getcorpconf(self) -> VacationConfResult:
        """The corp's vacations and how each is counted (``GET oa/vacation/getcorpconf``)."""
        return VacationConfResult.from_raw(
            await self._send(VACATION_GETCORPCONF, Payload(), parse_answer)
        )

    async def vacation_getuservacationquota(self, userid: str) -> UserVacationQuotaResult:
        """A member's balance of each vacation, in unit-seconds
        (``oa/vacation/getuservacationquota``).
        """
        return await self._run(ops.vacation_getuservacationquota(userid))

    async def vacation_setoneuserquota(
        self, userid: str, vacation_id: int, leftduration: int, time_attr: int, remarks: str = ""
    ) -> Ack:
        """Set a member's balance of one vacation (``oa/vacation/setoneuserquota``).

        ``leftduration`` is the new balance (not a change) in unit-seconds, in steps of 0.1
        unit (:meth:`Vacation.from_units`); ``time_attr`` must be the vacation's (0 按天,
        1 按小时); ``remarks`` (≤ 200 chars) shows in the balance log.
        """
        return await self._run(
            ops.vacation_setoneuserquota(userid, vacation_id, leftduration, time_attr, remarks)
        )

    # -- media -----------------------------------------------------------------------------

    async def media_upload(
        self,
        content: bytes,
        *,
        type: str = "image",
        filename: str = "media",
        content_type: str = "application/octet-stream",
    ) -> MediaUpload:
        """Upload a temporary file (``media/upload``), valid 3 days; ``type`` is ``image``,
        ``voice``, ``video`` or ``file``. Its ``media_id`` goes into records' ``mediaids``.
        """
        payload = ops.media_upload_payload(content, type, filename, content_type)
        return MediaUpload.from_raw(await self._send(MEDIA_UPLOAD, payload, parse_answer))

    async def media_get(self, media_id: str, *, byte_range: tuple[int, int] | None = None) -> Media:
        """Download a temporary file (``media/get``); ``byte_range`` asks for bytes a..b."""
        return await self._send(MEDIA_GET, ops.media_get_payload(media_id, byte_range), parse_media)

    # -- contacts (通讯录 reads) --------------------------------------------------------------

    async def department_list(self, id: int | None = None) -> DepartmentListResult:
        """Department ``id`` and those below it, or every visible one (``department/list``)."""
        return DepartmentListResult.from_raw(
            await self._send(DEPARTMENT_LIST, ops.department_list_payload(id), parse_answer)
        )

    async def user_simplelist(
        self, department_id: int, *, fetch_child: bool = False
    ) -> UserListResult:
        """A department's members (``user/simplelist``); ``fetch_child`` adds sub-departments'."""
        return UserListResult.from_raw(
            await self._send(
                USER_SIMPLELIST,
                ops.user_simplelist_payload(department_id, fetch_child),
                parse_answer,
            )
        )

    async def tag_list(self) -> TagListResult:
        """The corp's tags (``tag/list``)."""
        return TagListResult.from_raw(await self._send(TAG_LIST, Payload(), parse_answer))

    async def tag_get(self, tagid: int) -> TagMembersResult:
        """A tag's members (``tag/get``)."""
        return TagMembersResult.from_raw(
            await self._send(TAG_GET, ops.tag_get_payload(tagid), parse_answer)
        )

"""The console over HTTP (in process): headers, CSRF, escaping, scopes, roles, exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from starlette.testclient import TestClient

from daka.services import console as queries
from daka.services.service import Service
from daka.storage.store import Store
from tests.conftest import Wire
from tests.console.conftest import csrf_of, sign_in
from tests.factories import CORPID, at, make_record

MONDAY = "2026-11-16"  # a week before the fake clock's 2026-11-23 12:00
XSS_NOTES = "<script>alert('notes')</script>"
XSS_PLACE = '"><img src=x onerror=alert(1)>'


def punch_week(wire: Wire) -> None:
    """zhangsan on time Monday, lisi late Monday, wangwu (outside R&D) on time, all 9–18."""
    records = [
        make_record("zhangsan", at(2026, 11, 16, 8, 55), notes=XSS_NOTES),
        make_record("zhangsan", at(2026, 11, 16, 18, 5), location_title=XSS_PLACE),
        make_record("lisi", at(2026, 11, 16, 9, 20)),
        make_record("lisi", at(2026, 11, 16, 18, 1)),
        make_record("wangwu", at(2026, 11, 16, 8, 50)),
        make_record("wangwu", at(2026, 11, 16, 18, 2)),
    ]
    assert wire.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0


def test_a_visitor_without_a_session_is_sent_to_the_login_page(api: TestClient) -> None:
    answer = api.get("/console/month", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/login?next=/console/month"


def test_every_console_page_carries_the_security_headers(signed_in: Any) -> None:
    client = signed_in("hr")
    for path in ("/console/login", "/console/today", "/console/static/console.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"


def test_the_session_cookie_is_httponly_and_samesite(api: TestClient, accounts: None) -> None:
    answer = sign_in(api, "hr")
    cookie = answer.headers["set-cookie"].lower()
    assert "daka_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_user_text_in_punches_renders_as_text(signed_in: Any, wire: Wire) -> None:
    punch_week(wire)
    html = signed_in("hr").get("/console/punches", params={"since": MONDAY, "until": MONDAY}).text
    assert "&lt;script&gt;alert(&#39;notes&#39;)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_a_form_without_the_sessions_csrf_token_changes_nothing(
    signed_in: Any, wire: Wire, store: Store
) -> None:
    punch_week(wire)
    client = signed_in("hr")
    url = f"/console/day/lisi/{MONDAY}/correction"
    form = {"point": "32400", "time": "09:00", "reason": "forgot"}
    for token in (None, "forged-token"):
        data = form if token is None else {**form, "csrf": token}
        answer = client.post(url, data=data, follow_redirects=False)
        assert answer.status_code == 403
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        assert store.correction_count(conn, corp.id, "lisi", 0, 2**40) == 0


def test_a_login_post_without_the_forms_token_is_refused(api: TestClient, accounts: None) -> None:
    answer = api.post("/console/login", data={"username": "hr", "password": "x" * 10})
    assert answer.status_code == 403


def test_five_wrong_passwords_lock_the_account_for_the_browser_too(
    api: TestClient, accounts: None
) -> None:
    for _ in range(4):
        assert sign_in(api, "hr", "wrong-password").status_code == 401
    fifth = sign_in(api, "hr", "wrong-password")
    assert fifth.status_code == 403 and "锁定" in fifth.text
    locked = sign_in(api, "hr")  # the right password, too late
    assert locked.status_code == 403 and "锁定" in locked.text
    assert "daka_session" not in locked.headers.get("set-cookie", "")


def test_a_correction_from_the_day_page_adds_a_punch_and_an_audit_entry(
    signed_in: Any, wire: Wire, store: Store
) -> None:
    punch_week(wire)
    client = signed_in("hr")
    day = client.get(f"/console/day/lisi/{MONDAY}")
    assert day.status_code == 200
    answer = client.post(
        f"/console/day/lisi/{MONDAY}/correction",
        data={"csrf": csrf_of(day.text), "point": "32400", "time": "08:58", "reason": "gate down"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        punches = store.punches(conn, corp.id, ["lisi"], at(2026, 11, 16), at(2026, 11, 17))
        trail = store.audit(conn, corp.id)
    times = [(p.time, p.source) for p in punches["lisi"]]
    assert (at(2026, 11, 16, 9, 20), 0) in times  # the raw punch stays
    assert (at(2026, 11, 16, 8, 58), 1) in times  # the correction is a punch of its own
    assert trail[0]["username"] == "hr" and trail[0]["action"] == "correction"
    assert trail[0]["detail"]["reason"] == "gate down"
    assert trail[0]["target"] == f"lisi {MONDAY}"


def test_a_department_admin_never_reaches_another_department(signed_in: Any, wire: Wire) -> None:
    punch_week(wire)
    client = signed_in("rd")
    week = {"since": MONDAY, "until": "2026-11-20"}
    punches = client.get("/console/punches", params=week).text
    assert "张三" in punches and "李四" in punches and "王五" not in punches
    for path in (f"/console/day/wangwu/{MONDAY}", "/console/person/wangwu"):
        assert client.get(path).status_code == 404
    assert "王五" not in client.get("/console/month", params=week).text
    exported = client.get("/console/month.csv", params=week)
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sorted(r["userid"] for r in rows) == ["lisi", "zhangsan"]
    # Asking for a department outside the scope shows nobody rather than an error.
    assert "张三" not in client.get("/console/punches", params={**week, "department": 1}).text


def test_a_viewer_reads_but_cannot_change_anything(signed_in: Any, wire: Wire) -> None:
    punch_week(wire)
    client = signed_in("viewer")
    day = client.get(f"/console/day/lisi/{MONDAY}")
    assert day.status_code == 200 and "王五" not in day.text
    answer = client.post(
        f"/console/day/lisi/{MONDAY}/correction",
        data={"csrf": csrf_of(day.text), "point": "32400", "time": "08:58", "reason": "x"},
    )
    assert answer.status_code == 403


def test_the_month_grid_filters_to_those_late_and_exports_exactly_them(
    signed_in: Any, wire: Wire
) -> None:
    punch_week(wire)
    client = signed_in("hr")
    week = {"since": MONDAY, "until": MONDAY, "only": "1"}
    grid = client.get("/console/month", params=week).text
    assert "李四" in grid and "张三" not in grid
    assert "迟到20分钟" in grid
    exported = client.get("/console/month.csv", params=week)
    assert [r["userid"] for r in csv.DictReader(io.StringIO(exported.text))] == ["lisi"]


def test_the_punch_list_pages_through_every_line_once_whatever_the_page_size(
    service: Service, wire: Wire
) -> None:
    punch_week(wire)
    store = service.store
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    view = service.view(corp.id)
    people = list(view.users)
    query = queries.PunchQuery(date(2026, 11, 16), date(2026, 11, 20))
    now = service.now()
    with store.read() as conn:
        everything = queries.punch_entries(conn, store, view, people, query, now)
        expected = [e for u in people for e in everything[u]]
        assert sum(1 for e in expected if e.punch is not None) == 6
        for size in range(1, 8):
            seen, cursor = [], (0, 0)
            while True:
                page = queries.punch_page(conn, store, view, people, query, now, cursor, size)
                assert len(page.entries) <= size
                seen.extend(page.entries)
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            assert seen == expected, size


def test_a_punch_attachment_shows_as_a_thumbnail_served_by_daka(signed_in: Any, wire: Wire) -> None:
    from tests.factories import PNG_BYTES

    media_id = wire.upload_media(PNG_BYTES)["media_id"]
    record = make_record("zhangsan", at(2026, 11, 16, 8, 55), mediaids=[media_id])
    assert wire.post("checkin/add_checkin_record", {"records": [record]})["errcode"] == 0
    client = signed_in("hr")
    html = client.get("/console/punches", params={"since": MONDAY, "until": MONDAY}).text
    assert f'<img src="/console/media/{media_id}"' in html
    image = client.get(f"/console/media/{media_id}")
    assert image.status_code == 200 and image.content == PNG_BYTES
    assert image.headers["content-type"] == "image/png"
    assert client.get("/console/media/not-a-media-id").status_code == 404


def test_hr_sets_a_balance_with_a_reason_and_the_person_page_shows_it(
    signed_in: Any, store: Store
) -> None:
    from daka.services.org import load_org
    from tests.approval_factories import VACATIONS
    from tests.console.conftest import console_org

    org = console_org()
    org["corps"][0]["vacations"] = VACATIONS
    load_org(store, org)
    client = signed_in("hr")
    page = client.get("/console/person/lisi")
    answer = client.post(
        "/console/person/lisi/balance",
        data={"csrf": csrf_of(page.text), "vacation": "1", "amount": "2.5", "reason": "补发"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    shown = client.get("/console/person/lisi").text
    assert "年假" in shown and "2.5 天" in shown
    refused = client.post(
        "/console/person/lisi/balance",
        data={"csrf": csrf_of(page.text), "vacation": "1", "amount": "-1", "reason": "x"},
    )
    assert refused.status_code == 400
    assert "2.5 天" in client.get("/console/person/lisi").text


def test_punches_no_window_took_are_listed_as_not_taken(signed_in: Any, wire: Wire) -> None:
    saturday = at(2026, 11, 21, 10, 0)  # a rest day: rule 1 allows no rest-day punching
    records = [make_record("zhangsan", saturday), make_record("zhaoliu", at(2026, 11, 18, 9))]
    assert wire.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0
    client = signed_in("hr")
    html = client.get(
        "/console/punches",
        params={"since": MONDAY, "until": "2026-11-22", "exception": "not_taken"},
    ).text
    assert html.count('class="not-taken"') == 2
    assert "张三" in html and "赵六" in html  # zhaoliu's shift rule has no shift that day


def test_signing_out_ends_the_session(signed_in: Any) -> None:
    client = signed_in("hr")
    today = client.get("/console/today")
    answer = client.post(
        "/console/logout", data={"csrf": csrf_of(today.text)}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert client.get("/console/today", follow_redirects=False).status_code == 303


def test_over_https_the_session_cookie_is_secure(service: Service, accounts: None) -> None:
    from daka.api.app import create_app

    with TestClient(create_app(service), base_url="https://daka.example") as client:
        answer = sign_in(client, "hr")
    assert answer.status_code == 303
    assert "secure" in answer.headers["set-cookie"].lower()


def test_a_department_admin_sees_and_acts_on_its_peoples_forms_only(
    signed_in: Any, service: Service
) -> None:
    from daka.services import approvals
    from daka.services.org import load_org
    from daka.wire.approvals import ApplyEventRequest
    from tests.approval_factories import VACATIONS, approval_corp, leave_form
    from tests.console.conftest import console_org

    org = console_org()
    corp = approval_corp(rules=org["corps"][0]["checkin_groups"], vacations=VACATIONS)
    corp["users"] = org["corps"][0]["users"]
    load_org(service.store, {"corps": [corp]})
    with service.store.read() as conn:
        found = service.store.corp_by_corpid(conn, CORPID)
    assert found is not None
    view = service.view(found.id)
    numbers = {}
    for userid in ("lisi", "wangwu"):
        body = leave_form(3, at(2026, 11, 25), at(2026, 11, 25, 12), creator=userid)
        numbers[userid] = approvals.apply_event(
            service.store, view, ApplyEventRequest.parse(body), service.now()
        )
    client = signed_in("rd")
    listed = client.get("/console/approvals").text
    assert numbers["lisi"] in listed and numbers["wangwu"] not in listed
    answer = client.post(
        f"/console/approvals/{numbers['wangwu']}/reject", data={"csrf": csrf_of(listed)}
    )
    assert answer.status_code == 404
    assert "审批中" in signed_in("hr").get("/console/approvals").text  # wangwu's still pending


def test_today_can_be_narrowed_to_a_department(signed_in: Any) -> None:
    client = signed_in("hr")
    everyone = client.get("/console/today").text
    backend = client.get("/console/today", params={"department": 3}).text
    # The fake clock is Monday 12:00: everyone on rule 1 is due; only lisi is in Backend.
    assert 'id="n-expected">3<' in everyone
    assert 'id="n-expected">1<' in backend


def test_the_punch_list_downloads_exactly_its_filtered_lines(signed_in: Any, wire: Wire) -> None:
    import openpyxl

    punch_week(wire)
    client = signed_in("hr")
    late = {"since": MONDAY, "until": "2026-11-20", "exception": "时间异常"}
    rows = list(csv.DictReader(io.StringIO(client.get("/console/punches.csv", params=late).text)))
    assert [(r["userid"], r["time"], r["exception_type"]) for r in rows] == [
        ("lisi", "2026-11-16T09:20:00+08:00", "时间异常")
    ]
    everything = client.get("/console/punches.xlsx", params={"since": MONDAY, "until": MONDAY})
    assert everything.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(everything.content))["打卡详情"]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == 6 and {line[0] for line in lines} == {"zhangsan", "lisi", "wangwu"}
    assert XSS_NOTES in {line[16] for line in lines}  # data, as it was punched
    assert client.get("/console/punches.pdf").status_code == 404


def test_the_punch_list_filters_by_source_and_type(
    service: Service, wire: Wire, store: Store
) -> None:
    punch_week(wire)
    phone = make_record("wangwu", at(2026, 11, 17, 8, 50), device_type=3, device_detail="iPhone")
    assert wire.post("checkin/add_checkin_record", {"records": [phone]})["errcode"] == 0
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    view = service.view(corp.id)
    people = list(view.users)

    def times(**filters: str) -> list[tuple[str, int]]:
        query = queries.PunchQuery(date(2026, 11, 16), date(2026, 11, 17), **filters)
        with store.read() as conn:
            found = queries.punch_entries(conn, store, view, people, query, service.now())
        return [(e.userid, e.time) for u in people for e in found[u]]

    assert times(source="3") == [("wangwu", at(2026, 11, 17, 8, 50))]
    assert len(times(source="2")) == 6 and times(source="correction") == []
    assert len(times(source="record")) == 7
    on_duty = times(kind="上班打卡")
    assert ("lisi", at(2026, 11, 16, 9, 20)) in on_duty
    assert ("lisi", at(2026, 11, 16, 18, 1)) not in on_duty


def test_bad_forms_are_answered_with_a_reason_and_change_nothing(
    signed_in: Any, wire: Wire, store: Store
) -> None:
    punch_week(wire)
    client = signed_in("hr")
    day = client.get(f"/console/day/lisi/{MONDAY}")
    token = csrf_of(day.text)
    no_reason = client.post(
        f"/console/day/lisi/{MONDAY}/correction",
        data={"csrf": token, "point": "32400", "time": "08:58", "reason": ""},
    )
    assert no_reason.status_code == 200 and 'role="alert"' in no_reason.text
    new = client.get("/console/approvals/new")
    no_template = client.post(
        "/console/approvals/new",
        data={"csrf": token, "userid": "lisi", "template": "nope", "begin": "", "end": ""},
    )
    assert no_template.status_code == 400 and 'role="alert"' in no_template.text
    assert "<form" in new.text
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        assert corp is not None
        assert store.correction_count(conn, corp.id, "lisi", 0, 2**40) == 0
        assert store.audit(conn, corp.id) == []

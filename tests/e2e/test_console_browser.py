"""The HR console in a real browser (Playwright driving Debian's Chromium) against a real
``daka serve``: an HR person finds who was late, acts on leave and a correction, and
downloads the payroll export; CSRF, lock-out, department scope and escaping hold.

Skipped when Chromium is missing, except under ``CI=true`` (``.ci/run`` installs it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest

from daka.services.admins import hash_password
from tests.approval_factories import VACATIONS, approval_corp
from tests.e2e.conftest import Api, DakaServer, at_day, past_monday, start_server
from tests.factories import make_org, make_record, make_rule

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "browser-pass-1"
XSS_NOTES = "<script>window.hacked = 1</script>"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but Chromium is missing: .ci/run installs Debian's chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

MONDAY = past_monday()
TUESDAY = MONDAY + timedelta(days=1)
FRIDAY = MONDAY + timedelta(days=4)


def console_org() -> dict[str, Any]:
    password_hash = hash_password(PASSWORD)
    corp = approval_corp(
        rules=[make_rule(allow_apply_offworkday=True, sync_holidays=False)],
        vacations=VACATIONS,
        admins=[
            {"username": "hr", "password_hash": password_hash, "role": "admin"},
            {
                "username": "rd",
                "password_hash": password_hash,
                "role": "department",
                "departments": [2],
            },
            {"username": "lockme", "password_hash": password_hash, "role": "viewer"},
        ],
    )
    return make_org(corp)


def punch_the_week(server: DakaServer) -> None:
    """Everyone on time all week, except: lisi 20 minutes late on Monday, zhangsan away
    all Tuesday (absent until a leave covers it), and zhangsan's Monday note holds a script."""
    records = []
    for n in range(5):
        day = MONDAY + timedelta(days=n)
        for userid in ("zhangsan", "lisi", "wangwu"):
            if userid == "zhangsan" and day == TUESDAY:
                continue
            start = "09:20" if (userid == "lisi" and day == MONDAY) else "08:55"
            notes = XSS_NOTES if (userid == "zhangsan" and day == MONDAY) else ""
            records.append(make_record(userid, at_day(day, start), notes=notes))
            records.append(make_record(userid, at_day(day, "18:05")))
    api = Api(server.base_url)
    try:
        assert api.post("checkin/add_checkin_record", {"records": records})["errcode"] == 0
    finally:
        api.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DakaServer]:
    running = start_server(tmp_path_factory.mktemp("console"), org=console_org())
    punch_the_week(running)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: DakaServer) -> Iterator[Page]:
    """A fresh browser context; every request it makes is recorded for the offline check."""
    context = browser.new_context(base_url=server.base_url, accept_downloads=True)
    opened = context.new_page()
    opened.requests_seen = []  # type: ignore[attr-defined]
    opened.on("request", lambda r: opened.requests_seen.append(r.url))  # type: ignore[attr-defined]
    opened.on("dialog", lambda d: d.accept())
    yield opened
    context.close()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/console/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def month_cell(page: Page, name: str, day: Any) -> Any:
    return page.locator("#month-grid tr", has=page.get_by_role("rowheader", name=name)).locator(
        f'td.cell a[href$="/{day.isoformat()}"]'
    )


def test_hr_finds_who_was_late_acts_on_it_and_downloads_the_month(
    page: Page, tmp_path: Path
) -> None:
    sign_in(page, "hr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("今日考勤")

    # 打卡明细: only the late punches of the week.
    week = f"since={MONDAY}&until={FRIDAY}"
    page.goto(f"/console/punches?{week}")
    page.get_by_label("异常", exact=True).select_option("时间异常")
    page.get_by_role("button", name="查询").click()
    table = page.locator("#punch-table tbody")
    expect(table).to_contain_text("李四")
    expect(table).not_to_contain_text("王五")

    # A punch whose notes hold a script shows the script as text and runs nothing.
    page.goto(f"/console/punches?since={MONDAY}&until={MONDAY}")
    expect(page.locator("td.notes", has_text=XSS_NOTES)).to_have_count(1)
    assert page.evaluate("window.hacked") is None

    # The month grid: lisi's Monday reads as WeCom writes it; zhangsan's Tuesday is 旷工.
    page.goto(f"/console/month?{week}")
    expect(month_cell(page, "李四", MONDAY)).to_have_text("迟到20分钟")
    expect(month_cell(page, "张三", TUESDAY)).to_have_text("旷工")

    # Drill into lisi's Monday and correct the on-duty punch (补卡), with a reason.
    month_cell(page, "李四", MONDAY).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("李四")
    expect(page.locator("#report-lines")).to_contain_text("迟到")
    page.get_by_label("补哪一次打卡").select_option(label="上班打卡 09:00 (时间异常)")
    page.get_by_label("打卡时间").fill("08:58")
    page.get_by_label("原因").fill("闸机故障 gate down")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("correction")

    # File a sick leave for zhangsan's Tuesday, approve it: the day turns to leave.
    page.goto(f"/console/approvals/new?userid=zhangsan&date={TUESDAY}")
    page.get_by_label("类型").select_option("tpl-leave")
    page.get_by_label("假期").select_option(label="病假")
    page.get_by_label("开始").fill(f"{TUESDAY}T09:00")
    page.get_by_label("结束").fill(f"{TUESDAY}T18:00")
    page.get_by_label("原因").fill("发烧")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_contain_text("file")
    pending = page.locator("#approvals tbody tr", has_text="审批中").first
    pending.get_by_role("button", name="通过").click()
    expect(page.locator("#approvals tbody")).to_contain_text("已通过")

    page.goto(f"/console/month?{week}")
    expect(month_cell(page, "李四", MONDAY)).to_have_text("正常")
    expect(month_cell(page, "张三", TUESDAY)).to_contain_text("病假")

    # Those late this month, and the payroll workbook of exactly them.
    page.get_by_label("只看", exact=True).select_option("1")
    page.get_by_role("button", name="查询").click()
    # lisi's only lateness was corrected: nobody is late this week any more.
    expect(page.get_by_text("没有符合条件的记录")).to_be_visible()
    page.get_by_label("只看", exact=True).select_option("")
    page.get_by_role("button", name="查询").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("上下班打卡_月报_")
    sheet = openpyxl.load_workbook(saved)["上下班打卡_月报"]
    names = {row[0] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert {"张三", "李四", "王五"} <= names

    # Nothing the console loaded came from anywhere but daka itself.
    hosts = {urlsplit(u).hostname for u in page.requests_seen}  # type: ignore[attr-defined]
    assert hosts == {"127.0.0.1"}


def test_a_department_admin_cannot_reach_another_department_by_url(page: Page) -> None:
    sign_in(page, "rd")
    expect(page.get_by_role("heading", level=1)).to_contain_text("今日考勤")
    answer = page.goto(f"/console/day/wangwu/{MONDAY}")
    assert answer is not None and answer.status == 404
    page.goto(f"/console/month?since={MONDAY}&until={FRIDAY}")
    expect(page.locator("#month-grid tbody")).to_contain_text("张三")
    expect(page.locator("#month-grid tbody")).not_to_contain_text("王五")


def test_a_post_without_the_csrf_token_is_refused(page: Page) -> None:
    sign_in(page, "hr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("今日考勤")
    answer = page.request.post(
        f"/console/day/lisi/{MONDAY}/correction",
        form={"point": "32400", "time": "08:00", "reason": "forged"},
    )
    assert answer.status == 403


def test_five_wrong_passwords_lock_the_account(page: Page) -> None:
    for _ in range(5):
        sign_in(page, "lockme", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("锁定")
    sign_in(page, "lockme")
    expect(page.get_by_role("alert")).to_contain_text("锁定")
    assert "/console/login" in page.url


UNLABELLED = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 60))"""

HEADLESS_TABLES = """() => Array.from(document.querySelectorAll('table'))
  .filter(t => !t.querySelector('th')).map(t => t.id || t.className)"""

# The WCAG 2 contrast ratio of each element's own text against the background it sits on.
LOW_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.offsetParent) continue;
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const text = el.textContent.trim().slice(0, 20);
    if (ratio < 4.5) low.push(el.tagName + ' ' + text + ' ' + ratio.toFixed(2));
  }
  return low;
}"""

EVERY_PAGE = (
    "/console/today",
    f"/console/punches?since={MONDAY}&until={FRIDAY}",
    f"/console/days?since={MONDAY}&until={FRIDAY}",
    f"/console/month?since={MONDAY}&until={FRIDAY}",
    f"/console/trends?since={MONDAY}&until={FRIDAY}",
    f"/console/day/lisi/{MONDAY}",
    "/console/person/lisi",
    "/console/approvals",
    "/console/approvals/new",
    "/console/people",
    "/console/rules",
    "/console/holidays",
    "/console/audit",
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_has_labelled_controls_headed_tables_and_readable_contrast(
    page: Page, lang: str
) -> None:
    sign_in(page, "hr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("今日考勤")
    page.goto(f"/console/lang?to={lang}&next=/console/today")
    for path in EVERY_PAGE:
        answer = page.goto(path)
        assert answer is not None and answer.status == 200, path
        assert page.evaluate(UNLABELLED) == [], path
        assert page.evaluate(HEADLESS_TABLES) == [], path
        assert page.evaluate(LOW_CONTRAST) == [], path
    # The checks do catch what they look for: pale text, a select nobody labelled.
    page.evaluate(
        """() => { const p = document.createElement('p'); p.textContent = 'pale';
                   p.style.color = '#cccccc'; document.querySelector('main').append(p);
                   document.querySelector('main').append(document.createElement('select')); }"""
    )
    assert any("pale" in low for low in page.evaluate(LOW_CONTRAST))
    assert len(page.evaluate(UNLABELLED)) == 1


def test_the_keyboard_reaches_the_content_first(page: Page) -> None:
    sign_in(page, "hr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("今日考勤")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

"""The ``daka`` command: serve, migrate, load org files. Commands are thin wrappers."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from rich.console import Console

from daka.api import accesslog
from daka.api.app import create_app
from daka.services.heap import tune_collector
from daka.services.media import default_media_dir
from daka.services.org import OrgFileError, load_org, read_org_file
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.services.workers import ReportWorkers, default_processes, shareable
from daka.settings import DEFAULT_DB, Settings
from daka.storage.engine import create_db_engine, upgrade
from daka.storage.store import Store

# soft_wrap: a log line must stay one line when stderr is a file or a pipe, not a terminal.
console = Console(stderr=True, soft_wrap=True)

db_option = click.option(
    "--db",
    "db_url",
    default=None,
    metavar="URL",
    help=f"sqlite:///path or postgresql://… (default {DEFAULT_DB}, or $DAKA_DB)",
)


def _open_store(db_url: str) -> Store:
    engine = create_db_engine(db_url)
    upgrade(engine)
    return Store(engine)


@click.group()
@click.version_option(package_name="daka")
def main() -> None:
    """daka: a self-hosted attendance service that speaks WeCom's check-in API."""


@main.command()
@db_option
@click.option(
    "--org",
    "org_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Load (upsert) this org file before serving.",
)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--rate-limits",
    type=click.Choice(["wecom", "off"]),
    default="wecom",
    show_default=True,
    help="Enforce WeCom's per-minute limits, or not.",
)
@click.option("--demo", is_flag=True, help="Load the demo corp with a month of punches.")
@click.option(
    "--report-workers",
    type=click.IntRange(min=0),
    help="Worker processes for large report calls (default: one per CPU beyond the first).",
)
def serve(
    db_url: str | None,
    org_file: Path | None,
    host: str,
    port: int,
    rate_limits: str,
    demo: bool,
    report_workers: int | None,
) -> None:
    """Run the WeCom-compatible HTTP server."""
    import uvicorn

    settings = Settings.from_env(
        db_url=db_url,
        org_file=org_file,
        host=host,
        port=port,
        rate_limits=rate_limits == "wecom",
        demo=demo,
        report_workers=report_workers,
    )
    store = _open_store(settings.db_url)
    if settings.org_file is not None:
        _load_org_file(store, settings.org_file, int(settings.clock()()))
    if settings.demo:
        from daka.demo import (
            DEMO_AGENTID,
            DEMO_APPROVAL_AGENTID,
            DEMO_APPROVAL_SECRET,
            DEMO_CONSOLE_PASSWORD,
            DEMO_SECRET,
            seed_demo,
        )

        now = int(settings.clock()())
        today = datetime.fromtimestamp(now, ZoneInfo("Asia/Shanghai")).date()
        corpid = seed_demo(store, today, now)
        console.print(
            f"[bold]demo corp loaded[/bold]: corpid [cyan]{corpid}[/cyan] "
            f"secret [cyan]{DEMO_SECRET}[/cyan] (agentid {DEMO_AGENTID}); "
            f"审批 app secret [cyan]{DEMO_APPROVAL_SECRET}[/cyan] (agentid {DEMO_APPROVAL_AGENTID})"
        )
        console.print(
            f"[bold]console[/bold]: http://{settings.host}:{settings.port}/console/ "
            f"user [cyan]hr[/cyan] (whole corp) or [cyan]rd-lead[/cyan] (R&D only), "
            f"password [cyan]{DEMO_CONSOLE_PASSWORD}[/cyan]"
        )
    media_dir = (settings.media_dir or default_media_dir(settings.db_url)).absolute()
    service = Service(
        store,
        clock=settings.clock(),
        token_ttl=settings.token_ttl,
        rate_limiter=RateLimiter(enabled=settings.rate_limits),
        day_cache_rows=settings.day_cache_rows,
        media_dir=media_dir,
        report_workers=_report_workers(settings),
    )
    console.print(
        f"daka serving {settings.db_url} on http://{settings.host}:{settings.port} "
        f"(media files in {media_dir})"
    )
    _warn_about_holidays(store, service)
    accesslog.configure(sys.stdout)
    tune_collector()
    uvicorn.run(
        create_app(service),
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
    )


def _report_workers(settings: Settings) -> ReportWorkers | None:
    count = settings.report_workers
    if count is None:
        count = default_processes()
    if count <= 0 or not shareable(settings.db_url):
        return None
    return ReportWorkers(settings.db_url, count)


def _warn_about_holidays(store: Store, service: Service) -> None:
    """Say loudly which corps follow statutory holidays in a year nobody has data for."""
    from rich.markup import escape

    from daka.services.holidays import startup_warnings

    with store.read() as conn:
        corps = store.corps(conn)
    for warning in startup_warnings([service.view(c.id) for c in corps], service.now()):
        console.print(f"[bold yellow]warning:[/bold yellow] {escape(warning)}")


def _load_org_file(store: Store, path: Path, now: int) -> None:
    try:
        corpids = load_org(store, read_org_file(path), now=now)
    except OrgFileError as exc:
        console.print(f"[red]error in {path}:[/red] {exc}")
        sys.exit(2)
    console.print(f"loaded {path}: {', '.join(corpids) or 'no corps'}")


@main.command("explain")
@click.argument("userid")
@click.argument("day", metavar="DATE")
@click.option("--corpid", required=True, help="The corp the user belongs to.")
@db_option
def explain_cmd(userid: str, day: str, corpid: str, db_url: str | None) -> None:
    """Show why USERID's check-in rows on DATE (YYYY-MM-DD) are what they are."""
    import orjson

    from daka.domain.errors import DakaError
    from daka.services.explain import explain_day
    from daka.wire.requests import ExplainRequest

    settings = Settings.from_env(db_url=db_url)
    store = _open_store(settings.db_url)
    service = Service(store, clock=settings.clock())
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, corpid)
    if corp is None:
        console.print(f"[red]no corp {corpid}[/red]")
        sys.exit(2)
    try:
        request = ExplainRequest.parse({"userid": userid, "date": day})
        result = explain_day(store, service.view(corp.id), request, service.now())
    except DakaError as exc:
        console.print(f"[red]{exc.message}[/red]")
        sys.exit(2)
    click.echo(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())


def _zone(name: str) -> ZoneInfo:
    """The ``--tz`` option as a timezone, or a usage error."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--tz") from None


@main.command("fetch")
@click.argument("endpoint")
@click.option(
    "--from",
    "base_url",
    default="https://qyapi.weixin.qq.com",
    show_default=True,
    help="WeCom, or a daka server's URL.",
)
@click.option("--corpid", required=True)
@click.option("--secret", required=True, help="The app's secret (corpsecret).")
@click.option("--users", default="", help="Comma-separated userids (any number).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option(
    "--type",
    "kind",
    type=click.Choice(["1", "2", "3"]),
    default="3",
    show_default=True,
    help="getcheckindata: 1 上下班, 2 外出, 3 all.",
)
@click.option("--body", help="Send this JSON as it is (any endpoint, no batching).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--tz",
    default="Asia/Shanghai",
    show_default=True,
    help="The corp's timezone: of --since/--until, and of the CSV's ISO 8601 times.",
)
def fetch_cmd(
    endpoint: str,
    base_url: str,
    corpid: str,
    secret: str,
    users: str,
    since: datetime | None,
    until: datetime | None,
    kind: str,
    body: str | None,
    fmt: str,
    tz: str,
) -> None:
    """Print ENDPOINT's answer (e.g. getcheckindata) as JSON or CSV, via the SDK."""
    import orjson

    from daka.client import Client, WeComError
    from daka.fetch import FetchError, fetch, to_csv, to_json

    try:
        parsed_body = orjson.loads(body) if body else None
    except orjson.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--body") from None
    zone = _zone(tz)
    try:
        with Client(corpid, secret, base_url=base_url) as client:
            answer = fetch(
                client,
                endpoint,
                users=[u for u in users.split(",") if u],
                since=since.date() if since else None,
                until=until.date() if until else None,
                kind=int(kind),
                body=parsed_body,
                tz=zone,
            )
        text = to_csv(endpoint, answer, zone) if fmt == "csv" else to_json(answer)
        click.echo(text, nl=False)
        if fmt == "json":
            click.echo()
    except FetchError as exc:
        raise click.UsageError(str(exc)) from None
    except WeComError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(1)


class _RichProgress:
    """The sync runner's progress as a rich progress bar, one task per stage."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._task: Any = None

    def stage(self, name: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total)
        self._task = self._progress.add_task(name, total=max(total, 1))

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)


@main.command("sync")
@click.option(
    "--from",
    "base_url",
    default="https://qyapi.weixin.qq.com",
    show_default=True,
    help="WeCom, or another daka server's URL.",
)
@click.option("--corpid", required=True)
@click.option("--secret", required=True, help="The app's secret (corpsecret).")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Mirror records from this day (first run default: the 1st of last month); "
    "given again later, re-reads from it.",
)
@click.option("--users", default="", help="Comma-separated userids (default: everyone).")
@click.option("--tz", default="Asia/Shanghai", show_default=True, help="The corp's timezone.")
@click.option(
    "--agentid",
    default=1,
    show_default=True,
    type=int,
    help="The local app that answers the same corpid and secret.",
)
@click.option(
    "--overlap-days",
    default=31,
    show_default=True,
    type=click.IntRange(0, 366),
    help="Days before each user's cursor read again (late uploads, 补卡).",
)
@db_option
def sync_cmd(
    base_url: str,
    corpid: str,
    secret: str,
    since: datetime | None,
    users: str,
    tz: str,
    agentid: int,
    overlap_days: int,
    db_url: str | None,
) -> None:
    """Mirror a corp's rules, schedules and check-in records into the local database."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from daka.client import Client, WeComError
    from daka.sync import SyncError, SyncOptions, sync_corp

    _zone(tz)
    settings = Settings.from_env(db_url=db_url)
    store = _open_store(settings.db_url)
    options = SyncOptions(
        corpid=corpid,
        secret=secret,
        base_url=base_url,
        since=since.date() if since else None,
        users=[u for u in users.split(",") if u],
        timezone=tz,
        agentid=agentid,
        overlap_days=overlap_days,
    )
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn())
    try:
        with (
            Client(corpid, secret, base_url=base_url) as client,
            Progress(*columns, console=console, transient=False) as bar,
        ):
            report = sync_corp(store, client, options, int(settings.clock()()), _RichProgress(bar))
    except SyncError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)
    except WeComError as exc:
        console.print(f"[red]{exc}[/red]\nwhat was mirrored so far is kept; run again to resume")
        sys.exit(1)
    except KeyboardInterrupt:
        console.print("interrupted: what was mirrored so far is kept; run again to resume")
        sys.exit(130)
    table = Table(title=f"daka sync: {corpid}", show_header=False)
    for label, value in report.lines():
        table.add_row(label, value)
    Console().print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """Apply pending migrations."""
    settings = Settings.from_env(db_url=db_url)
    _open_store(settings.db_url)
    console.print(f"{settings.db_url} is up to date")


@main.group()
def org() -> None:
    """Directory and rules (the org file)."""


@org.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def org_load(file: Path, db_url: str | None) -> None:
    """Upsert FILE's corps, apps, departments, users, tags and rules."""
    settings = Settings.from_env(db_url=db_url)
    _load_org_file(_open_store(settings.db_url), file, int(settings.clock()()))


@main.group()
def holidays() -> None:
    """Statutory holiday calendars (docs/holidays.md)."""


def _corp_of(store: Store, corpid: str | None) -> Any:
    """The corp ``--corpid`` names (None without the option), or exit 2."""
    if corpid is None:
        return None
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, corpid)
    if corp is None:
        console.print(f"[red]no corp {corpid}[/red]")
        sys.exit(2)
    return corp


@holidays.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpid", default=None, help="Load it as this corp's own (default: server-wide).")
@db_option
def holidays_load(file: Path, corpid: str | None, db_url: str | None) -> None:
    """Load FILE's holiday calendar (one year, or {"years": [...]}); nothing if it is wrong."""
    import orjson

    from daka.services.holidays import CHINA, load_years
    from daka.wire.holidays import HolidayFileError, parse_file

    settings = Settings.from_env(db_url=db_url)
    try:
        years = parse_file(orjson.loads(file.read_bytes()))
    except orjson.JSONDecodeError as exc:
        console.print(f"[red]error in {file}:[/red] not valid JSON: {exc}")
        sys.exit(2)
    except HolidayFileError as exc:
        console.print(f"[red]error in {file}:[/red] {exc}")
        sys.exit(2)
    store = _open_store(settings.db_url)
    corp = _corp_of(store, corpid)
    tz = ZoneInfo(corp.timezone) if corp is not None else CHINA
    loaded = load_years(
        store, corp.id if corp is not None else 0, years, int(settings.clock()()), tz
    )
    scope = f"corp {corpid}" if corp is not None else "server-wide"
    console.print(f"loaded {file} ({scope}):")
    for item in loaded:
        console.print(f"  {item.describe()}")


@holidays.command("show")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option(
    "--corpid", default=None, help="The calendar this corp follows (default: server-wide)."
)
@db_option
def holidays_show(year: int, corpid: str | None, db_url: str | None) -> None:
    """Print the holiday calendar of YEAR in force and where it comes from."""
    from datetime import date

    from daka.services.holidays import calendar_for, describe_year

    settings = Settings.from_env(db_url=db_url)
    store = _open_store(settings.db_url)
    corp = _corp_of(store, corpid)
    with store.read() as conn:
        rows = store.holiday_calendars(conn, corp.id if corp is not None else 0)
    info = describe_year(calendar_for(rows), year)
    scope = f"corp {corpid}" if corp is not None else "server-wide"
    if not info["covered"] and not info["holidays"]:
        click.echo(
            f"no holiday data for {year} ({scope}): neither the chinese-calendar package nor a "
            f"loaded file covers it, so rules with sync_holidays treat every {year} day by its "
            f"weekday. Load the State Council's arrangement: daka holidays load FILE"
        )
        sys.exit(1)
    click.echo(f"{year} holidays ({scope})")
    click.echo(f"source: {info['source']}")
    click.echo(f"from:   {info['describe']}")
    click.echo("holidays:")
    for h in info["holidays"]:
        first, last = date.fromisoformat(h["from"]), date.fromisoformat(h["to"])
        days = (last - first).days + 1
        click.echo(f"  {h['name']}  {h['from']} – {h['to']} ({days} day{'s' if days > 1 else ''})")
    click.echo("make-up workdays:")
    if not info["makeup_workdays"]:
        click.echo("  (none)")
    for m in info["makeup_workdays"]:
        weekday = date.fromisoformat(m["date"]).strftime("%A")
        click.echo(f"  {m['name']}  {m['date']} ({weekday})")
    versions = info["versions"]
    if len(versions) > 1:
        click.echo("versions (newest first; each applies from its date on):")
        for v in versions:
            number = f"version {v['version']}" if v["version"] else "package"
            click.echo(f"  {v['origin']} {number} from {v['effective_from']}: {v['source']}")


@main.group()
def approval() -> None:
    """Act on 审批 forms as their approver: WeCom's app step, which its API leaves out."""


@main.group()
def overtime() -> None:
    """调休 from overtime counted by punches (docs/overtime.md §7)."""


@overtime.command("settle")
@click.option("--corpid", required=True)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The day to settle (default: yesterday in the corp's zone).",
)
@db_option
def overtime_settle(corpid: str, day: datetime | None, db_url: str | None) -> None:
    """Credit the 调休 a day's punch-counted overtime converts into (run it every night)."""
    from datetime import timedelta

    from daka.domain.calendar import local_date
    from daka.domain.errors import DakaError
    from daka.services.overtime import settle_day

    service, corp_id = _corp_service(corpid, db_url)
    view = service.view(corp_id)
    now = service.now()
    settled_day = day.date() if day is not None else local_date(now, view.tz) - timedelta(days=1)
    try:
        moved = settle_day(service.store, view, settled_day, now)
    except DakaError as exc:
        console.print(f"[red]{exc.message}[/red]")
        sys.exit(2)
    for m in moved:
        console.print(f"{m.userid}: {m.change:+d} (调休 for {settled_day}: {m.total})")
    console.print(f"{settled_day}: {len(moved)} people's 调休 changed")


def _corp_service(corpid: str, db_url: str | None) -> tuple[Service, int]:
    settings = Settings.from_env(db_url=db_url)
    store = _open_store(settings.db_url)
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, corpid)
    if corp is None:
        console.print(f"[red]no corp {corpid}[/red]")
        sys.exit(2)
    return Service(store, clock=settings.clock()), corp.id


@approval.command("list")
@click.option("--corpid", required=True)
@click.option("--creator", default=None, help="Only this applicant's forms.")
@click.option("--status", "sp_status", type=int, default=None, help="Only this sp_status.")
@db_option
def approval_list(
    corpid: str, creator: str | None, sp_status: int | None, db_url: str | None
) -> None:
    """List the corp's forms, oldest first, with whom each waits for."""
    from rich.table import Table

    from daka.domain.errors import DakaError
    from daka.services.approvals import list_approvals
    from daka.wire.approvals import ApprovalListRequest

    service, corp_id = _corp_service(corpid, db_url)
    view = service.view(corp_id)
    try:
        request = ApprovalListRequest.parse({"creator": creator, "sp_status": sp_status})
        rows = list_approvals(service.store, view, request)
    except DakaError as exc:
        console.print(f"[red]{exc.message}[/red]")
        sys.exit(2)
    table = Table("sp_no", "sp_name", "creator", "sp_status", "from", "to", "duration", "waits for")
    for r in rows:
        table.add_row(
            r["sp_no"],
            r["sp_name"],
            r["creator"],
            _status_name(r["sp_status"]),
            _local(r["begin"], view.tz),
            _local(r["end"], view.tz),
            str(r["duration"]),
            ", ".join(r["waiting_for"]),
        )
    Console(soft_wrap=True, width=200).print(table)


def _status_name(status: int) -> str:
    """``2 已通过``: an sp_status as the CLI prints it."""
    from daka.domain.approvals import SpStatus

    known = status in SpStatus._value2member_map_
    return f"{status} {SpStatus(status).label}" if known else str(status)


def _local(ts: int | None, tz: ZoneInfo) -> str:
    return "" if ts is None else datetime.fromtimestamp(ts, tz).strftime("%Y-%m-%d %H:%M")


def _approval_action(action_name: str, help_text: str) -> None:
    @approval.command(action_name, help=help_text)
    @click.argument("sp_no")
    @click.option("--corpid", required=True)
    @click.option("--as", "userid", default=None, help="Who acts (see the command's help).")
    @click.option("--speech", default="", help="审批意见.")
    @db_option
    def command(
        sp_no: str, corpid: str, userid: str | None, speech: str, db_url: str | None
    ) -> None:
        from daka.domain.approvals import Action
        from daka.domain.errors import DakaError
        from daka.services.approvals import Decision, act

        service, corp_id = _corp_service(corpid, db_url)
        try:
            done = act(
                service.store,
                service.view(corp_id),
                Decision(sp_no, Action(action_name), userid, speech),
                service.now(),
            )
        except DakaError as exc:
            console.print(f"[red]{exc.errcode} {exc.message}[/red]")
            sys.exit(2)
        click.echo(f"{done.sp_no} {_status_name(int(done.status))}")


_approval_action("approve", "Agree to SP_NO as --as (default: the one approver it waits for).")
_approval_action("reject", "Reject SP_NO as --as (default: the one approver it waits for).")
_approval_action(
    "revoke",
    "Withdraw SP_NO (审批中 → 已撤销, 已通过 → 通过后撤销); --as defaults to the applicant.",
)
_approval_action("delete", "Delete SP_NO (已删除); --as defaults to the applicant.")


# -- daka report: the day and month reports as xlsx or CSV (docs/exports.md) ----------------


@main.group()
def report() -> None:
    """Export the daily or monthly report as WeCom's xlsx layouts or CSV (docs/exports.md)."""


def _report_options(fn: Any) -> Any:
    options = [
        click.option("--corpid", required=True),
        click.option(
            "--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day."
        ),
        click.option("--until", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day."),
        click.option("--department", type=int, default=None, help="Only this department."),
        click.option("--with-children", is_flag=True, help="And the departments below it."),
        click.option("--users", default="", help="Comma-separated userids (default: everyone)."),
        click.option(
            "--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True
        ),
        click.option(
            "--out",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Output file (default: WeCom's file name for xlsx, stdout for CSV).",
        ),
        db_option,
        click.option(
            "--from", "base_url", default=None, help="Read a daka or WeCom server instead."
        ),
        click.option("--secret", default=None, help="The app's secret, with --from."),
        click.option(
            "--tz", default="Asia/Shanghai", show_default=True, help="The corp's zone, with --from."
        ),
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Processes evaluating a local export (default: one per CPU; 1: this one).",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@report.command("day")
@_report_options
def report_day(**options: Any) -> None:
    """One row per person and day: sheets 概况统计与打卡明细 and 打卡详情, or CSV."""
    _report("day", **options)


@report.command("month")
@_report_options
def report_month(**options: Any) -> None:
    """One row per person over the range, with a column per day: 上下班打卡_月报, or CSV."""
    _report("month", **options)


def _report(
    kind: str,
    *,
    corpid: str,
    since: datetime,
    until: datetime,
    department: int | None,
    with_children: bool,
    users: str,
    fmt: str,
    out: Path | None,
    db_url: str | None,
    base_url: str | None,
    secret: str | None,
    tz: str,
    jobs: int | None,
) -> None:
    import time
    from contextlib import ExitStack

    from rich.markup import escape

    from daka.client import Client, WeComError
    from daka.domain.errors import DakaError
    from daka.exports.run import Export, run_export
    from daka.exports.sources import LocalSource, RemoteSource, local_people, remote_people

    first, last = since.date(), until.date()
    if last < first:
        raise click.BadParameter("is before --since", param_hint="--until")
    if with_children and department is None:
        raise click.UsageError("--with-children needs --department")
    if users and department is not None:
        raise click.UsageError("--users or --department, not both")
    if (base_url is None) != (secret is None):
        raise click.UsageError("--from and --secret go together")
    settings = Settings.from_env(db_url=db_url)
    now = int(settings.clock()())
    started = time.monotonic()
    tune_collector()
    wanted = [u for u in users.split(",") if u]
    source: Any
    try:
        with ExitStack() as stack:
            if base_url is not None and secret is not None:
                client = stack.enter_context(Client(corpid, secret, base_url=base_url))
                source = RemoteSource(client, _zone(tz), _warn)
                people = wanted or remote_people(client, department, with_children)
            else:
                service, corp_id = _corp_service(corpid, db_url)
                view = service.view(corp_id)
                source = LocalSource(service.store, view, now)
                unknown = [u for u in wanted if u not in view.users]
                if unknown:
                    raise click.BadParameter(
                        f"not in {corpid}: {', '.join(unknown)}", param_hint="--users"
                    )
                people = wanted or local_people(view, department, with_children)
            export = Export(kind, fmt, first, last, now, out)
            advance = stack.enter_context(_progress(len(people)))
            jobs = jobs or default_processes() + 1
            written = run_export(source, people, export, advance, jobs)
    except WeComError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(1)
    except DakaError as exc:
        console.print(f"[red]{exc.message}[/red]")
        sys.exit(2)
    seconds = time.monotonic() - started
    console.print(
        f"{written.rows} rows, {len(people)} people → {escape(written.target)} in {seconds:.1f} s"
    )


def _warn(message: str) -> None:
    console.print(f"[yellow]warning:[/yellow] {message}")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar of people on stderr, drawn only when stderr is a terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if not console.is_terminal:
        yield lambda n: None
        return
    columns = (TextColumn("people"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("people", total=max(total, 1))
        yield lambda n: bar.advance(task, n)


# -- daka admin: HR console accounts (docs/console.md) ----------------------------------------


@main.group()
def admin() -> None:
    """Console accounts: who may sign in at /console/ (docs/console.md)."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@admin.command("create")
@click.option("--corpid", required=True)
@click.argument("username")
@click.option(
    "--role",
    type=click.Choice(["admin", "department", "viewer"]),
    default="admin",
    show_default=True,
    help="admin: the whole corp; department: only --department and below; viewer: read only.",
)
@click.option(
    "--department",
    "departments",
    type=int,
    multiple=True,
    help="A department the account sees, with its sub-departments (repeatable).",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@db_option
def admin_create(
    corpid: str,
    username: str,
    role: str,
    departments: tuple[int, ...],
    password_stdin: bool,
    db_url: str | None,
) -> None:
    """Create a console account of a corp."""
    from daka.domain.admins import Role
    from daka.services.admins import AdminError, check_account, create_admin, hash_password

    service, corp_id = _corp_service(corpid, db_url)
    view = service.view(corp_id)
    chosen = Role(role)
    try:
        check_account(username, chosen, departments, dict(view.departments))
        password_hash = hash_password(_read_password(password_stdin))
        service.store.transaction(
            lambda conn: create_admin(
                service.store,
                conn,
                corp_id,
                username,
                password_hash,
                chosen,
                departments,
                service.now(),
            )
        )
    except AdminError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)
    console.print(f"console account {username} ({role}) created for {corpid}")


@admin.command("list")
@click.option("--corpid", required=True)
@db_option
def admin_list(corpid: str, db_url: str | None) -> None:
    """List the corp's console accounts (never their passwords)."""
    from rich.table import Table

    service, corp_id = _corp_service(corpid, db_url)
    with service.store.read() as conn:
        accounts = service.store.admins(conn, corp_id)
    table = Table("username", "role", "departments", "state")
    now = service.now()
    for a in accounts:
        state = "disabled" if a.disabled else ("locked" if a.locked(now) else "active")
        table.add_row(a.username, a.role.value, ",".join(map(str, a.departments)), state)
    Console().print(table)


@admin.command("disable")
@click.option("--corpid", required=True)
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@db_option
def admin_disable(corpid: str, username: str, enable: bool, db_url: str | None) -> None:
    """Disable a console account (its sessions end at once), or --enable it again."""
    from daka.services.admins import AdminError, set_disabled

    service, corp_id = _corp_service(corpid, db_url)
    try:
        set_disabled(service.store, corp_id, username, not enable)
    except AdminError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)
    console.print(f"console account {username} {'enabled' if enable else 'disabled'}")


@admin.command("passwd")
@click.option("--corpid", required=True)
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
@db_option
def admin_passwd(corpid: str, username: str, password_stdin: bool, db_url: str | None) -> None:
    """Set a console account's password (its sessions end, a lock-out is lifted)."""
    from daka.services.admins import AdminError, hash_password, set_password

    service, corp_id = _corp_service(corpid, db_url)
    try:
        set_password(
            service.store, corp_id, username, hash_password(_read_password(password_stdin))
        )
    except AdminError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)
    console.print(f"password of {username} changed")


@admin.command("hash")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin's first line.")
def admin_hash(password_stdin: bool) -> None:
    """Print an argon2id hash for an org file's ``admins`` section."""
    from daka.services.admins import AdminError, hash_password

    try:
        click.echo(hash_password(_read_password(password_stdin)))
    except AdminError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)

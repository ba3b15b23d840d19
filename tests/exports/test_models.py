"""A local export builds the SDK's day models directly: they must be what the JSON gives."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from daka.client import DayReport as Model
from daka.domain.overtime import DayCategory, OvertimeDay, OvertimeStatus
from daka.domain.reports import (
    ApprovalNote,
    DayReport,
    DaySummary,
    ExceptionCount,
    ExceptionKind,
    ReportRecordType,
    SpItem,
    SpKind,
    TimeType,
)
from daka.exports.cells import month_cell
from daka.exports.models import MonthCells, day_model
from daka.wire.reports import day_view

seconds = st.integers(min_value=0, max_value=10 * 86_400)
text = st.text(max_size=12)

summaries = st.builds(DaySummary, seconds, seconds, seconds, seconds, seconds)
exceptions = st.builds(ExceptionCount, st.sampled_from(ExceptionKind), seconds, seconds)
sp_items = st.builds(
    SpItem, st.sampled_from(SpKind), seconds, seconds, seconds, st.sampled_from(TimeType), text
)
notes = st.builds(ApprovalNote, text, text, text)
overtimes = st.builds(
    OvertimeDay,
    st.sampled_from(DayCategory),
    st.sampled_from(OvertimeStatus),
    seconds,
    st.lists(seconds, max_size=3).map(tuple),
    seconds,
    seconds,
)
reports = st.builds(
    DayReport,
    userid=text,
    date=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    day_start=st.integers(min_value=0, max_value=2**31),
    record_type=st.sampled_from(ReportRecordType),
    rule_id=seconds,
    rule_name=text,
    schedule_id=seconds,
    schedule_name=text,
    checkintime=st.lists(st.tuples(seconds, seconds), max_size=3).map(tuple),
    rest_day=st.booleans(),
    summary=summaries,
    exceptions=st.lists(exceptions, max_size=4).map(tuple),
    notes=st.lists(notes, max_size=3).map(tuple),
    overtime=overtimes,
    sp_items=st.lists(sp_items, max_size=4).map(tuple),
)
people = st.tuples(text, text, text)


@given(reports, people)
def test_a_day_model_is_what_the_day_reports_json_gives(
    report: DayReport, person: tuple[str, str, str]
) -> None:
    from_json = Model.from_raw(day_view(report, *person))
    direct = day_model(report, person)
    assert direct == from_json
    assert dict(direct.raw) == from_json.raw


def test_a_day_models_json_is_made_only_when_read() -> None:
    report = DayReport("zhangsan", date(2026, 8, 3), 1_785_686_400, ReportRecordType.FIXED)
    model = day_model(report, ("张三", "", "总部"))
    assert model.raw._made is None  # type: ignore[attr-defined]
    assert model.raw["base_info"]["acctid"] == "zhangsan"


UNITS = {1: 86_400, 2: 3_600}


@given(st.lists(reports, min_size=1, max_size=20), people)
def test_the_monthly_day_texts_are_month_cell_of_each_days_model(
    days: list[DayReport], person: tuple[str, str, str]
) -> None:
    cells = MonthCells(UNITS)  # one memo for all the days, as a batch of people shares it

    for report in days + days:
        assert cells.cell(report) == month_cell(day_model(report, person), UNITS)

"""Stored holiday calendars on every backend: versions, revisions, and the org file's
``holidays`` (server-wide and per corp), all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from daka.services.corpview import load_view
from daka.services.holidays import load_years
from daka.services.org import OrgFileError, load_org
from daka.storage.store import Store
from daka.wire.holidays import parse_file
from tests.factories import at, make_corp, make_org
from tests.holiday_data import FICTIONAL_2027, fictional_2027

OTHER = "wwtest0000000002"
NOW = at(2026, 12, 3, 21, 30)


def two_corps() -> dict:
    return make_org(make_corp(), make_corp(OTHER, secret="other-secret", agentid=7))


def revisions(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return {c.corpid: c.revision for c in store.corps(conn)}


def spring_monday(store: Store, corp_id: int) -> bool:
    with store.read() as conn:
        return load_view(store, conn, corp_id).holidays.facts(date(2027, 2, 8)).holiday


def test_a_server_wide_calendar_bumps_every_corps_revision_and_applies_to_both(contract_store):
    load_org(contract_store, two_corps())
    before = revisions(contract_store)

    (loaded,) = load_years(contract_store, 0, parse_file(FICTIONAL_2027), NOW)

    assert (loaded.version, loaded.effective_from) == (1, date(2027, 1, 1))
    after = revisions(contract_store)
    assert all(after[c] == before[c] + 1 for c in before)
    assert spring_monday(contract_store, 1) and spring_monday(contract_store, 2)


def test_a_corps_own_calendar_bumps_only_its_revision_and_overrides_the_server_wide_one(
    contract_store,
):
    load_org(contract_store, two_corps())
    load_years(contract_store, 0, parse_file(FICTIONAL_2027), NOW)
    before = revisions(contract_store)
    own = fictional_2027(
        source="TEST DATA: corp 2's own fictional calendar",
        holidays=[{"name": "春节", "from": "2027-02-10", "to": "2027-02-12"}],
        makeup_workdays=[],
    )

    (loaded,) = load_years(contract_store, 2, parse_file(own), NOW)

    # The server-wide calendar had data: the corp's own applies from the month before.
    assert loaded.effective_from == date(2027, 1, 1)  # (November 2026, clipped to the year)
    assert revisions(contract_store) == {**before, OTHER: before[OTHER] + 1}
    assert spring_monday(contract_store, 1)
    assert not spring_monday(contract_store, 2)


def test_loading_an_identical_year_again_adds_no_version(contract_store):
    load_org(contract_store, two_corps())
    load_years(contract_store, 0, parse_file(FICTIONAL_2027), NOW)
    before = revisions(contract_store)

    (again,) = load_years(contract_store, 0, parse_file(FICTIONAL_2027), NOW + 86_400)

    assert again.version is None
    assert revisions(contract_store) == before
    with contract_store.read() as conn:
        assert [r.version for r in contract_store.holiday_calendars(conn, 1)] == [1]


def test_the_org_file_loads_server_wide_and_per_corp_calendars(contract_store):
    org = two_corps()
    org["holidays"] = [FICTIONAL_2027]
    org["corps"][1]["holidays"] = [
        fictional_2027(
            source="TEST DATA: corp 2's own",
            holidays=[{"name": "春节", "from": "2027-02-20", "to": "2027-02-20"}],
            makeup_workdays=[],
        )
    ]

    load_org(contract_store, org, now=NOW)
    load_org(contract_store, org, now=NOW + 60)  # reloading the same file changes nothing

    with contract_store.read() as conn:
        rows = contract_store.holiday_calendars(conn, 2)
    assert [(r.corp_id, r.year, r.version) for r in rows] == [(0, 2027, 1), (2, 2027, 1)]
    assert spring_monday(contract_store, 1)
    assert not spring_monday(contract_store, 2)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("server", "holidays[0].holidays[1].to 2027-02-05 is before holidays[0].holidays[1].from"),
        ("corp", "corps[1].holidays[0].holidays[1].to 2027-02-05 is before"),
    ],
)
def test_a_wrong_calendar_in_the_org_file_writes_nothing_at_all(contract_store, where, message):
    bad = fictional_2027()
    bad["holidays"][1]["to"] = "2027-02-05"
    org = two_corps()
    if where == "server":
        org["holidays"] = [bad]
    else:
        org["corps"][1]["holidays"] = [bad]

    with pytest.raises(OrgFileError) as refused:
        load_org(contract_store, org, now=NOW)

    assert message in str(refused.value)
    with contract_store.read() as conn:
        assert contract_store.corps(conn) == []


def test_a_correction_loaded_after_its_year_is_final_changes_no_day(contract_store):
    load_org(contract_store, two_corps())
    calendar = parse_file(FICTIONAL_2027)
    load_years(contract_store, 0, calendar, NOW)
    changed = fictional_2027(source="TEST DATA: a late fictional correction")

    (late,) = load_years(contract_store, 0, parse_file(changed), at(2028, 3, 10, 12))

    assert late.version == 2 and late.effective_from == date(2028, 2, 1)
    assert "changes no day" in late.describe()
    with contract_store.read() as conn:
        view = load_view(contract_store, conn, 1)
    assert view.holidays.version_on(date(2027, 12, 31)).version == 1

"""Migrations: an empty database reaches the head revision, and upgrading again is a no-op."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, inspect

from daka.storage.engine import current_revision, upgrade
from daka.storage.store import Store

TABLES = {
    "corps",
    "apps",
    "departments",
    "users",
    "tags",
    "rule_versions",
    "schedules",
    "faces",
    "punches",
    "tokens",
    "media",
    "sync_sources",
    "sync_cursors",
}


def test_an_empty_database_has_no_revision(open_engine: Callable[[], Engine]) -> None:
    assert current_revision(open_engine()) is None


def test_migrations_create_every_table_and_reach_the_latest_revision(
    open_engine: Callable[[], Engine],
) -> None:
    engine = open_engine()
    upgrade(engine)
    assert current_revision(engine) == "0007"
    assert TABLES <= set(inspect(engine).get_table_names())


def test_upgrading_twice_is_idempotent_and_keeps_data(open_engine: Callable[[], Engine]) -> None:
    engine = open_engine()
    upgrade(engine)
    store = Store(engine)
    with store.write() as conn:
        store.upsert_corp(conn, "wwkeep", "Keep Co", "Asia/Shanghai")

    upgrade(engine)
    upgrade(open_engine())  # a second "process" migrating the same database

    assert current_revision(engine) == "0007"
    with store.read() as conn:
        assert [c.corpid for c in store.corps(conn)] == ["wwkeep"]


def test_processes_migrating_one_empty_database_at_once_all_succeed(
    open_engine: Callable[[], Engine],
) -> None:
    engines = [open_engine() for _ in range(3)]
    start = threading.Barrier(len(engines))

    def migrate(engine: Engine) -> str | None:
        start.wait()
        upgrade(engine)
        return current_revision(engine)

    with ThreadPoolExecutor(len(engines)) as pool:
        assert list(pool.map(migrate, engines)) == ["0007"] * len(engines)


def test_rules_stored_before_versions_become_versions_for_all_dates(
    open_engine: Callable[[], Engine],
) -> None:
    import json

    from alembic import command
    from sqlalchemy import text

    from daka.storage.engine import alembic_config

    engine = open_engine()
    with engine.connect().execution_options(daka_write=True) as conn, conn.begin():
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO corps (corpid, name, timezone, revision) "
                "VALUES ('wwold', 'Old Co', 'Asia/Shanghai', 3)"
            )
        )
        conn.execute(
            text("INSERT INTO checkin_groups (corp_id, groupid, body) VALUES (1, 7, :b)"),
            {"b": json.dumps({"groupid": 7, "groupname": "老规则"})},
        )
        conn.execute(
            text(
                "INSERT INTO punches (corp_id, userid, checkin_time, location_title, "
                "location_detail, notes, wifiname, wifimac, mediaids, device_type, "
                "device_detail, received_at) VALUES (1, 'u', 100, '', '', '', '', '', "
                "'[]', 1, 'gate', 100)"
            )
        )

    upgrade(engine)

    store = Store(engine)
    with store.read() as conn:
        (version,) = store.rule_versions(conn, 1)
        (punch,) = store.punches(conn, 1, ["u"], 0, 200)["u"]
    assert (version.groupid, version.version, version.effective_from) == (7, 1, 0)
    assert version.body == {"groupid": 7, "groupname": "老规则"}
    assert version.creator_agentid is None
    assert (int(punch.source), punch.remark, punch.corrects) == (0, "", None)


def test_0003_adds_the_media_table_and_keeps_media_ids_punches_already_hold(
    open_engine: Callable[[], Engine],
) -> None:
    from alembic import command
    from sqlalchemy import text

    from daka.storage.engine import alembic_config

    engine = open_engine()
    with engine.connect().execution_options(daka_write=True) as conn, conn.begin():
        command.upgrade(alembic_config(conn), "0002")
        conn.execute(
            text(
                "INSERT INTO corps (corpid, name, timezone, revision) "
                "VALUES ('wwold', 'Old Co', 'Asia/Shanghai', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO punches (corp_id, userid, checkin_time, location_title, "
                "location_detail, notes, wifiname, wifimac, mediaids, device_type, "
                "device_detail, received_at) VALUES (1, 'u', 100, '', '', '', '', '', "
                "'[\"WWCISP_old\"]', 3, 'phone', 100)"
            )
        )

    upgrade(engine)

    store = Store(engine)
    with store.read() as conn:
        (punch,) = store.punches(conn, 1, ["u"], 0, 200)["u"]
        assert store.media_created(conn, 1, ["WWCISP_old"]) == {}
    assert punch.media_ids == ("WWCISP_old",)
    with engine.connect().execution_options(daka_write=True) as conn, conn.begin():
        command.downgrade(alembic_config(conn), "0002")
    assert "media" not in set(inspect(engine).get_table_names())

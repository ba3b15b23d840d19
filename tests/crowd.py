"""A corp of many people with a few weeks of varied punches, for code that splits its work
over processes: what it answers must not depend on how the people were split."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from daka.domain.punches import DeviceType, Punch
from daka.services.org import load_org
from daka.storage.store import Store
from tests.factories import CORPID, at, make_corp, make_org, make_rule, make_slot

FIRST = date(2026, 10, 5)  # a Monday; the suite's "now" is weeks later
DAYS = 15


def crowd_userid(k: int) -> str:
    return f"p{k:04d}"


def crowd_org(people: int) -> dict[str, Any]:
    users = [
        {"userid": crowd_userid(k), "name": f"员工{k:04d}", "department": [1 + k % 3]}
        for k in range(people)
    ]
    rule = make_rule(1, slots=[make_slot("09:00", "18:00")])
    return make_org(make_corp(users=users, rules=[rule]))


def crowd_punches(people: int, seed: int = 7) -> list[Punch]:
    """On time, late, early, forgotten or absent, from a gate or one of two phones."""
    rng = random.Random(seed)
    out: list[Punch] = []
    for k in range(people):
        uid = crowd_userid(k)
        for n in range(DAYS):
            day = FIRST + timedelta(days=n)
            if day.weekday() >= 5 or rng.random() < 0.05:
                continue
            morning = at(day.year, day.month, day.day, 8, 30) + rng.randrange(0, 50 * 60)
            evening = at(day.year, day.month, day.day, 17, 40) + rng.randrange(0, 80 * 60)
            for ts in (morning, evening):
                if rng.random() < 0.04:
                    continue
                phone = rng.random() < 0.5
                out.append(
                    Punch(
                        uid,
                        ts,
                        "Lobby",
                        device_type=DeviceType.OTHER if phone else DeviceType.GATE,
                        device_detail=rng.choice(("iPhone", "Mate")) if phone else "Gate-1",
                    )
                )
    return out


def load_crowd(store: Store, people: int) -> int:
    """The crowd's org and punches in ``store``; returns the corp's id."""
    load_org(store, crowd_org(people), now=1)
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
    assert corp is not None
    with store.write() as conn:
        store.upsert_punches(conn, corp.id, crowd_punches(people))
    return corp.id

"""gettoken and access-token errors, on the wire."""

from __future__ import annotations

import pytest

from daka.services.org import load_org
from tests.api.golden import assert_golden, normalise
from tests.factories import CORPID, SECRET, make_corp, make_org


def gettoken(api, **params):
    response = api.get("/cgi-bin/gettoken", params=params)
    assert response.status_code == 200
    return response


def test_gettoken_returns_an_unguessable_token_valid_for_7200_seconds(api, org):
    body = gettoken(api, corpid=CORPID, corpsecret=SECRET).json()

    assert_golden("gettoken_ok", body)
    assert len(body["access_token"]) >= 43  # 256 random bits, base64url


def test_gettoken_returns_the_same_token_while_it_is_valid(api, org, clock):
    first = gettoken(api, corpid=CORPID, corpsecret=SECRET).json()
    clock.advance(3600)
    second = gettoken(api, corpid=CORPID, corpsecret=SECRET).json()
    clock.advance(3601)
    third = gettoken(api, corpid=CORPID, corpsecret=SECRET).json()

    assert second["access_token"] == first["access_token"]
    assert second["expires_in"] == 3600
    assert third["access_token"] != first["access_token"]


@pytest.mark.parametrize(
    ("params", "errcode", "golden"),
    [
        ({"corpsecret": SECRET}, 41002, "gettoken_41002"),
        ({"corpid": CORPID}, 41004, "gettoken_41004"),
        ({"corpid": "wwnobody", "corpsecret": SECRET}, 40013, "gettoken_40013"),
        ({"corpid": CORPID, "corpsecret": "wrong"}, 40001, "gettoken_40001"),
    ],
)
def test_gettoken_errors(api, org, params, errcode, golden):
    response = gettoken(api, **params)

    assert response.headers["Error-Code"] == str(errcode)
    assert response.headers["Error-Msg"] == response.json()["errmsg"]
    assert_golden(golden, response.json())


@pytest.mark.parametrize(("token", "errcode"), [(None, 41001), ("", 41001), ("nope", 40014)])
def test_check_in_endpoints_refuse_missing_and_unknown_tokens(wire, token, errcode):
    params = {} if token is None else {"access_token": token}
    response = wire.client.post("/cgi-bin/checkin/getcheckindata", params=params, content=b"{}")

    body = response.json()
    assert (response.status_code, body["errcode"], body["checkindata"]) == (200, errcode, [])
    normalise(body)


def test_an_expired_token_is_refused_with_42001(wire, clock):
    clock.advance(7200)

    body = wire.post("checkin/getcorpcheckinoption")

    assert_golden("token_42001", body)


def test_a_token_only_works_for_its_own_app_configuration(api, store):
    load_org(store, make_org(make_corp(checkin=False)))
    token = gettoken(api, corpid=CORPID, corpsecret=SECRET).json()["access_token"]

    response = api.post(
        "/cgi-bin/checkin/getcheckindata", params={"access_token": token}, content=b"{}"
    )

    assert response.headers["Error-Code"] == "48002"
    assert_golden("checkin_48002", response.json())


def test_secrets_are_stored_hashed_never_in_plain_text(store, org):
    with store.read() as conn:
        corp = store.corp_by_corpid(conn, CORPID)
        apps = store.apps(conn, corp.id)

    assert apps and all(SECRET not in a.secret_hash for a in apps)
    assert all(a.secret_hash.startswith("scrypt$") for a in apps)

"""The endpoint registry is the one list: the server, the SDK and the docs agree with it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from daka.api.app import create_app
from daka.client import DEFAULT_RATE_LIMITS
from daka.client._core import ENDPOINTS as SDK_ENDPOINTS
from daka.services.ratelimit import RateLimiter
from daka.services.service import Service
from daka.wire.endpoints import ENDPOINTS, SERVED, Body, Permission, rate_limits

API_DOC = Path(__file__).parents[2] / "docs" / "api.md"


def documented_endpoints() -> set[tuple[str, str]]:
    """(method, path) of each endpoint named in the first column of docs/api.md's table."""
    section = API_DOC.read_text().split("\n## Endpoints\n", 1)[1].split("\n#", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {
        (m, p.lstrip("/")) for row in rows for m, p in re.findall(r"`(GET|POST) ([^`?\s]+)", row)
    }


def test_docs_list_exactly_the_served_endpoints_with_their_methods():
    assert documented_endpoints() == {(e.methods[0], e.path) for e in SERVED.values()}


@pytest.mark.parametrize("endpoint", SERVED.values(), ids=lambda e: e.path)
def test_every_served_endpoint_names_a_service_method_of_its_shape(endpoint):
    handler = getattr(Service, str(endpoint.handler))
    parameters = list(inspect.signature(handler).parameters)[1:]
    if endpoint.body in (Body.JSON, Body.QUERY) and endpoint.permission is not Permission.NONE:
        with_caller = (Permission.RULES, Permission.APPROVAL_ADMIN)
        wanted = ["caller", "view"] if endpoint.permission in with_caller else ["view"]
        assert parameters[:-1] == wanted


TYPED = [e for e in SERVED.values() if e.body in (Body.JSON, Body.QUERY)]


@pytest.mark.parametrize("endpoint", TYPED, ids=lambda e: e.path)
def test_every_json_and_query_endpoint_names_a_request_type_its_handler_takes(endpoint):
    kind = endpoint.request_type()
    handler = getattr(Service, str(endpoint.handler))

    assert kind is not None and kind.__name__.endswith("Request")
    assert inspect.signature(handler).parameters["request"].annotation == kind.__name__


def test_the_app_routes_every_served_endpoint(service):
    urls = {getattr(route, "path", None) for route in create_app(service).routes}

    assert {e.url for e in SERVED.values()} <= urls


def test_the_sdk_knows_the_registry_paths_and_methods():
    for path, sdk in SDK_ENDPOINTS.items():
        assert sdk.method in ENDPOINTS[path].methods, path


def test_both_rate_limiters_use_the_registry_limits():
    assert dict(DEFAULT_RATE_LIMITS) == rate_limits() == RateLimiter().limits
    assert rate_limits()["checkin/addcheckinuserface"] == 10

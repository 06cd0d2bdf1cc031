"""Opaque tokens introspected (RFC 7662) at a real, independent authorization server
(oidc-provider, oidc_server.py), as docs/config.md promises for `key_managers[].introspection`:
the answer is cached until the token's `exp` (the server counts the introspection requests it
receives), and an answer is held to its `exp` and `nbf` like a JWT, with the key manager's leeway.
The wrong `exp`/`nbf` come from a server whose clock is off, as a misconfigured IdP's would be."""

import concurrent.futures
import time

import pytest
import requests

from harness import api
from oidc_server import OidcServer
from security_support import assert_wso2_error

SHOP = "/shop/1.0/items"
INTROSPECTION = "POST /token/introspection"


def start_gateway(gateway_factory, backend, server, leeway="30s", workers=1):
    """One worker unless told, so that every request meets the same token cache. The key manager
    only introspects: nothing else is ever asked of the server."""
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    key_manager = {"name": "oidc", "issuer": server.issuer, "leeway": leeway,
                   "audiences": [OidcServer.OPAQUE_RESOURCE],
                   "introspection": {"url": server.introspection_endpoint,
                                     "client_id": "gateway-client",
                                     "client_secret": "gateway-secret"}}
    return gateway_factory(
        [shop], workers=workers, key_managers=[key_manager],
        applications=[{"id": "app", "keys": [{"key_manager": "oidc",
                                               "consumer_key": "app-client"}]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


def call(gateway, token, session=requests):
    return session.get(gateway.url(SHOP), headers={"Authorization": "Bearer " + token},
                       timeout=10)


def opaque_token(server):
    token = server.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE)
    assert "." not in token  # not a JWT: only introspection can vouch for it
    return token


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory):
    with OidcServer(tmp_path_factory.mktemp("oidc")) as server:
        yield server


@pytest.fixture
def oidc(oidc_server):
    """The module's server, with its clock and token lifetime put back after each test."""
    yield oidc_server
    oidc_server.settings(clock_skew=0, token_ttl=3600)


def test_an_introspected_token_is_asked_about_once_then_served_from_the_cache(
        gateway_factory, backend, oidc):
    gateway = start_gateway(gateway_factory, backend, oidc)
    first, second = opaque_token(oidc), opaque_token(oidc)
    asked = oidc.requests_received(INTROSPECTION)
    with requests.Session() as session:
        for _ in range(10):
            assert call(gateway, first, session).status_code == 200
        assert oidc.requests_received(INTROSPECTION) == asked + 1
        # The cache is per token: another token is introspected once too.
        for _ in range(5):
            assert call(gateway, second, session).status_code == 200
            assert call(gateway, first, session).status_code == 200
    assert oidc.requests_received(INTROSPECTION) == asked + 2


def test_a_cached_introspection_is_not_used_past_the_tokens_exp(gateway_factory, backend, oidc):
    gateway = start_gateway(gateway_factory, backend, oidc, leeway="1s")
    oidc.settings(token_ttl=2)
    token = opaque_token(oidc)
    expires = time.time() + 2
    asked = oidc.requests_received(INTROSPECTION)
    with requests.Session() as session:
        assert call(gateway, token, session).status_code == 200
        assert call(gateway, token, session).status_code == 200
        assert oidc.requests_received(INTROSPECTION) == asked + 1
        time.sleep(max(0.0, expires - time.time()) + 0.5)
        # Past exp the cached answer is dropped: the server is asked again, and it says the token
        # is no longer active.
        refused = call(gateway, token, session)
        body = assert_wso2_error(refused, 401, 900901, "invalid_token")
        assert body["description"] == "the token is not active"
        assert oidc.requests_received(INTROSPECTION) == asked + 2


@pytest.mark.parametrize("clock_skew, refusal", [
    (-2 * 3600, "token expired"),      # exp an hour ago (the token lives an hour)
    (600, "token not yet valid"),      # nbf ten minutes ahead
    (10, None),                        # nbf ahead, within the 30 s leeway
])
def test_an_active_answer_is_held_to_its_exp_and_nbf(gateway_factory, backend, oidc, clock_skew,
                                                      refusal):
    gateway = start_gateway(gateway_factory, backend, oidc)
    oidc.settings(clock_skew=clock_skew)
    token = opaque_token(oidc)
    answer = oidc.introspect(token)
    # The server vouches for the token by its own clock.
    assert answer["active"] is True
    assert answer["nbf"] - time.time() == pytest.approx(clock_skew, abs=60)
    asked = oidc.requests_received(INTROSPECTION)
    response = call(gateway, token)
    if refusal is None:
        assert response.status_code == 200, response.text
    else:
        body = assert_wso2_error(response, 401, 900901, "invalid_token")
        assert body["description"] == refusal
    assert oidc.requests_received(INTROSPECTION) == asked + 1


def test_concurrent_first_requests_with_one_token_cost_one_introspection_per_worker(
        gateway_factory, backend, oidc):
    gateway = start_gateway(gateway_factory, backend, oidc, workers=2)
    token = opaque_token(oidc)
    asked = oidc.requests_received(INTROSPECTION)
    # Forty new connections at once, before any worker has the token cached: each worker asks
    # once, and its other requests wait for that answer.
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(lambda _: call(gateway, token).status_code, range(40)))
    assert statuses == [200] * 40
    assert oidc.requests_received(INTROSPECTION) - asked <= 2

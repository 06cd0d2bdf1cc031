"""What a reload keeps: the keys that key managers fetched, and the tokens the workers validated.
Twenty reloads under wrk load with a token from a real, independent authorization server
(oidc-provider): no request fails, and the server is asked for its discovery document and its keys
once per worker, not once per reload; an opaque token is introspected once per worker, not again
after each reload."""

import pytest
import requests

from harness import api
from oidc_server import OidcServer
from test_reload import parse_wrk, reload_under_load, wrk  # noqa: F401 - wrk is a fixture

WORKERS = 2


@pytest.fixture(scope="module")
def oidc(tmp_path_factory):
    with OidcServer(tmp_path_factory.mktemp("oidc")) as server:
        yield server


@pytest.fixture
def secured(gateway_factory, backend, oidc):
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    return gateway_factory(
        [shop], workers=WORKERS,
        key_managers=[{"name": "oidc", "issuer": oidc.issuer, "discovery": oidc.discovery_url,
                       "audiences": [OidcServer.JWT_RESOURCE]}],
        applications=[{"id": "app", "keys": [{"key_manager": "oidc",
                                               "consumer_key": "app-client"}]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


@pytest.fixture
def introspected(gateway_factory, backend, oidc):
    """A key manager that only introspects: every validation is a request the server counts."""
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    return gateway_factory(
        [shop], workers=WORKERS,
        key_managers=[{"name": "oidc", "issuer": oidc.issuer,
                       "audiences": [OidcServer.OPAQUE_RESOURCE],
                       "introspection": {"url": oidc.introspection_endpoint,
                                         "client_id": "gateway-client",
                                         "client_secret": "gateway-secret"}}],
        applications=[{"id": "app", "keys": [{"key_manager": "oidc",
                                               "consumer_key": "app-client"}]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


def fetches(oidc):
    return (oidc.requests_received("GET /jwks"),
            oidc.requests_received("GET /.well-known/openid-configuration"))


def twenty_reloads_under_load_fail_no_request(gateway, backend, wrk, token):
    """Reloads the gateway 20 times while wrk sends the token; every request must succeed."""
    output, applied = reload_under_load(
        gateway, backend, [wrk, "-t2", "-c20", "-d20s", "--timeout", "10s",
                           "-H", "Authorization: Bearer " + token,
                           gateway.url("/shop/1.0/items")], most=20)
    done, socket_errors, non_2xx = parse_wrk(output)
    assert done > 0, output
    assert socket_errors is None, output
    assert non_2xx == 0, output
    assert applied == 20, "only %d reloads during the load" % applied


def test_twenty_reloads_under_load_fetch_the_keys_once_per_worker(secured, oidc, backend, wrk):
    jwks_before, discovery_before = fetches(oidc)
    token = oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)
    twenty_reloads_under_load_fail_no_request(secured, backend, wrk, token)
    jwks_after, discovery_after = fetches(oidc)
    assert jwks_after - jwks_before <= WORKERS
    assert discovery_after - discovery_before <= WORKERS


def test_twenty_reloads_under_load_introspect_a_cached_token_no_more(introspected, oidc, backend,
                                                                      wrk):
    token = oidc.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE)
    assert "." not in token  # opaque: only introspection vouches for it
    # Cached on both workers first: new connections spread over them (SO_REUSEPORT; all 20 on
    # one worker has a chance of 2^-19).
    for _ in range(20):
        answer = requests.get(introspected.url("/shop/1.0/items"),
                              headers={"Authorization": "Bearer " + token}, timeout=10)
        assert answer.status_code == 200, answer.text
    asked_before = oidc.requests_received("POST /token/introspection")
    twenty_reloads_under_load_fail_no_request(introspected, backend, wrk, token)
    assert oidc.requests_received("POST /token/introspection") == asked_before

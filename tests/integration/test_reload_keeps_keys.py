"""What a reload keeps: the keys that key managers fetched. Twenty reloads under wrk load with a
token from a real, independent authorization server (oidc-provider): no request fails, and the
server is asked for its discovery document and its keys once per worker, not once per reload."""

import pytest

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


def fetches(oidc):
    return (oidc.requests_received("GET /jwks"),
            oidc.requests_received("GET /.well-known/openid-configuration"))


def test_twenty_reloads_under_load_fetch_the_keys_once_per_worker(secured, oidc, backend, wrk):
    jwks_before, discovery_before = fetches(oidc)
    token = oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)
    output, applied = reload_under_load(
        secured, backend, [wrk, "-t2", "-c20", "-d20s", "--timeout", "10s",
                           "-H", "Authorization: Bearer " + token,
                           secured.url("/shop/1.0/items")], most=20)
    done, socket_errors, non_2xx = parse_wrk(output)
    assert done > 0, output
    assert socket_errors is None, output
    assert non_2xx == 0, output
    assert applied == 20, "only %d reloads during the load" % applied
    jwks_after, discovery_after = fetches(oidc)
    assert jwks_after - jwks_before <= WORKERS
    assert discovery_after - discovery_before <= WORKERS

"""OAuth2 with a real, independent authorization server: oidc-provider (oidc_server.py) issues the
tokens, publishes its keys through OIDC discovery, introspects and revokes opaque tokens, and
rotates its signing keys. The gateway finds the keys by discovery and introspects what is not a
JWT. No token here comes from the gateway's own code."""

import time

import pytest
import requests

from harness import api
from oidc_server import OidcServer

SHOP = "/shop/1.0/items"


def key_manager(server, audiences=(OidcServer.JWT_RESOURCE, OidcServer.JWT_ES256_RESOURCE,
                                   OidcServer.OPAQUE_RESOURCE)):
    return {"name": "oidc", "issuer": server.issuer, "discovery": server.discovery_url,
            "client_id_claim": "client_id", "audiences": list(audiences),
            "jwks_refetch_interval": "1s",
            "introspection": {"url": server.introspection_endpoint,
                              "client_id": "gateway-client", "client_secret": "gateway-secret"}}


def start_gateway(gateway_factory, backend, server, **key_manager_options):
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]},
               resources=[{"method": "GET", "path": "/items"},
                          {"method": "POST", "path": "/items", "scopes": ["write"]}])
    return gateway_factory(
        [shop],
        key_managers=[key_manager(server, **key_manager_options)],
        applications=[{"id": "app", "keys": [{"key_manager": "oidc",
                                               "consumer_key": "app-client"}]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


@pytest.fixture(scope="module")
def oidc(tmp_path_factory):
    with OidcServer(tmp_path_factory.mktemp("oidc")) as server:
        yield server


@pytest.fixture
def secured(gateway_factory, backend, oidc):
    return start_gateway(gateway_factory, backend, oidc)


def call(gateway, token, method="GET", path=SHOP, session=requests):
    return session.request(method, gateway.url(path), timeout=10,
                           headers={"Authorization": "Bearer " + token})


def assert_admitted(response):
    assert response.status_code == 200, response.text
    assert response.headers["X-Backend"] == "b1"
    assert "authorization" not in response.json()["headers"]


def assert_refused(response, status, code, challenge_error=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    challenge = response.headers.get("WWW-Authenticate")
    if challenge_error is None:
        assert challenge is None or "error=" not in challenge, challenge
    else:
        assert challenge.startswith('Bearer realm="gatehouse"'), challenge
        assert 'error="%s"' % challenge_error in challenge, challenge


@pytest.mark.parametrize("resource", [OidcServer.JWT_RESOURCE, OidcServer.JWT_ES256_RESOURCE])
def test_jwt_access_tokens_are_verified_with_the_discovered_keys(secured, oidc, resource):
    assert_admitted(call(secured, oidc.token(scope="read", resource=resource)))


def test_jwt_for_an_audience_the_key_manager_does_not_serve_is_refused(
        gateway_factory, backend, oidc):
    gateway = start_gateway(gateway_factory, backend, oidc, audiences=[OidcServer.JWT_RESOURCE])
    assert_admitted(call(gateway, oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)))
    other_audience = oidc.token(scope="read", resource=OidcServer.JWT_ES256_RESOURCE)
    assert_refused(call(gateway, other_audience), 401, 900901, "invalid_token")


def test_opaque_token_is_accepted_through_introspection(secured, oidc):
    token = oidc.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE)
    assert "." not in token
    assert_admitted(call(secured, token))


def test_opaque_token_for_an_audience_the_key_manager_does_not_serve_is_refused(
        gateway_factory, backend, oidc):
    gateway = start_gateway(gateway_factory, backend, oidc, audiences=[OidcServer.JWT_RESOURCE])
    # Introspection vouches for each token, but not for this key manager's audience.
    for token in (oidc.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE),  # another aud
                  oidc.token(scope="read")):                                     # no aud at all
        assert oidc.introspect(token)["active"] is True
        assert_refused(call(gateway, token), 401, 900901, "invalid_token")


def test_introspected_audience_is_not_checked_without_configured_audiences(
        gateway_factory, backend, oidc):
    gateway = start_gateway(gateway_factory, backend, oidc, audiences=[])
    assert_admitted(call(gateway, oidc.token(scope="read")))


def test_revoked_opaque_token_is_refused(secured, oidc):
    # The gateway caches an accepted token until it expires (revocation events are not built
    # yet), so a revoked token is refused only if the gateway never accepted it before.
    token = oidc.token(scope="read", resource=OidcServer.OPAQUE_RESOURCE)
    oidc.revoke(token)
    assert oidc.introspect(token)["active"] is False
    assert_refused(call(secured, token), 401, 900901, "invalid_token")


@pytest.mark.parametrize("resource", [OidcServer.JWT_RESOURCE, OidcServer.OPAQUE_RESOURCE])
def test_missing_scope_is_403_with_an_insufficient_scope_challenge(secured, oidc, resource):
    refused = call(secured, oidc.token(scope="read", resource=resource), method="POST")
    assert_refused(refused, 403, 900910, "insufficient_scope")
    allowed = call(secured, oidc.token(scope="read write", resource=resource), method="POST")
    assert allowed.status_code == 200, allowed.text


def test_key_rotation_is_followed(gateway_factory, backend, tmp_path):
    with OidcServer(tmp_path) as server:
        gateway = start_gateway(gateway_factory, backend, server)
        # One connection, so that one worker holds the old keys and must fetch the new ones.
        with requests.Session() as session:
            assert_admitted(call(gateway, server.token(resource=OidcServer.JWT_RESOURCE),
                                 session=session))
            signed_with_old_key = server.token(resource=OidcServer.JWT_RESOURCE)
            server.rotate_keys()
            time.sleep(1.5)  # past the key manager's jwks_refetch_interval
            for resource in (OidcServer.JWT_RESOURCE, OidcServer.JWT_ES256_RESOURCE):
                assert_admitted(call(gateway, server.token(resource=resource), session=session))
            # Never presented before, so not cached; its key left the JWKS.
            assert_refused(call(gateway, signed_with_old_key, session=session), 401, 900901,
                           "invalid_token")


@pytest.fixture
def idp_down(gateway_factory, backend, tmp_path):
    """Tokens issued by a server that stopped before the gateway could fetch its keys or ask it
    anything."""
    workdir = tmp_path / "gone"
    workdir.mkdir()
    with OidcServer(workdir) as server:
        tokens = {"jwt": server.token(resource=OidcServer.JWT_RESOURCE),
                  "opaque": server.token(resource=OidcServer.OPAQUE_RESOURCE)}
    return start_gateway(gateway_factory, backend, server), tokens


@pytest.mark.parametrize("kind", ["jwt", "opaque"])
def test_unreachable_key_manager_is_500_900900(idp_down, kind):
    gateway, tokens = idp_down
    assert_refused(call(gateway, tokens[kind]), 500, 900900)

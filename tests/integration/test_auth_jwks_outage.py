"""A key manager whose identity provider goes down after the gateway fetched its keys: as
docs/config.md (`jwks_uri`) and docs/architecture.md promise, a failed fetch keeps the keys in
use, so tokens signed with them still validate; a token naming a key the gateway never saw is
refused as an unknown key (401 900901), at once, not after a hang. The provider is oidc-provider
(oidc_server.py); it is stopped, or replaced by a listener that never answers."""

import socket
import time

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from harness import api, wait_until
from oidc_server import OidcServer
from security_support import assert_wso2_error

SHOP = "/shop/1.0/items"
KEY_MANAGER_TIMEOUT = 1.0  # seconds; the key manager's `timeout` for discovery and JWKS calls


def start_gateway(gateway_factory, backend, server):
    """One worker: keys are fetched per worker, and every request must meet the keys fetched."""
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    key_manager = {"name": "oidc", "issuer": server.issuer, "discovery": server.discovery_url,
                   "audiences": [OidcServer.JWT_RESOURCE], "jwks_refetch_interval": "1s",
                   "timeout": "%dms" % (KEY_MANAGER_TIMEOUT * 1000)}
    return gateway_factory(
        [shop], workers=1, key_managers=[key_manager],
        applications=[{"id": "app", "keys": [{"key_manager": "oidc",
                                               "consumer_key": "app-client"}]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


def call(gateway, token):
    return requests.get(gateway.url(SHOP), headers={"Authorization": "Bearer " + token},
                        timeout=30)


def token_with_an_unknown_kid(server):
    """Everything right but the key: signed by a key the provider never published."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    claims = {"iss": server.issuer, "aud": OidcServer.JWT_RESOURCE, "client_id": "app-client",
              "scope": "read", "iat": now, "exp": now + 300, "jti": "unknown-kid-%d" % now}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "never-published"})


class SilentListener:
    """Takes connections on a port and never answers: a provider that hangs."""

    def __init__(self, port):
        self.socket = socket.socket()
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", port))
        self.socket.listen(64)

    def close(self):
        self.socket.close()


@pytest.mark.parametrize("outage", ["stopped", "hanging"])
def test_keys_are_kept_while_the_identity_provider_is_down(gateway_factory, backend, tmp_path,
                                                            outage):
    server = OidcServer(tmp_path).start()
    silent = None
    try:
        gateway = start_gateway(gateway_factory, backend, server)
        first = server.token(scope="read", resource=OidcServer.JWT_RESOURCE)
        second = server.token(scope="read", resource=OidcServer.JWT_RESOURCE)
        assert call(gateway, first).status_code == 200
        assert server.requests_received("GET /jwks") == 1
    finally:
        server.stop()
    if outage == "hanging":
        silent = SilentListener(server.port)
    try:
        time.sleep(1.2)  # past jwks_refetch_interval: an unknown kid makes the gateway fetch again
        started = time.monotonic()
        refused = call(gateway, token_with_an_unknown_kid(server))
        elapsed = time.monotonic() - started
        body = assert_wso2_error(refused, 401, 900901, "invalid_token")
        assert body["description"] == "no key for token", body
        # A refused fetch fails at once; a hanging one within the key manager's timeout.
        assert elapsed < KEY_MANAGER_TIMEOUT + 4, elapsed
        assert wait_until(lambda: "the previous keys stay in use" in gateway.logs(), timeout=5), \
            gateway.output()
        # Never presented before, so not in the token cache: verified with the kept keys.
        admitted = call(gateway, second)
        assert admitted.status_code == 200, admitted.text
    finally:
        if silent:
            silent.close()

"""OAuth2 access tokens on a secured API: JWTs verified with the key manager's keys, the
application's subscription, its state and key type, scopes, and WSO2's error answers. Tokens come
from PyJWT (security_support.py), never from the gateway's code."""

import json
import time

import pytest
import requests

from harness import api, wait_until
from security_support import ISSUER, JwksServer, KeySet, hand_made_token, hs256_with_public_key


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def secured(gateway_factory, backend_factory, keys, tmp_path):
    production = backend_factory("production")
    sandbox = backend_factory("sandbox")
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    shop = api(name="Shop", version="1.0", context="/shop",
               endpoints={"production": [production.url + "/echo"],
                          "sandbox": [sandbox.url + "/echo"]},
               security={"schemes": ["oauth2"]},
               resources=[
                   {"method": "GET", "path": "/items"},
                   {"method": "POST", "path": "/items", "scopes": ["write", "admin"]},
                   {"method": "GET", "path": "/health", "auth": "none"},
               ])
    other = api(name="Other", version="1.0", context="/other", endpoints=[production.url + "/echo"],
                security={"schemes": ["oauth2"]})
    applications = [
        {"id": "app-1", "owner": "alice", "keys": [
            {"key_manager": "idp", "consumer_key": "client-1"},
            {"key_manager": "idp", "consumer_key": "client-1-sandbox", "type": "sandbox"}]},
        {"id": "app-blocked", "keys": [{"key_manager": "idp", "consumer_key": "client-blocked"}]},
        {"id": "app-hold", "keys": [{"key_manager": "idp", "consumer_key": "client-hold"}]},
        {"id": "app-prod-blocked", "keys": [
            {"key_manager": "idp", "consumer_key": "client-pb"},
            {"key_manager": "idp", "consumer_key": "client-pb-sandbox", "type": "sandbox"}]},
        {"id": "app-office", "allowed_ips": ["10.9.9.9"],
         "keys": [{"key_manager": "idp", "consumer_key": "client-office"}]},
    ]
    subscriptions = [
        {"application": "app-1", "api": "Shop:1.0"},
        {"application": "app-blocked", "api": "Shop:1.0", "state": "BLOCKED"},
        {"application": "app-hold", "api": "Shop:1.0", "state": "ON_HOLD"},
        {"application": "app-prod-blocked", "api": "Shop:1.0", "state": "PROD_ONLY_BLOCKED"},
        {"application": "app-office", "api": "Shop:1.0"},
    ]
    return gateway_factory(
        [shop, other],
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file),
                       "leeway": "1s"}],
        applications=applications, subscriptions=subscriptions)


def call(gateway, token=None, method="GET", path="/shop/1.0/items", **headers):
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    return requests.request(method, gateway.url(path), headers=headers, timeout=10)


def assert_refused(response, status, code, challenge_error=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert body["message"] and body["description"]
    challenge = response.headers.get("WWW-Authenticate")
    if challenge_error is None:
        assert challenge is None or "error=" not in challenge
    else:
        assert challenge.startswith('Bearer realm="gatehouse"'), challenge
        assert 'error="%s"' % challenge_error in challenge, challenge


@pytest.mark.parametrize("kid", ["rs", "es", "ed"])
def test_valid_token_reaches_the_backend_without_the_callers_authorization(secured, keys, kid):
    response = call(secured, keys.token(kid=kid))
    assert response.status_code == 200, response.text
    assert response.headers["X-Backend"] == "production"
    assert "authorization" not in response.json()["headers"]


def test_missing_token_is_900902_with_a_bare_challenge(secured):
    response = call(secured)
    assert_refused(response, 401, 900902)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="gatehouse"'


def test_open_resource_needs_no_token(secured):
    assert call(secured, path="/shop/1.0/health").status_code == 200


@pytest.mark.parametrize("make", [
    lambda k: k.token(lifetime=-60),                                   # expired beyond leeway
    lambda k: k.token(nbf=int(time.time()) + 600),                     # not yet valid
    lambda k: k.token(issuer="https://elsewhere.test"),                # unknown issuer
    lambda k: k.token(headers={"kid": "nope"}),                        # unknown key
    lambda k: k.token()[:-6] + "AAAAAA",                               # tampered signature
    lambda k: (lambda t: t.split(".")[0] + "." + hand_made_token({}, {"iss": ISSUER, "sub": "root",
               "client_id": "client-1", "exp": int(time.time()) + 300}).split(".")[1] + "." +
               t.split(".")[2])(k.token()),                            # tampered payload
    lambda k: hand_made_token({"alg": "none", "kid": "rs"},
                              {"iss": ISSUER, "client_id": "client-1",
                               "exp": int(time.time()) + 300}),        # alg none
    lambda k: hs256_with_public_key(k, {"iss": ISSUER, "client_id": "client-1",
                                        "exp": int(time.time()) + 300}),  # RS256 -> HS256
    lambda k: hand_made_token('{"alg":"RS256","kid":"rs","kid":"es"}',
                              {"iss": ISSUER, "exp": int(time.time()) + 300}),  # duplicate key
    lambda k: "not.a.token!",                                          # bad base64
    lambda k: "a" * 8000,                                              # opaque, nobody introspects
])
def test_bad_tokens_are_900901(secured, keys, make):
    assert_refused(call(secured, make(keys)), 401, 900901, "invalid_token")


def test_huge_token_is_refused_and_the_connection_stays_usable(secured, keys):
    response = call(secured, "x" * (1 << 20))
    assert response.status_code == 431, response.text
    assert response.json()["code"] == 431
    assert call(secured, keys.token()).status_code == 200


def test_unregistered_client_is_forbidden(secured, keys):
    assert_refused(call(secured, keys.token(client_id="stranger")), 403, 900908)


def test_application_not_subscribed_to_this_api(secured, keys):
    assert_refused(call(secured, keys.token(), path="/other/1.0/x"), 403, 900908)


def test_subscription_states(secured, keys):
    assert_refused(call(secured, keys.token(client_id="client-blocked")), 401, 900907,
                   "invalid_token")
    assert_refused(call(secured, keys.token(client_id="client-hold")), 401, 900909,
                   "invalid_token")
    assert_refused(call(secured, keys.token(client_id="client-pb")), 401, 900907, "invalid_token")
    allowed = call(secured, keys.token(client_id="client-pb-sandbox"))
    assert allowed.status_code == 200
    assert allowed.headers["X-Backend"] == "sandbox"


def test_sandbox_keys_go_to_sandbox_endpoints(secured, keys):
    assert call(secured, keys.token(client_id="client-1-sandbox")).headers["X-Backend"] == "sandbox"
    assert call(secured, keys.token(client_id="client-1")).headers["X-Backend"] == "production"


def test_application_ip_restriction(secured, keys):
    assert_refused(call(secured, keys.token(client_id="client-office")), 403, 900908)


def test_scopes(secured, keys):
    refused = call(secured, keys.token(scope="read"), method="POST")
    assert_refused(refused, 403, 900910, "insufficient_scope")
    assert call(secured, keys.token(scope="read admin"), method="POST").status_code == 200


def test_a_token_is_verified_once_then_served_from_cache(gateway_factory, backend, keys):
    def published(kid):
        return {"keys": [key for key in keys.jwks()["keys"] if key["kid"] == kid]}

    with JwksServer(published("rs")) as idp:
        shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
                   security={"schemes": ["oauth2"]})
        # One worker: the token cache and the fetched keys are per worker.
        gateway = gateway_factory(
            [shop], workers=1,
            key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_uri": idp.url,
                           "jwks_refetch_interval": "1s"}],
            applications=[{"id": "app-1", "keys": [{"key_manager": "idp",
                                                    "consumer_key": "client-1"}]}],
            subscriptions=[{"application": "app-1", "api": "Shop:1.0"}])
        token = keys.token(kid="rs")
        for _ in range(20):
            assert call(gateway, token).status_code == 200
        assert idp.fetches == 1
        # The key that signed the token leaves the JWKS; another key signs from now on. A token
        # of the new key makes the gateway fetch the keys again (once the refetch interval has
        # passed since the first fetch).
        idp.jwks = published("es")
        newer = keys.token(kid="es")
        assert wait_until(lambda: call(gateway, newer).status_code == 200, timeout=10)
        assert idp.fetches == 2
        # Verifying the first token again would now fail (its key is gone): it is admitted
        # because it is served from the cache, and no fetch is made for it.
        for _ in range(5):
            assert call(gateway, token).status_code == 200
        assert idp.fetches == 2


def test_expired_cached_token_is_refused(secured, keys):
    token = keys.token(lifetime=2)
    assert call(secured, token).status_code == 200
    time.sleep(2 + 1 + 1.2)  # lifetime, the key manager's leeway, and a margin
    assert_refused(call(secured, token), 401, 900901, "invalid_token")


def access_log_entries(gateway):
    path = gateway.config["access_log"]["path"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(path) as log:
            entries = [json.loads(line) for line in log if line.strip()]
        if len(entries) >= 2:
            return entries
        time.sleep(0.1)
    return entries


def test_access_log_names_the_caller_and_never_the_token(secured, keys):
    good, bad = keys.token(), keys.token(lifetime=-60)
    assert call(secured, good).status_code == 200
    assert call(secured, bad).status_code == 401
    entries = access_log_entries(secured)
    accepted = next(e for e in entries if e["status"] == 200)
    refused = next(e for e in entries if e["status"] == 401)
    assert (accepted["subject"], accepted["application"]) == ("alice", "app-1")
    assert refused["auth_error"] == "token expired"
    text = open(secured.config["access_log"]["path"]).read()
    assert good not in text and bad not in text
    assert good.split(".")[2] not in text

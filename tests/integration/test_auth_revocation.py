"""Token revocation through the admin API: a token revoked by its value (the gateway hashes it) or by
its jti is refused at once on every worker, even though each worker has it cached; other tokens
keep working. Tokens come from PyJWT (security_support.py), never from the gateway's code."""

import json
import time
import uuid

import pytest
import requests

from harness import api, wait_until
from security_support import ISSUER, KeySet
from test_auth_apikey import api_key

# New connections per check: the kernel spreads them over the 2 workers (SO_REUSEPORT), so all
# landing on one worker has a chance of 2^-19.
CONNECTIONS = 20


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def secured(gateway_factory, backend, keys, signing_key, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2", "api_key"]},
               resources=[{"method": "GET", "path": "/items"}])
    return gateway_factory(
        [shop], workers=2, signing_key=str(signing_key),
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=[{"id": "app-1", "keys": [{"key_manager": "idp",
                                                 "consumer_key": "client-1"}]},
                      {"id": "7d2c3f6e-0000-4000-8000-000000000001", "name": "ShopApp"}],
        subscriptions=[{"application": "app-1", "api": "Shop:1.0"},
                       {"application": "7d2c3f6e-0000-4000-8000-000000000001",
                        "api": "Shop:1.0"}])


def token(keys, jti=None):
    return keys.token(jti=jti or str(uuid.uuid4()))


def statuses(gateway, headers, connections=CONNECTIONS):
    """The answers to one request on each of `connections` new connections."""
    answers = []
    for _ in range(connections):
        response = requests.get(gateway.url("/shop/1.0/items"), headers=headers, timeout=10)
        answers.append((response.status_code, response.json().get("code")))
    return answers


def bearer(value):
    return {"Authorization": "Bearer " + value}


def revoke(gateway, body):
    return requests.post(gateway.admin_url("/revocations"), json=body, timeout=10)


def test_revoked_tokens_are_refused_at_once_on_every_worker(secured, keys):
    by_value, by_jti, untouched = token(keys), token(keys, jti="revoke-me"), token(keys)
    for value in (by_value, by_jti, untouched):
        assert statuses(secured, bearer(value)) == [(200, None)] * CONNECTIONS  # cached everywhere

    with requests.Session() as kept_alive:  # a connection opened before the revocation
        url = secured.url("/shop/1.0/items")
        assert kept_alive.get(url, headers=bearer(by_value), timeout=10).status_code == 200

        response = revoke(secured, {"token": by_value})
        assert response.status_code == 202, response.text
        assert response.json()["revoked"] == "token"
        assert by_value.split(".")[2] not in response.text

        assert statuses(secured, bearer(by_value)) == [(401, 900901)] * CONNECTIONS
        refused = kept_alive.get(url, headers=bearer(by_value), timeout=10)
        assert refused.status_code == 401 and refused.json()["code"] == 900901
        assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]

    expires_at = int(time.time()) + 300
    response = revoke(secured, {"jti": "revoke-me", "expires_at": expires_at})
    assert response.status_code == 202, response.text
    assert response.json() == {"revoked": "jti", "expires_at": expires_at}
    assert statuses(secured, bearer(by_jti)) == [(401, 900901)] * CONNECTIONS

    assert statuses(secured, bearer(untouched)) == [(200, None)] * CONNECTIONS

    listed = requests.get(secured.admin_url("/revocations"), timeout=10)
    assert listed.status_code == 200
    assert listed.json() == {"jtis": [{"jti": "revoke-me", "expires_at": expires_at}], "tokens": 1}
    assert by_value not in secured.logs() and by_value.split(".")[2] not in secured.logs()


def test_a_token_revoked_before_its_first_use_is_refused_after_validation(secured, keys):
    fresh = token(keys)
    assert revoke(secured, {"token": fresh}).status_code == 202
    assert statuses(secured, bearer(fresh), connections=4) == [(401, 900901)] * 4


def test_an_api_key_revoked_by_jti_is_refused(secured, signing_key):
    key = api_key(signing_key, jti="api-key-jti")
    assert statuses(secured, {"apikey": key}) == [(200, None)] * CONNECTIONS
    assert revoke(secured, {"jti": "api-key-jti"}).status_code == 202
    assert statuses(secured, {"apikey": key}) == [(401, 900901)] * CONNECTIONS


@pytest.mark.parametrize("body", [
    "not json",
    "{}",
    '{"jti": "a", "token": "b"}',
    '{"jti": ""}',
    '{"jti": "a", "expires_at": "soon"}',
    '{"jti": "a", "expires_at": 1000}',  # already passed
    '{"jti": "a", "note": "unknown member"}',
])
def test_bad_revocation_bodies_are_400_with_a_json_error(secured, body):
    response = requests.post(secured.admin_url("/revocations"), data=body, timeout=10,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["code"] == 400 and response.json()["description"]
    assert requests.get(secured.admin_url("/revocations"), timeout=10).json() == \
        {"jtis": [], "tokens": 0}


def test_revocations_survive_a_reload(secured, keys, backend):
    revoked, good = token(keys), token(keys)
    assert revoke(secured, {"token": revoked}).status_code == 202
    config = dict(secured.config)
    config["apis"] = config["apis"] + [
        api(name="Other", version="1.0", context="/other", endpoints=[backend.url + "/echo"],
            security={"schemes": ["oauth2"]})]
    config["subscriptions"] = config["subscriptions"] + [
        {"application": "app-1", "api": "Other:1.0"}]
    secured.reload(config)
    other = secured.url("/other/1.0/items")
    assert wait_until(lambda: requests.get(other, headers=bearer(good), timeout=10).status_code
                      == 200), secured.output()
    for path in ("/shop/1.0/items", "/other/1.0/items"):
        for _ in range(6):
            response = requests.get(secured.url(path), headers=bearer(revoked), timeout=10)
            assert (response.status_code, response.json()["code"]) == (401, 900901), path

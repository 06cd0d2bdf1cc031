"""The update path of subscriptions: PUT and DELETE /subscriptions/{application}/{api} on the admin
listener change what every worker admits, from the next request, with no API compiled
(gatehouse_api_compilations_total stays where it was); a token each worker has cached meets the
change at once. A change outlives a reload, which compiles the APIs again. Tokens come from PyJWT
(security_support.py), never from the gateway's code."""

import json
import re

import jwt
import pytest
import requests

from harness import api, wait_until
from security_support import ISSUER, KeySet, rsa_signing_key

# New connections per check: the kernel spreads them over the 2 workers (SO_REUSEPORT), so all
# landing on one worker has a chance of 2^-19.
CONNECTIONS = 20
SHOP = "/shop/1.0/items"


@pytest.fixture(scope="module")
def keys():
    return KeySet()


def config_for(backend, jwks_file):
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    cart = api(name="Cart", version="2.0", context="/cart", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/lines"}])
    return dict(apis=[shop, cart], workers=2,
                key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
                applications=[{"id": "app-1", "keys": [{"key_manager": "idp",
                                                         "consumer_key": "client-1"}]}],
                subscriptions=[{"application": "app-1", "api": "Cart:2.0"}])


@pytest.fixture
def secured(gateway_factory, backend, keys, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    settings = config_for(backend, jwks_file)
    return gateway_factory(settings.pop("apis"), **settings)


def answers(gateway, token, path=SHOP):
    """(status, WSO2 code) of one request on each of CONNECTIONS new connections."""
    seen = set()
    for _ in range(CONNECTIONS):
        response = requests.get(gateway.url(path), headers={"Authorization": "Bearer " + token},
                                timeout=10)
        seen.add((response.status_code,
                  None if response.status_code == 200 else response.json().get("code")))
    return seen


def metric(gateway, name):
    text = requests.get(gateway.admin_url("/metrics"), timeout=10).text
    found = re.search(r"^%s (\d+)$" % name, text, re.M)
    assert found, name + " is not in /metrics"
    return int(found.group(1))


def put(gateway, application, api_name, body):
    return requests.put(gateway.admin_url("/subscriptions/%s/%s" % (application, api_name)),
                        json=body, timeout=10)


def delete(gateway, application, api_name):
    return requests.delete(gateway.admin_url("/subscriptions/%s/%s" % (application, api_name)),
                           timeout=10)


def test_a_subscription_changed_on_the_admin_listener_applies_on_every_worker_without_a_compile(
        secured, keys):
    token = keys.token()
    # Cached on both workers, refused for want of a subscription.
    assert answers(secured, token) == {(403, 900908)}
    assert answers(secured, token, "/cart/2.0/lines") == {(200, None)}
    compiled = metric(secured, "gatehouse_api_compilations_total")
    assert compiled == 2  # Shop and Cart, at start

    added = put(secured, "app-1", "Shop:1.0", {"tier": "Gold"})
    assert added.status_code == 200, added.text
    assert added.json() == {"application": "app-1", "api": "Shop:1.0", "tier": "Gold",
                            "state": "UNBLOCKED"}
    assert answers(secured, token) == {(200, None)}

    blocked = put(secured, "app-1", "Shop:1.0", {"tier": "Gold", "state": "BLOCKED"})
    assert blocked.status_code == 200, blocked.text
    assert answers(secured, token) == {(401, 900907)}
    assert put(secured, "app-1", "Shop:1.0", {"tier": "Gold", "state": "ON_HOLD"}).ok
    assert answers(secured, token) == {(401, 900909)}

    assert delete(secured, "app-1", "Cart:2.0").status_code == 204
    assert answers(secured, token, "/cart/2.0/lines") == {(403, 900908)}

    assert metric(secured, "gatehouse_api_compilations_total") == compiled
    # The start, then four changes.
    assert metric(secured, "gatehouse_subscription_store_updates_total") == 5
    listed = requests.get(secured.admin_url("/subscriptions"), timeout=10).json()
    assert listed == {"subscriptions": [{"application": "app-1", "api": "Shop:1.0",
                                         "tier": "Gold", "state": "ON_HOLD"}]}


def test_a_change_outlives_a_reload_which_compiles_the_apis_again(secured, keys, backend):
    token = keys.token()
    assert put(secured, "app-1", "Shop:1.0", {"tier": "Gold"}).status_code == 200
    assert answers(secured, token) == {(200, None)}
    compiled = metric(secured, "gatehouse_api_compilations_total")

    secured.reload(secured.config)
    assert wait_until(
        lambda: metric(secured, "gatehouse_api_compilations_total") == compiled + 2, timeout=15)
    # The file still says nothing of Shop:1.0; the admin listener's subscription stays on top.
    assert answers(secured, token) == {(200, None)}
    assert answers(secured, token, "/cart/2.0/lines") == {(200, None)}


def test_bad_changes_are_refused_and_change_nothing(secured, keys):
    token = keys.token()
    assert answers(secured, token, "/cart/2.0/lines") == {(200, None)}
    before = metric(secured, "gatehouse_subscription_store_updates_total")

    unknown = put(secured, "no-such-app", "Shop:1.0", {"tier": "Gold"})
    assert unknown.status_code == 404
    assert "no-such-app" in unknown.json()["description"]
    for body in ({}, {"tier": ""}, {"tier": "Gold", "state": "PAUSED"},
                 {"tier": "Gold", "extra": 1}):
        refused = put(secured, "app-1", "Shop:1.0", body)
        assert refused.status_code == 400, body
    no_such_tier = put(secured, "app-1", "Shop:1.0", {"tier": "Platinum"})
    assert no_such_tier.status_code == 400
    assert "'Platinum' is not a subscription tier" in no_such_tier.json()["description"]
    not_an_api = put(secured, "app-1", "Shop", {"tier": "Gold"})
    assert not_an_api.status_code == 400
    assert "Name:Version" in not_an_api.json()["description"]
    assert delete(secured, "app-1", "Shop:1.0").status_code == 404
    wrong_method = requests.post(secured.admin_url("/subscriptions/app-1/Shop:1.0"), json={},
                                 timeout=10)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["Allow"] == "PUT, DELETE"

    assert metric(secured, "gatehouse_subscription_store_updates_total") == before
    assert answers(secured, token) == {(403, 900908)}
    assert answers(secured, token, "/cart/2.0/lines") == {(200, None)}


def test_names_in_the_path_are_percent_decoded(gateway_factory, backend, keys, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    spaced = api(name="Pizza Shack", version="1.0", context="/pizza",
                 endpoints=[backend.url + "/echo"], security={"schemes": ["oauth2"]},
                 resources=[{"method": "GET", "path": "/menu"}])
    gateway = gateway_factory(
        [spaced], workers=1,
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=[{"id": "app 1", "keys": [{"key_manager": "idp",
                                                 "consumer_key": "client-1"}]}])
    token = keys.token()
    assert answers(gateway, token, "/pizza/1.0/menu") == {(403, 900908)}
    assert put(gateway, "app%201", "Pizza%20Shack:1.0", {"tier": "Gold"}).status_code == 200
    assert answers(gateway, token, "/pizza/1.0/menu") == {(200, None)}


def test_the_backend_jwt_carries_the_tier_of_the_current_subscription(gateway_factory, backend,
                                                                      keys, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, backend_jwt={},
               resources=[{"method": "GET", "path": "/items"}])
    gateway = gateway_factory(
        [shop], workers=1, signing_key=str(rsa_signing_key(tmp_path / "gateway.pem")),
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=[{"id": "app-1", "keys": [{"key_manager": "idp",
                                                 "consumer_key": "client-1"}]}],
        subscriptions=[{"application": "app-1", "api": "Shop:1.0", "tier": "Gold"}])
    token = keys.token()

    def tier():
        response = requests.get(gateway.url(SHOP), headers={"Authorization": "Bearer " + token},
                                timeout=10)
        assert response.status_code == 200, response.text
        assertion = response.json()["headers"]["x-jwt-assertion"]
        return jwt.decode(assertion, options={"verify_signature": False})[
            "http://wso2.org/claims/tier"]

    assert tier() == "Gold"
    assert tier() == "Gold"  # signed once, then from the worker's cache
    assert put(gateway, "app-1", "Shop:1.0", {"tier": "Silver"}).status_code == 200
    assert tier() == "Silver"

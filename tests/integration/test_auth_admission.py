"""What docs/config.md says about a caller the gateway knows, end to end with OAuth2 tokens (PyJWT)
and WSO2-layout API keys: a sandbox key on an API without sandbox endpoints is 401 900905; a
`REJECTED` subscription is 401 900909 whatever the key; an application's `allowed_referrers`
admits only those referrers (403 900908 otherwise). The bodies are compared whole."""

import json

import pytest
import requests

from harness import api
from security_support import ISSUER, KeySet, wso2_api_key

SHOP = "/shop/1.0/items"
REFERRERS = ["*.example.com/*", "https://partner.test/app/*"]


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def gateway(gateway_factory, backend, keys, signing_key, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    # Production endpoints only.
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2", "api_key"]},
               resources=[{"method": "GET", "path": "/items"}])

    def application(name, **extra):
        return {"id": name, "keys": [
            {"key_manager": "idp", "consumer_key": name + "-client"},
            {"key_manager": "idp", "consumer_key": name + "-sandbox", "type": "sandbox"}],
            **extra}

    return gateway_factory(
        [shop], signing_key=str(signing_key),
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=[application("shop-app"), application("rejected-app"),
                      application("web-app", allowed_referrers=REFERRERS)],
        subscriptions=[{"application": "shop-app", "api": "Shop:1.0"},
                       {"application": "rejected-app", "api": "Shop:1.0", "state": "REJECTED"},
                       {"application": "web-app", "api": "Shop:1.0"}])


def credentials(kind, keys, signing_key, application, key_type="PRODUCTION"):
    """Request headers carrying a credential of `application`: an OAuth2 token or an API key."""
    if kind == "token":
        suffix = "-client" if key_type == "PRODUCTION" else "-sandbox"
        return {"Authorization": "Bearer " + keys.token(client_id=application + suffix)}
    key = wso2_api_key(signing_key.read_bytes(), application, ["Shop:1.0"], key_type=key_type)
    return {"apikey": key}


def get(gateway, headers, **more):
    return requests.get(gateway.url(SHOP), headers={**headers, **more}, timeout=10)


def assert_refusal(response, status, body, challenge):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == body
    if challenge:
        assert response.headers["WWW-Authenticate"] == (
            'Bearer realm="gatehouse", error="invalid_token", error_description="%s"'
            % body["description"])
    else:
        assert "WWW-Authenticate" not in response.headers


@pytest.mark.parametrize("kind", ["token", "api_key"])
def test_a_sandbox_key_on_an_api_without_sandbox_endpoints_is_900905(gateway, keys, signing_key,
                                                                     kind):
    production = get(gateway, credentials(kind, keys, signing_key, "shop-app"))
    assert production.status_code == 200, production.text
    sandbox = get(gateway, credentials(kind, keys, signing_key, "shop-app", "SANDBOX"))
    assert_refusal(sandbox, 401, {
        "code": 900905, "message": "Incorrect Access Token Type is provided",
        "description": "a sandbox key, and Shop:1.0 has no sandbox endpoints"}, challenge=True)


@pytest.mark.parametrize("kind", ["token", "api_key"])
@pytest.mark.parametrize("key_type", ["PRODUCTION", "SANDBOX"])
def test_a_rejected_subscription_is_900909_whatever_the_key(gateway, keys, signing_key, kind,
                                                           key_type):
    response = get(gateway, credentials(kind, keys, signing_key, "rejected-app", key_type))
    assert_refusal(response, 401, {
        "code": 900909, "message": "The subscription to the API is inactive",
        "description": "the subscription to Shop:1.0 is not active"}, challenge=True)


@pytest.mark.parametrize("kind", ["token", "api_key"])
def test_allowed_referrers_admit_only_those_referrers(gateway, keys, signing_key, kind):
    headers = credentials(kind, keys, signing_key, "web-app")
    for referer in ("https://www.example.com/page", "http://shop.example.com/",
                    "https://partner.test/app/checkout"):
        response = get(gateway, headers, Referer=referer)
        assert response.status_code == 200, (referer, response.text)
    forbidden = {"code": 900908, "message": "Resource forbidden",
                 "description": "the application does not allow requests from this referrer"}
    for referer in ("https://evil.test/page", "https://example.com/page",
                    "https://www.example.com.evil.test/page", "http://partner.test/app/checkout",
                    "https://partner.test/other", None):
        more = {} if referer is None else {"Referer": referer}
        assert_refusal(get(gateway, headers, **more), 403, forbidden, challenge=False)

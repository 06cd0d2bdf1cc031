"""API keys as WSO2 makes them (a JWT signed by the gateway's key, in the `apikey` header or query
parameter), with their subscribed APIs and IP/referrer restrictions; and the backend JWT the
gateway passes on, checked against the gateway's published key. Keys are made by PyJWT with the
gateway's private key, the way WSO2 API Manager would; never by the gateway's own code."""

import subprocess
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
import pytest
import requests

from harness import api, wait_until

APP_ID = "7d2c3f6e-0000-4000-8000-000000000001"


@pytest.fixture
def gateway(gateway_factory, backend, signing_key):
    shop = api(name="Shop", version="1.0", context="/shop",
               endpoints=[backend.url + "/echo"],
               security={"schemes": ["api_key", "oauth2"]},
               backend_jwt={"claims": ["email"]},
               resources=[{"method": "GET", "path": "/items"}])
    blocked = api(name="Blocked", version="1.0", context="/blocked", endpoints=[backend.url],
                  security={"schemes": ["api_key"]})
    return gateway_factory(
        [shop, blocked], signing_key=str(signing_key),
        applications=[{"id": APP_ID, "name": "ShopApp", "owner": "alice", "tier": "50PerMin"}],
        subscriptions=[{"application": APP_ID, "api": "Shop:1.0", "tier": "Silver"},
                       {"application": APP_ID, "api": "Blocked:1.0", "state": "BLOCKED"}])


def api_key(signing_key, apis=("Shop",), lifetime=3600, ip=None, referer=None, key=None, **extra):
    now = int(time.time())
    claims = {
        "iss": "https://localhost:9443/oauth2/token", "sub": "alice@carbon.super",
        "iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4()),
        "keytype": "PRODUCTION", "token_type": "apiKey", "email": "alice@example.com",
        "application": {"id": 1, "uuid": APP_ID, "name": "ShopApp", "tier": "50PerMin",
                        "owner": "alice"},
        "subscribedAPIs": [{"name": name, "context": "/%s/1.0" % name.lower(), "version": "1.0",
                            "publisher": "admin", "subscriptionTier": "Silver"} for name in apis],
        "tierInfo": {"Silver": {"stopOnQuotaReach": True}},
    }
    if ip:
        claims["permittedIP"] = ip
    if referer:
        claims["permittedReferer"] = referer
    claims.update(extra)
    private = key or signing_key.read_bytes()
    return jwt.encode(claims, private, algorithm="RS256", headers={"typ": "JWT"})


def get(gateway, path="/shop/1.0/items", **headers):
    return requests.get(gateway.url(path), headers=headers, timeout=10)


def test_api_key_in_header_and_query(gateway, signing_key):
    key = api_key(signing_key)
    response = get(gateway, apikey=key)
    assert response.status_code == 200, response.text
    assert "apikey" not in response.json()["headers"]
    assert requests.get(gateway.url("/shop/1.0/items?apikey=" + key), timeout=10).status_code == 200


def test_api_key_signed_by_another_key_is_refused(gateway, signing_key, tmp_path):
    other = tmp_path / "other.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-out", str(other)], check=True,
                   capture_output=True)
    response = get(gateway, apikey=api_key(signing_key, key=other.read_bytes()))
    assert response.status_code == 401
    assert response.json()["code"] == 900901


def test_expired_api_key_is_refused(gateway, signing_key):
    assert get(gateway, apikey=api_key(signing_key, lifetime=-10)).json()["code"] == 900901


def test_api_key_must_list_the_api(gateway, signing_key):
    response = get(gateway, apikey=api_key(signing_key, apis=("Other",)))
    assert response.status_code == 403
    assert response.json()["code"] == 900908


def test_blocked_subscription_refuses_the_key(gateway, signing_key):
    response = get(gateway, "/blocked/1.0/x", apikey=api_key(signing_key, apis=("Blocked",)))
    assert response.status_code == 401
    assert response.json()["code"] == 900907


def test_ip_restriction(gateway, signing_key):
    assert get(gateway, apikey=api_key(signing_key, ip="127.0.0.0/8")).status_code == 200
    refused = get(gateway, apikey=api_key(signing_key, ip="10.0.0.0/8, 192.168.1.1"))
    assert refused.status_code == 403
    assert refused.json()["code"] == 900908


def test_referrer_restriction(gateway, signing_key):
    key = api_key(signing_key, referer="*.example.com/*")
    assert get(gateway, apikey=key, Referer="https://www.example.com/page").status_code == 200
    assert get(gateway, apikey=key, Referer="https://evil.test/page").status_code == 403
    assert get(gateway, apikey=key).status_code == 403


def test_backend_receives_a_jwt_signed_by_the_published_gateway_key(gateway, signing_key):
    response = get(gateway, apikey=api_key(signing_key))
    assertion = response.json()["headers"]["x-jwt-assertion"]
    # The backend verifies with what the admin listener publishes, found by the JWT's kid.
    published = requests.get(gateway.admin_url("/jwks"), timeout=10)
    assert published.status_code == 200
    assert published.headers["content-type"].startswith("application/json")
    keys = jwt.PyJWKSet.from_dict(published.json())
    assert all("d" not in key._jwk_data for key in keys.keys), "only the public half"
    kid = jwt.get_unverified_header(assertion)["kid"]
    public = next(key.key for key in keys.keys if key.key_id == kid)
    claims = jwt.decode(assertion, public, algorithms=["RS256"])
    wso2 = "http://wso2.org/claims/"
    assert claims[wso2 + "applicationid"] == APP_ID
    assert claims[wso2 + "applicationname"] == "ShopApp"
    assert claims[wso2 + "applicationtier"] == "50PerMin"
    assert claims[wso2 + "subscriber"] == "alice"
    assert claims[wso2 + "tier"] == "Silver"
    assert claims[wso2 + "keytype"] == "PRODUCTION"
    assert claims[wso2 + "version"] == "1.0"
    assert claims["email"] == "alice@example.com"
    assert claims["exp"] > time.time()


def test_backend_jwt_is_signed_once_per_caller_then_cached(gateway, signing_key):
    # The cache is per worker: one connection keeps the requests on one worker.
    key, other_key = api_key(signing_key), api_key(signing_key)
    with requests.Session() as session:
        def assertion(credential):
            response = session.get(gateway.url("/shop/1.0/items"), headers={"apikey": credential},
                                   timeout=10)
            assert response.status_code == 200, response.text
            return response.json()["headers"]["x-jwt-assertion"]

        first = assertion(key)
        issued_at = jwt.decode(first, options={"verify_signature": False})["iat"]
        # A JWT signed again now would have a later iat (and RS256 signs the same claims the
        # same way, so only a later iat tells a new signature from the cached one).
        assert wait_until(lambda: int(time.time()) > issued_at + 1, timeout=5)
        assert assertion(key) == first
        # Another caller (another API key) gets its own JWT, signed now.
        other = assertion(other_key)
        assert other != first
        assert jwt.decode(other, options={"verify_signature": False})["iat"] > issued_at
        assert assertion(key) == first


def test_published_key_set_is_the_configured_signing_key(gateway, signing_key):
    published = requests.get(gateway.admin_url("/jwks"), timeout=10).json()
    [key] = jwt.PyJWKSet.from_dict(published).keys
    private = serialization.load_pem_private_key(signing_key.read_bytes(), password=None)
    assert key.key.public_numbers() == private.public_key().public_numbers()


def test_no_signing_key_publishes_nothing(gateway_factory, backend):
    plain = gateway_factory([api(name="Open", version="1.0", context="/open",
                                 endpoints=[backend.url])])
    assert requests.get(plain.admin_url("/jwks"), timeout=10).status_code == 404


def test_reload_publishes_the_new_signing_key(gateway, signing_key, tmp_path):
    rotated = tmp_path / "rotated.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-out", str(rotated)], check=True, capture_output=True)
    before = requests.get(gateway.admin_url("/jwks"), timeout=10).json()
    gateway.reload(dict(gateway.config, signing_key=str(rotated)))

    def published_curve():
        keys = requests.get(gateway.admin_url("/jwks"), timeout=10).json()["keys"]
        return keys[0].get("crv")
    assert wait_until(lambda: published_curve() == "P-256")
    after = requests.get(gateway.admin_url("/jwks"), timeout=10).json()
    assert after["keys"][0]["kid"] != before["keys"][0]["kid"]


def generate(gateway, app=APP_ID, key_type="PRODUCTION", **body):
    return requests.post(
        gateway.admin_url("/applications/%s/api-keys/%s/generate" % (app, key_type)),
        json=body, timeout=10)


def test_admin_generates_a_key_the_gateway_admits(gateway):
    response = generate(gateway, validityPeriod=600,
                        additionalProperties={"permittedIP": "127.0.0.1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["keyName"] == "ShopApp_PRODUCTION" and body["validityTime"] == 600
    published = jwt.PyJWKSet.from_dict(requests.get(gateway.admin_url("/jwks"), timeout=10).json())
    claims = jwt.decode(body["apikey"], published.keys[0].key, algorithms=["RS256"],
                        audience="urn:gatehouse:api-key")
    assert claims["exp"] - claims["iat"] == 600
    assert claims["application"]["uuid"] == APP_ID
    assert [api["name"] for api in claims["subscribedAPIs"]] == ["Shop", "Blocked"]
    assert get(gateway, apikey=body["apikey"]).status_code == 200
    # Revoked like any token, by the key itself.
    revoked = requests.post(gateway.admin_url("/revocations"), json={"token": body["apikey"]},
                            timeout=10)
    assert revoked.status_code == 202
    assert wait_until(lambda: get(gateway, apikey=body["apikey"]).status_code == 401)


def test_admin_key_restricted_to_another_address_is_refused(gateway):
    body = generate(gateway, additionalProperties={"permittedIP": "192.0.2.1"}).json()
    assert get(gateway, apikey=body["apikey"]).status_code == 403


def test_admin_generate_refusals(gateway):
    assert generate(gateway, app="nobody").status_code == 404
    assert generate(gateway, key_type="TEST").status_code == 400
    bad = generate(gateway, validityPeriod="forever")
    assert bad.status_code == 400 and "validityPeriod" in bad.json()["description"]


def test_unknown_resource_of_a_secured_api_is_900906_for_admitted_callers_only(gateway, signing_key):
    # Without credentials the API's security answers first: the resource list stays private.
    anonymous = get(gateway, "/shop/1.0/no-such-resource")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == 900902
    forged = get(gateway, "/shop/1.0/no-such-resource", apikey="not-a-key")
    assert forged.status_code == 401 and forged.json()["code"] == 900901

    refused = get(gateway, "/shop/1.0/no-such-resource", apikey=api_key(signing_key))
    assert refused.status_code == 403
    assert refused.json()["code"] == 900906
    # A wrong method on a known resource stays a 405, and paths outside every API a 404.
    wrong_method = requests.delete(gateway.url("/shop/1.0/items"), timeout=10,
                                   headers={"apikey": api_key(signing_key)})
    assert wrong_method.status_code == 405
    assert get(gateway, "/elsewhere", apikey=api_key(signing_key)).status_code == 404

"""The options of `backend_jwt` in docs/config.md: `header` names the request header that carries
the JWT to the backend, and `keep_authorization` forwards the caller's `Authorization` header,
which is otherwise removed. The echo backend shows what arrived; the JWT is checked against the
key the admin listener publishes."""

import base64
import json
import shutil
import subprocess

import jwt
import pytest
import requests

from harness import api
from security_support import ISSUER, KeySet, rsa_signing_key

WSO2 = "http://wso2.org/claims/"
CUSTOM_HEADER = "X-Caller-JWT"
PASSWORD = "bob-password"


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture(scope="module")
def bob_hash():
    if shutil.which("htpasswd") is None:
        pytest.fail("the htpasswd command line tool is required")
    line = subprocess.run(["htpasswd", "-nbB", "bob", PASSWORD], capture_output=True, check=True,
                          text=True).stdout.strip()
    return line.split(":", 1)[1]


@pytest.fixture
def gateway(gateway_factory, backend, keys, bob_hash, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    schemes = {"schemes": ["oauth2", "basic_auth"]}

    def secured(name, **extra):
        return api(name=name, version="1.0", context="/" + name.lower(),
                   endpoints=[backend.url + "/echo"], security=schemes, **extra)

    apis = [secured("Custom", backend_jwt={"header": CUSTOM_HEADER}),
            secured("Kept", backend_jwt={"keep_authorization": True}),
            secured("Dropped", backend_jwt={"keep_authorization": False}),
            secured("Plain")]
    return gateway_factory(
        apis, signing_key=str(rsa_signing_key(tmp_path / "gateway.pem")),
        users=[{"name": "bob", "password_hash": bob_hash}],
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=[{"id": "app-1", "keys": [{"key_manager": "idp",
                                                 "consumer_key": "client-1"}]}],
        subscriptions=[{"application": "app-1", "api": "%s:1.0" % a["name"]} for a in apis])


def received(gateway, api_name, authorization, **headers):
    """The request headers the backend received (names lower-cased)."""
    response = requests.get(gateway.url("/%s/1.0/items" % api_name.lower()), timeout=10,
                            headers={"Authorization": authorization, **headers})
    assert response.status_code == 200, response.text
    return response.json()["headers"]


def verified_claims(gateway, assertion):
    published = jwt.PyJWKSet.from_dict(requests.get(gateway.admin_url("/jwks"), timeout=10).json())
    kid = jwt.get_unverified_header(assertion)["kid"]
    public = next(key.key for key in published.keys if key.key_id == kid)
    return jwt.decode(assertion, public, algorithms=["RS256", "ES256"],
                      options={"verify_aud": False})


def test_the_backend_jwt_travels_in_the_configured_header(gateway, keys):
    headers = received(gateway, "Custom", "Bearer " + keys.token(),
                       **{CUSTOM_HEADER: "forged.by.caller"})
    assert "x-jwt-assertion" not in headers
    assertion = headers[CUSTOM_HEADER.lower()]
    assert "," not in assertion, "the caller's own value must be replaced, not joined"
    claims = verified_claims(gateway, assertion)
    assert claims[WSO2 + "apiname"] == "Custom"
    assert claims[WSO2 + "applicationid"] == "app-1"


def test_the_default_header_is_x_jwt_assertion(gateway, keys):
    headers = received(gateway, "Dropped", "Bearer " + keys.token())
    assert CUSTOM_HEADER.lower() not in headers
    assert verified_claims(gateway, headers["x-jwt-assertion"])[WSO2 + "apiname"] == "Dropped"


@pytest.mark.parametrize("scheme", ["bearer", "basic"])
def test_keep_authorization_forwards_the_callers_authorization(gateway, keys, scheme):
    if scheme == "bearer":
        authorization = "Bearer " + keys.token()
    else:
        authorization = "Basic " + base64.b64encode(("bob:" + PASSWORD).encode()).decode()
    kept = received(gateway, "Kept", authorization)
    assert kept["authorization"] == authorization
    assert "x-jwt-assertion" in kept
    for api_name in ("Dropped", "Plain"):  # keep_authorization false, and no backend_jwt at all
        assert "authorization" not in received(gateway, api_name, authorization), api_name

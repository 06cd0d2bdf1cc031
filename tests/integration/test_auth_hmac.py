"""HS256/384/512 access tokens, which docs/config.md accepts only from a key manager with an
`hmac_secret` (at least 32 bytes; 48 for HS384 and 64 for HS512, as RFC 7518 3.2 asks), while
"an RSA key is never an HMAC secret". Tokens are made by PyJWT (security_support.py), never by the
gateway's code."""

import hashlib
import hmac
import json
import re
import subprocess
import time

import jwt
import pytest
import requests

from harness import GATEHOUSE_BIN, api, to_yaml
from security_support import (ISSUER, KeySet, assert_wso2_error, b64url, hs256_with_public_key)

SECRET = "a shared secret long enough for every HS alg, HS512 included: 64+ bytes"
SHORT_SECRET = "exactly thirty-two bytes long..."
SHORT_ISSUER = "https://short-secret.test"
OTHER_ISSUER = "https://no-hmac.test"


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def secured(gateway_factory, backend, keys, tmp_path):
    """`idp` takes HS tokens signed with SECRET and asymmetric ones from its JWKS; `short` has
    only SHORT_SECRET; `no-hmac` has the same JWKS as `idp` and no secret."""
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2"]}, resources=[{"method": "GET", "path": "/items"}])
    return gateway_factory(
        [shop],
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file),
                       "hmac_secret": SECRET},
                      {"name": "short", "issuer": SHORT_ISSUER, "hmac_secret": SHORT_SECRET},
                      {"name": "no-hmac", "issuer": OTHER_ISSUER, "jwks_file": str(jwks_file)}],
        applications=[{"id": "app", "keys": [
            {"key_manager": name, "consumer_key": "client-1"}
            for name in ("idp", "short", "no-hmac")]}],
        subscriptions=[{"application": "app", "api": "Shop:1.0"}])


def hmac_token(secret=SECRET, alg="HS256", issuer=ISSUER, **headers):
    now = int(time.time())
    claims = {"iss": issuer, "sub": "alice", "client_id": "client-1", "scope": "read",
              "iat": now, "exp": now + 300, "jti": "hmac-%d-%s" % (now, alg)}
    return jwt.encode(claims, secret, algorithm=alg, headers=headers or None)


def rs256_signed_with_the_secret():
    """The reverse confusion: an RS256 header whose signature is an HMAC with the secret."""
    header = {"alg": "RS256", "typ": "JWT", "kid": "rs"}
    payload = {"iss": ISSUER, "client_id": "client-1", "exp": int(time.time()) + 300}
    signing_input = "%s.%s" % (b64url(json.dumps(header)), b64url(json.dumps(payload)))
    signature = hmac.new(SECRET.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def call(gateway, token):
    return requests.get(gateway.url("/shop/1.0/items"),
                        headers={"Authorization": "Bearer " + token}, timeout=10)


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_tokens_signed_with_the_secret_are_admitted(secured, alg):
    response = call(secured, hmac_token(alg=alg))
    assert response.status_code == 200, response.text
    assert response.json()["headers"].get("authorization") is None


def test_a_32_byte_secret_admits_hs256_only(secured):
    assert len(SHORT_SECRET) == 32
    assert call(secured, hmac_token(SHORT_SECRET, issuer=SHORT_ISSUER)).status_code == 200
    for alg in ("HS384", "HS512"):
        refused = call(secured, hmac_token(SHORT_SECRET, alg=alg, issuer=SHORT_ISSUER))
        body = assert_wso2_error(refused, 401, 900901, "invalid_token")
        assert body["description"] == "key too weak"


def test_the_key_managers_asymmetric_keys_still_work_beside_the_secret(secured, keys):
    assert call(secured, keys.token(kid="rs")).status_code == 200


def test_a_token_signed_with_another_secret_is_refused(secured):
    forged = hmac_token(secret="another secret, also long enough: 32+ bytes")
    body = assert_wso2_error(call(secured, forged), 401, 900901, "invalid_token")
    assert body["description"] == "invalid signature"


@pytest.mark.parametrize("make", [
    # The classic confusion: HS256 "signed" with the issuer's public RSA key as the secret.
    lambda keys: hs256_with_public_key(keys, {"iss": ISSUER, "client_id": "client-1",
                                              "exp": int(time.time()) + 300}),
    lambda keys: rs256_signed_with_the_secret(),
], ids=["hs256-with-the-public-key", "rs256-with-the-secret"])
def test_algorithm_confusion_is_refused(secured, keys, make):
    assert_wso2_error(call(secured, make(keys)), 401, 900901, "invalid_token")


def test_hmac_tokens_of_a_key_manager_without_a_secret_are_refused(secured):
    token = hmac_token(issuer=OTHER_ISSUER)
    body = assert_wso2_error(call(secured, token), 401, 900901, "invalid_token")
    assert body["description"] == "HMAC-signed tokens are not accepted"


def test_a_secret_under_32_bytes_is_a_config_error(tmp_path):
    config = {"listeners": [{"name": "http", "address": "127.0.0.1:8280"}],
              "key_managers": [{"name": "idp", "issuer": ISSUER, "hmac_secret": "x" * 31}],
              "apis": []}
    path = tmp_path / "gatehouse.yaml"
    path.write_text(to_yaml(config))
    checked = subprocess.run([GATEHOUSE_BIN, "validate", "-c", str(path)], capture_output=True,
                             text=True, timeout=30)
    assert checked.returncode != 0
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1)
                if "hmac_secret" in text)
    output = checked.stdout + checked.stderr
    # At the secret's own line, without printing the secret.
    assert re.search(r"gatehouse\.yaml:%d:\d+: 'hmac_secret' must be at least 32 bytes" % line,
                     output), checked
    assert "x" * 31 not in output

"""The built-in key manager's signing key rotated through the admin listener (and by
`gatehouse oauth2 rotate-key`): tokens signed by the previous key stay accepted by the gateway and
by introspection, and listed in the JWKS, next to the new key's; a restart keeps both."""

import base64
import json
import os
import subprocess

import requests

import harness
from key_manager_support import (ADMIN_TOKEN, SECRET, call_api, start_key_manager,
                                 with_admin_token)

ROTATE_PATH = "/oauth2/keys/rotate"


def access_token(gateway):
    answer = requests.post(gateway.url("/oauth2/token"), data={"grant_type": "client_credentials"},
                           auth=("shop", SECRET), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def kid_of(token):
    header = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def listed_kids(gateway):
    keys = requests.get(gateway.url("/oauth2/jwks"), timeout=10).json()["keys"]
    return {key["kid"] for key in keys}


def active(gateway, token):
    answer = requests.post(gateway.url("/oauth2/introspect"), data={"token": token},
                           auth=("shop", SECRET), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["active"]


def assert_both_accepted(gateway, tokens):
    for token in tokens:
        called = call_api(gateway, token)
        assert called.status_code == 200, called.text
        assert active(gateway, token)


def test_rotation_keeps_the_previous_key_until_its_tokens_expire(gateway_factory, backend_factory,
                                                                 tmp_path):
    gateway = start_key_manager(with_admin_token(gateway_factory), backend_factory, tmp_path)
    token_a = access_token(gateway)

    refused = requests.post(gateway.admin_url(ROTATE_PATH), timeout=10)
    assert refused.status_code == 401
    rotated = requests.post(gateway.admin_url(ROTATE_PATH),
                            headers={"Authorization": "Bearer " + ADMIN_TOKEN}, timeout=10)
    assert rotated.status_code == 200, rotated.text
    new_kid = rotated.json()["kid"]
    assert new_kid != kid_of(token_a)
    assert {key["kid"] for key in rotated.json()["jwks"]["keys"]} == {kid_of(token_a), new_kid}

    token_b = access_token(gateway)
    assert kid_of(token_b) == new_kid
    assert listed_kids(gateway) == {kid_of(token_a), new_kid}
    assert_both_accepted(gateway, [token_a, token_b])

    gateway = gateway.restart()
    assert listed_kids(gateway) == {kid_of(token_a), new_kid}
    assert kid_of(access_token(gateway)) == new_kid
    assert_both_accepted(gateway, [token_a, token_b])


def test_the_command_rotates_through_the_admin_listener(gateway_factory, backend_factory,
                                                        tmp_path):
    gateway = start_key_manager(with_admin_token(gateway_factory), backend_factory, tmp_path)
    token_a = access_token(gateway)
    command = [harness.GATEHOUSE_BIN, "oauth2", "rotate-key",
               "--admin", gateway.admin_url("")]

    refused = subprocess.run(command, capture_output=True, text=True, timeout=10,
                             env={k: v for k, v in os.environ.items()
                                  if k != "GATEHOUSE_ADMIN_TOKEN"})
    assert refused.returncode == 1 and "HTTP 401" in refused.stderr

    rotated = subprocess.run(command, capture_output=True, text=True, timeout=10,
                             env=dict(os.environ, GATEHOUSE_ADMIN_TOKEN=ADMIN_TOKEN))
    assert rotated.returncode == 0, rotated.stderr
    new_kid = json.loads(rotated.stdout)["kid"]
    assert listed_kids(gateway) == {kid_of(token_a), new_kid}
    assert kid_of(access_token(gateway)) == new_kid


def test_an_es256_key_manager_signs_with_an_ec_key_the_gateway_accepts(
        gateway_factory, backend_factory, tmp_path):
    gateway = start_key_manager(with_admin_token(gateway_factory), backend_factory, tmp_path,
                                settings={"signing_alg": "ES256"})
    keys = requests.get(gateway.url("/oauth2/jwks"), timeout=10).json()["keys"]
    assert [(key["kty"], key["alg"], key["crv"]) for key in keys] == [("EC", "ES256", "P-256")]
    token = access_token(gateway)
    header = token.split(".")[0]
    assert json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["alg"] == \
        "ES256"
    assert call_api(gateway, token).status_code == 200
    discovery = requests.get(gateway.url("/.well-known/openid-configuration"), timeout=10).json()
    assert discovery["id_token_signing_alg_values_supported"] == ["ES256"]


def signing_key_series(gateway):
    text = requests.get(gateway.admin_url("/metrics"), timeout=10,
                        headers={"Authorization": "Bearer " + ADMIN_TOKEN}).text
    return {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
            if line.startswith("gatehouse_oauth2_signing_key")}


def test_the_metrics_count_rotations_and_the_listed_keys(gateway_factory, backend_factory,
                                                          tmp_path):
    gateway = start_key_manager(with_admin_token(gateway_factory), backend_factory, tmp_path)
    before = signing_key_series(gateway)
    assert before["gatehouse_oauth2_signing_key_rotations_total"] == 0
    assert before["gatehouse_oauth2_signing_keys"] == 1
    assert 0 <= before["gatehouse_oauth2_signing_key_age_seconds"] < 60
    rotated = requests.post(gateway.admin_url(ROTATE_PATH), timeout=30,
                            headers={"Authorization": "Bearer " + ADMIN_TOKEN})
    assert rotated.status_code == 200, rotated.text
    after = signing_key_series(gateway)
    assert after["gatehouse_oauth2_signing_key_rotations_total"] == 1
    assert after["gatehouse_oauth2_signing_keys"] == 2

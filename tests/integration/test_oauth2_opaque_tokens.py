"""Opaque access tokens of the built-in key manager (a client with `access_token_format: opaque`),
with real clients (curl and requests) on a gateway of two workers: the token is a random string
that the Shop API, secured by the `resident` key manager, accepts without any HTTP call (the
backend sees who called through the backend JWT), that introspection describes, that every worker
refuses once revoked, and that a restart on the same store keeps."""

import json
import shutil
import subprocess

import jwt
import pytest
import requests

from key_manager_support import (CLIENT_ID, ITEMS_PATH, PASSWORD, SECRET, USER, call_api,
                                 shop_client, start_key_manager)
from security_support import rsa_signing_key

WSO2 = "http://wso2.org/claims/"


def with_backend_jwt(gateway_factory, tmp_path):
    """The gateway factory, the Shop API sending the backend a JWT about its caller."""
    key = rsa_signing_key(tmp_path / "gateway.pem")

    def start(config, **options):
        config["signing_key"] = str(key)
        for api in config["apis"]:
            api["backend_jwt"] = {"claims": ["client_id", "scope"]}
        return gateway_factory(config=config, **options)
    return start


@pytest.fixture
def server(gateway_factory, backend_factory, tmp_path):
    gateway = start_key_manager(with_backend_jwt(gateway_factory, tmp_path), backend_factory,
                                tmp_path, clients=[shop_client(access_token_format="opaque")])
    assert gateway.config["workers"] >= 2
    return gateway


def tokens(gateway, **form):
    form.setdefault("grant_type", "client_credentials")
    answer = requests.post(gateway.url("/oauth2/token"), data=form, auth=(CLIENT_ID, SECRET),
                           timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def introspect(gateway, token):
    answer = requests.post(gateway.url("/oauth2/introspect"), data={"token": token},
                           auth=(CLIENT_ID, SECRET), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def revoke(gateway, token):
    answer = requests.post(gateway.url("/oauth2/revoke"), data={"token": token},
                           auth=(CLIENT_ID, SECRET), timeout=10)
    assert answer.status_code == 200, answer.text


def caller_seen_by_the_backend(gateway, token):
    """The claims of the backend JWT the Shop API's backend received for a call with `token`."""
    answer = call_api(gateway, token)
    assert answer.status_code == 200, answer.text
    assertion = answer.json()["headers"]["x-jwt-assertion"]
    return jwt.decode(assertion, options={"verify_signature": False})


def assert_opaque(token):
    assert token.startswith("gat_") and "." not in token, token


def test_curl_gets_an_opaque_token_that_the_api_accepts_for_its_client(server):
    if shutil.which("curl") is None:
        pytest.fail("curl is required")
    out = subprocess.run(["curl", "-sS", "-u", "%s:%s" % (CLIENT_ID, SECRET),
                          "-d", "grant_type=client_credentials", "-d", "scope=read",
                          server.url("/oauth2/token")],
                         capture_output=True, check=True, timeout=10).stdout
    body = json.loads(out)
    assert_opaque(body["access_token"])
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    claims = caller_seen_by_the_backend(server, body["access_token"])
    assert claims["sub"] == CLIENT_ID
    assert claims["client_id"] == CLIENT_ID and claims["scope"] == "read"
    assert claims[WSO2 + "applicationid"] == "shop-app"
    # Its scope is read alone: the resource that needs write refuses it.
    assert call_api(server, body["access_token"], method="POST").status_code == 403


def test_a_users_opaque_token_names_the_user(server):
    body = tokens(server, grant_type="password", username=USER, password=PASSWORD)
    assert_opaque(body["access_token"])
    assert "." not in body["refresh_token"]
    claims = caller_seen_by_the_backend(server, body["access_token"])
    assert claims["sub"] == USER and claims["client_id"] == CLIENT_ID


def test_introspection_describes_it_as_a_jwt_would_be(server):
    token = tokens(server)["access_token"]
    answer = introspect(server, token)
    assert answer["active"] is True
    assert answer["token_type"] == "Bearer"
    assert answer["client_id"] == CLIENT_ID and answer["sub"] == CLIENT_ID
    assert answer["iss"] == server.issuer and answer["aud"] == server.issuer
    assert answer["scope"] == "read write"
    assert answer["exp"] - answer["iat"] == 3600 and answer["jti"]
    assert introspect(server, token + "x") == {"active": False}
    assert introspect(server, "gat_" + "A" * 43) == {"active": False}


def test_a_revoked_opaque_token_is_refused_by_every_worker(server):
    token = tokens(server)["access_token"]
    # Several calls on new connections, so that both workers have resolved (and cached) it.
    for _ in range(8):
        assert call_api(server, token).status_code == 200
    revoke(server, token)
    assert introspect(server, token) == {"active": False}
    # A worker's cached answer is dropped by the revocation of its jti, which every worker has
    # before the answer to /oauth2/revoke.
    assert [call_api(server, token).status_code for _ in range(8)] == [401] * 8


def test_an_opaque_token_revoked_before_its_first_call_is_refused_at_once(server):
    token = tokens(server)["access_token"]
    revoke(server, token)
    # Gone from the table that the workers resolve from before /oauth2/revoke answered.
    assert [call_api(server, token).status_code for _ in range(8)] == [401] * 8


def test_a_reused_refresh_token_revokes_the_opaque_tokens_of_its_grant(server):
    first = tokens(server, grant_type="password", username=USER, password=PASSWORD)
    second = tokens(server, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert call_api(server, second["access_token"]).status_code == 200
    reused = requests.post(server.url("/oauth2/token"),
                           data={"grant_type": "refresh_token",
                                 "refresh_token": first["refresh_token"]},
                           auth=(CLIENT_ID, SECRET), timeout=10)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    for token in (first["access_token"], second["access_token"]):
        assert introspect(server, token) == {"active": False}
        assert call_api(server, token).status_code == 401


def test_a_restart_on_the_same_store_keeps_the_opaque_tokens_issued_before(server):
    kept = tokens(server)["access_token"]
    revoked = tokens(server)["access_token"]
    assert call_api(server, kept).status_code == 200
    revoke(server, revoked)
    restarted = server.restart()
    assert [call_api(restarted, kept).status_code for _ in range(4)] == [200] * 4
    assert introspect(restarted, kept)["active"] is True
    assert [call_api(restarted, revoked).status_code for _ in range(4)] == [401] * 4
    assert introspect(restarted, revoked) == {"active": False}


def test_the_items_path_refuses_an_unknown_opaque_token(server):
    refused = requests.get(server.url(ITEMS_PATH), timeout=10,
                           headers={"Authorization": "Bearer gat_" + "A" * 43})
    assert refused.status_code == 401

"""The built-in key manager (`oauth2_server`) served by the gateway, with real clients (requests
and curl): discovery, JWKS, the token endpoint's grants and errors, introspection, revocation,
and the gateway accepting the tokens it issued on a secured API until they are revoked; then a
restart on the same store."""

import json
import shutil
import subprocess
import time

import pytest
import requests

from harness import wait_until
from key_manager_support import PASSWORD, SECRET, USER, call_api, start_key_manager


@pytest.fixture
def server(gateway_factory, backend_factory, tmp_path):
    return start_key_manager(gateway_factory, backend_factory, tmp_path)


def token(gateway, auth="basic", secret=SECRET, **form):
    form.setdefault("grant_type", "client_credentials")
    if auth == "basic":
        return requests.post(gateway.url("/oauth2/token"), data=form, auth=("shop", secret),
                             timeout=10)
    return requests.post(gateway.url("/oauth2/token"),
                         data=dict(form, client_id="shop", client_secret=secret), timeout=10)


def access_token(gateway, **form):
    answer = token(gateway, **form)
    assert answer.status_code == 200, answer.text
    return answer.json()


def introspect(gateway, value):
    answer = requests.post(gateway.url("/oauth2/introspect"), data={"token": value},
                           auth=("shop", SECRET), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_both_discovery_documents_name_the_issuer_and_its_endpoints(server):
    for path in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"):
        document = requests.get(server.url(path), timeout=10).json()
        assert document["issuer"] == server.issuer
        assert document["token_endpoint"] == server.issuer + "/oauth2/token"
        assert document["introspection_endpoint"] == server.issuer + "/oauth2/introspect"
        assert document["revocation_endpoint"] == server.issuer + "/oauth2/revoke"
        assert document["jwks_uri"] == server.issuer + "/oauth2/jwks"
        assert "client_credentials" in document["grant_types_supported"]


def test_jwks_lists_the_public_signing_key(server):
    keys = requests.get(server.url("/oauth2/jwks"), timeout=10).json()["keys"]
    assert len(keys) == 1 and keys[0]["kid"]
    assert "d" not in keys[0]


def test_client_credentials_by_basic_and_post_call_the_secured_api(server):
    for auth in ("basic", "post"):
        answer = token(server, auth=auth)
        assert answer.status_code == 200, answer.text
        assert answer.headers["Cache-Control"] == "no-store"
        body = answer.json()
        assert body["token_type"] == "Bearer" and body["expires_in"] > 0
        called = call_api(server, body["access_token"])
        assert called.status_code == 200, called.text


def test_token_answers_are_logged_like_every_request(server):
    access_token(server)
    assert server.wait_for_access_log(
        lambda r: r.get("path") == "/oauth2/token" and r.get("status") == 200)


def test_curl_gets_a_token_with_client_secret_basic(server):
    if shutil.which("curl") is None:
        pytest.fail("curl is required")
    out = subprocess.run(["curl", "-sS", "-u", "shop:" + SECRET, "-d", "grant_type=client_credentials",
                          "-d", "scope=read", server.url("/oauth2/token")],
                         capture_output=True, check=True, timeout=10).stdout
    body = json.loads(out)
    assert body["scope"] == "read"
    assert call_api(server, body["access_token"]).status_code == 200


def test_a_wrong_secret_is_invalid_client_with_a_challenge(server):
    answer = token(server, secret="not-the-secret")
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert answer.headers["WWW-Authenticate"].startswith("Basic realm=")


def test_guessing_a_secret_is_shut_out_for_longer_each_time(server):
    assert [token(server, secret="guess-%d" % n).status_code for n in range(6)] == [401] * 6
    # Shut out for a second: even the right secret is not checked, nor told apart.
    refused = token(server)
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"] == "temporarily_unavailable"
    assert refused.headers["Retry-After"] == "1"
    assert wait_until(lambda: token(server).status_code == 200, timeout=3, interval=0.2)
    # A success forgets the client's count, not the address's: the next failure shuts it out
    # for twice as long, 2 s. Measured from before the failure, so that a slow machine only
    # lengthens what is seen (Retry-After counts down, and may say 1 after a pause).
    failed_at = time.monotonic()
    assert token(server, secret="guess-again").status_code == 401
    assert wait_until(lambda: token(server).status_code == 200, timeout=5, interval=0.1)
    assert time.monotonic() - failed_at > 1.5


def test_guessing_a_password_is_shut_out(server):
    wrong = [token(server, grant_type="password", username=USER, password="guess-%d" % n)
             for n in range(6)]
    assert [answer.json()["error"] for answer in wrong] == ["invalid_grant"] * 6
    refused = token(server, grant_type="password", username=USER, password=PASSWORD)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"


def test_an_unknown_grant_type_is_unsupported(server):
    answer = token(server, grant_type="urn:example:unknown")
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_password_grant_for_a_user_of_the_users_section(server):
    body = access_token(server, grant_type="password", username=USER, password=PASSWORD)
    assert body["refresh_token"]
    assert call_api(server, body["access_token"]).status_code == 200
    refused = token(server, grant_type="password", username=USER, password="wrong")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_refresh_rotates_and_reuse_revokes_the_family(server):
    first = access_token(server, grant_type="password", username=USER, password=PASSWORD)
    second = access_token(server, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second["refresh_token"] != first["refresh_token"]
    reused = token(server, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    newer = token(server, grant_type="refresh_token", refresh_token=second["refresh_token"])
    assert newer.status_code == 400 and newer.json()["error"] == "invalid_grant"


def test_introspection_says_active_then_inactive_after_revocation(server):
    issued = access_token(server)["access_token"]
    answer = introspect(server, issued)
    assert answer["active"] is True and answer["client_id"] == "shop"
    assert introspect(server, "not-a-token") == {"active": False}
    revoked = requests.post(server.url("/oauth2/revoke"), data={"token": issued},
                            auth=("shop", SECRET), timeout=10)
    assert revoked.status_code == 200, revoked.text
    assert introspect(server, issued) == {"active": False}


def test_a_revoked_token_is_refused_by_every_worker(server):
    issued = access_token(server)["access_token"]
    # Several calls on new connections, so that both workers have validated (and cached) it.
    for _ in range(8):
        assert call_api(server, issued).status_code == 200
    revoked = requests.post(server.url("/oauth2/revoke"), data={"token": issued},
                            auth=("shop", SECRET), timeout=10)
    assert revoked.status_code == 200, revoked.text
    # The answer to /oauth2/revoke waits until every worker has the revocation: the calls that
    # follow it are refused at once, on new connections, whichever worker takes them.
    refused = [call_api(server, issued).status_code for _ in range(8)]
    assert refused == [401] * 8


def test_a_restart_on_the_same_store_keeps_refresh_tokens_and_the_key(server):
    kid = requests.get(server.url("/oauth2/jwks"), timeout=10).json()["keys"][0]["kid"]
    refresh = access_token(server, grant_type="password", username=USER,
                           password=PASSWORD)["refresh_token"]
    restarted = server.restart()
    assert requests.get(restarted.url("/oauth2/jwks"), timeout=10).json()["keys"][0]["kid"] == kid
    body = access_token(restarted, grant_type="refresh_token", refresh_token=refresh)
    assert call_api(restarted, body["access_token"]).status_code == 200


def test_a_body_over_the_buffered_bound_is_413(server):
    answer = requests.post(server.url("/oauth2/token"), data="a" * (2 << 20),
                           headers={"Content-Type": "application/x-www-form-urlencoded"},
                           auth=("shop", SECRET), timeout=10)
    assert answer.status_code == 413


def test_a_reload_that_changes_the_issuer_is_refused(server):
    changed = json.loads(json.dumps(server.config))
    changed["oauth2_server"]["issuer"] = "https://elsewhere.example"
    server.reload(changed)
    assert wait_until(lambda: "change only at a restart" in server.logs())
    issued = access_token(server)["access_token"]
    assert call_api(server, issued).status_code == 200


def test_the_admin_listener_serves_the_same_endpoints(server):
    keys = requests.get(server.admin_url("/oauth2/jwks"), timeout=10).json()["keys"]
    assert keys == requests.get(server.url("/oauth2/jwks"), timeout=10).json()["keys"]
    answer = requests.post(server.admin_url("/oauth2/token"),
                           data={"grant_type": "client_credentials"}, auth=("shop", SECRET),
                           timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    assert call_api(server, answer.json()["access_token"]).status_code == 200
    wrong = requests.post(server.admin_url("/oauth2/token"),
                          data={"grant_type": "client_credentials"}, auth=("shop", "wrong"),
                          timeout=10)
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Basic")

"""The built-in key manager used by standard clients as they would use Keycloak: openid-client,
the certified OpenID relying party, for discovery and every grant (the device grant, the JWT
bearer grant and token exchange among them), client authentication by secret and by
private_key_jwt, pushed authorization requests, userinfo, introspection and revocation, with jose
signing the client's own JWTs and verifying each token against the JWKS; and for the browser
flows, a person's browser, Chromium, on the sign-in page (clients/oauth2_flow.mjs). A flow prints
what the client got; the tests check it, and that its tokens open, or no longer open, the API the
key manager secures."""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import harness
from harness import free_port, wait_until
from key_manager_support import (CLIENT_ID, DOWNSCOPE_GRANT, ITEMS_PATH, PASSWORD, SECRET, USER,
                                 call_api, shop_client, start_key_manager)

CLIENTS_DIR = Path(__file__).resolve().parent / "clients"
CHROMIUM = "/usr/bin/chromium"  # Debian's, which clients/browser.mjs drives
PUBLIC_CLIENT_ID = "shop-spa"
DEVICE_CLIENT_ID = "tv"
SIGNED_CLIENT_ID = "signed"  # authenticates with private_key_jwt
IDP = "https://idp.example"  # the trusted issuer whose assertions name users and actors
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
# Seconds between a device's polls. The server compares whole seconds, so with 2, two polls made
# within one second are always too soon, and polls a full interval apart never are.
DEVICE_INTERVAL = 2
SLOW_DOWN_STEP = 5  # seconds that a slow_down adds to the interval (RFC 8628 section 3.5)
FLOW_TIMEOUT = 60  # seconds: a flow makes a few requests; the device flow waits about 11 s


@pytest.fixture(scope="module")
def node():
    """Node with the clients' packages; missing, it fails the tests (make test installs both)."""
    path = shutil.which("node")
    if path is None:
        pytest.fail("node is required: scripts/install-deps installs it")
    harness.install_npm_test_tools()
    return path


@pytest.fixture
def chromium():
    """Missing, it fails the browser's tests (scripts/install-deps installs it)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail("%s is required: scripts/install-deps installs it" % CHROMIUM)


@pytest.fixture(scope="module")
def key_pairs(node):
    """ES256 key pairs made by jose (clients/make_key.mjs), as private and public JWKs: the
    private_key_jwt client's ("client") and the trusted identity provider's ("idp")."""
    def make(kid):
        made = subprocess.run([node, str(CLIENTS_DIR / "make_key.mjs"), kid], cwd=CLIENTS_DIR,
                              capture_output=True, text=True, check=True, timeout=FLOW_TIMEOUT)
        return json.loads(made.stdout)

    return {"client": make("signed-key"), "idp": make("idp-key")}


@pytest.fixture
def server(gateway_factory, backend_factory, tmp_path, key_pairs):
    """The key manager, whose client `shop` may use every grant with its secret, the public
    clients PUBLIC_CLIENT_ID (a browser application) and DEVICE_CLIENT_ID (a TV), and
    SIGNED_CLIENT_ID, which signs its assertions with key_pairs' client key, and trusts IDP's
    JWTs, signed with key_pairs' idp key. The redirect_uri is on a port where the browser flows
    listen while they run."""
    redirect_uri = "http://127.0.0.1:%d/callback" % free_port()
    client = shop_client(grant_types=["authorization_code", "client_credentials", "password",
                                      "refresh_token", DOWNSCOPE_GRANT],
                         redirect_uris=[redirect_uri])
    # A browser application's client: no secret to keep, PKCE alone binds the code to it.
    public_client = {"client_id": PUBLIC_CLIENT_ID, "public": True,
                     "grant_types": ["authorization_code"], "scopes": ["read"],
                     "redirect_uris": [redirect_uri], "application": "shop-app"}
    device_client = {"client_id": DEVICE_CLIENT_ID, "public": True,
                     "grant_types": [DEVICE_GRANT], "scopes": ["read"], "application": "shop-app"}
    signed_client = {"client_id": SIGNED_CLIENT_ID,
                     "token_endpoint_auth_method": "private_key_jwt",
                     "jwks": [key_pairs["client"]["public_jwk"]],
                     "grant_types": ["client_credentials", JWT_BEARER, TOKEN_EXCHANGE],
                     "scopes": ["read", "write"], "application": "shop-app"}
    settings = {"device_code_interval": "%ds" % DEVICE_INTERVAL,
                "trusted_issuers": [{"issuer": IDP, "jwks": [key_pairs["idp"]["public_jwk"]]}]}
    gateway = start_key_manager(gateway_factory, backend_factory, tmp_path,
                                clients=[client, public_client, device_client, signed_client],
                                settings=settings)
    gateway.redirect_uri = redirect_uri
    gateway.private_keys = {"CLIENT_PRIVATE_KEY": json.dumps(key_pairs["client"]["private_jwk"]),
                            "IDP_PRIVATE_KEY": json.dumps(key_pairs["idp"]["private_jwk"])}
    return gateway


def run_flow(node, issuer, name, *args, client_id=CLIENT_ID, secret=SECRET, private_keys=None):
    """The flow's process, finished: its JSON result is on stdout when it exits 0.
    `private_keys`: more environment, the keys (server.private_keys) that sign assertions."""
    env = dict(os.environ, CLIENT_SECRET=secret, USER_PASSWORD=PASSWORD, **(private_keys or {}))
    return subprocess.run([node, str(CLIENTS_DIR / "oauth2_flow.mjs"), name, "--issuer", issuer,
                           "--client-id", client_id, *args],
                          cwd=CLIENTS_DIR, env=env, capture_output=True, text=True,
                          timeout=FLOW_TIMEOUT)


@pytest.fixture
def flow(node, server):
    """Runs a flow of oauth2_flow.mjs as a client (`shop` unless named) against the server; its
    result."""
    def run(name, *args, client_id=CLIENT_ID):
        done = run_flow(node, server.issuer, name, *args, client_id=client_id,
                        private_keys=server.private_keys)
        assert done.returncode == 0, "%s failed:\n%s%s" % (name, done.stderr, server.logs())
        return json.loads(done.stdout)

    return run


def test_openid_client_reads_both_discovery_documents(flow, server):
    documents = flow("discovery")
    assert set(documents) == {"openid_configuration", "authorization_server"}
    for document in documents.values():
        assert document["issuer"] == server.issuer
        assert document["token_endpoint"] == server.issuer + "/oauth2/token"
        assert document["jwks_uri"] == server.issuer + "/oauth2/jwks"
        assert DOWNSCOPE_GRANT in document["grant_types_supported"]


@pytest.mark.parametrize("auth", ["client_secret_basic", "client_secret_post"])
def test_client_credentials_token_verifies_and_opens_the_api(flow, server, node, auth):
    tokens = flow("client-credentials", "--auth", auth, "--scope", "read")
    assert tokens["token_type"].lower() == "bearer" and tokens["scope"] == "read"
    claims = tokens["access_token_claims"]  # verified by jose against the JWKS
    assert claims["iss"] == claims["aud"] == server.issuer
    assert claims["client_id"] == CLIENT_ID and claims["scope"] == "read"
    assert claims["exp"] - claims["iat"] == 3600 and claims["exp"] > time.time()
    assert tokens["access_token_header"]["alg"] in ("RS256", "ES256", "EdDSA")
    assert call_api(server, tokens["access_token"]).status_code == 200
    # The secret is checked whichever way it is sent.
    wrong = run_flow(node, server.issuer, "client-credentials", "--auth", auth,
                     secret="not-the-secret")
    assert wrong.returncode == 1 and "401 invalid_client" in wrong.stderr, wrong.stderr


def test_a_missing_option_fails_the_flow_with_a_message(node):
    done = run_flow(node, "http://127.0.0.1:1", "introspect")
    assert done.returncode == 1 and "--token is required" in done.stderr, done.stderr
    assert done.stdout == ""


def test_password_grant_then_refresh_rotates_and_reuse_revokes_the_family(flow, server):
    result = flow("password-refresh", "--username", USER, "--resource", server.url(ITEMS_PATH))
    issued, refreshed = result["issued"], result["refreshed"]
    assert issued["access_token_claims"]["sub"] == refreshed["access_token_claims"]["sub"] == USER
    assert issued["resource_status"] == refreshed["resource_status"] == 200
    assert issued["refresh_token"] and refreshed["refresh_token"]
    assert refreshed["refresh_token"] != issued["refresh_token"]
    refused = {"refused": True, "status": 400, "error": "invalid_grant"}
    assert result["first_refresh_token_again"] == refused
    assert result["newest_refresh_token_after_reuse"] == refused
    # The family's access tokens are revoked with it, on every worker before the answer.
    for tokens in (issued, refreshed):
        assert [call_api(server, tokens["access_token"]).status_code for _ in range(4)] == [401] * 4


def test_a_revoked_token_is_inactive_and_refused_by_the_gateway(flow, server):
    token = flow("client-credentials")["access_token"]
    assert call_api(server, token).status_code == 200
    answer = flow("introspect", "--token", token)
    assert answer["active"] is True
    assert answer["client_id"] == CLIENT_ID and answer["scope"] == "read write"
    assert flow("revoke", "--token", token) == {"revoked": True}
    # Every worker refuses it from the answer on.
    assert [call_api(server, token).status_code for _ in range(4)] == [401] * 4
    assert flow("introspect", "--token", token) == {"active": False}


def test_a_downscoped_token_reads_but_cannot_write(flow, server):
    result = flow("downscope", "--scope", "read")
    held, downscoped = result["held"], result["downscoped"]
    assert held["scope"] == "read write"
    assert call_api(server, held["access_token"], "POST").status_code == 200
    assert downscoped["scope"] == "read"
    assert downscoped["access_token_claims"]["sub"] == held["access_token_claims"]["sub"]
    assert downscoped["access_token_claims"]["exp"] <= held["access_token_claims"]["exp"]
    assert call_api(server, downscoped["access_token"]).status_code == 200
    assert call_api(server, downscoped["access_token"], "POST").status_code == 403
    assert result["widened"] == {"refused": True, "status": 400, "error": "invalid_scope"}



@pytest.mark.parametrize("client_id, auth", [(CLIENT_ID, "client_secret_basic"),
                                             (PUBLIC_CLIENT_ID, "none")])
def test_authorization_code_with_pkce_in_chromium_signs_in_once_and_can_be_denied(
        flow, server, chromium, tmp_path, client_id, auth):
    screenshot = tmp_path / "login.png"
    result = flow("authorization-code", "--auth", auth, "--username", USER,
                  "--scope", "openid read", "--redirect-uri", server.redirect_uri,
                  "--resource", server.url(ITEMS_PATH), "--screenshot", str(screenshot),
                  client_id=client_id)
    invalid_grant = {"refused": True, "status": 400, "error": "invalid_grant"}

    allowed = result["allowed"]
    assert allowed["login_shown"] and allowed["page"]["heading"] == "Sign in"
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n")
    assert allowed["callback"]["code"] and allowed["callback"]["iss"] == server.issuer
    assert allowed["callback"]["state"] == result["state"]["allowed"]
    tokens = allowed["tokens"]
    assert tokens["scope"] == "openid read" and tokens["resource_status"] == 200
    assert tokens["access_token_claims"]["sub"] == USER
    assert tokens["access_token_claims"]["client_id"] == client_id
    identity = tokens["id_token_claims"]  # its nonce checked by openid-client
    assert identity["iss"] == server.issuer and identity["aud"] == client_id
    assert identity["sub"] == USER and identity["nonce"]
    # openid-client asked for the ID token's subject, and checked that the answer is about it.
    # Without the profile scope, the user's name is not given.
    assert allowed["userinfo"] == {"sub": USER}
    # The code again: refused, and what it gave is revoked, since the code has leaked.
    assert allowed["same_code_again"] == invalid_grant
    assert [call_api(server, tokens["access_token"]).status_code for _ in range(4)] == [401] * 4

    again = result["again_in_the_same_browser"]  # the session cookie and the consent given
    assert not again["login_shown"] and again["callback"]["code"]
    assert again["wrong_code_verifier"] == again["right_code_verifier_after"] == invalid_grant

    denied = result["denied"]  # another person: no session cookie
    assert denied["login_shown"] and "code" not in denied["callback"]
    assert denied["callback"]["error"] == "access_denied"
    assert denied["callback"]["state"] == result["state"]["denied"]
    assert denied["exchange"] == {"refused": True, "error": "access_denied"}


def test_a_device_polls_with_openid_client_slows_down_when_told_and_gets_tokens(flow, server):
    result = flow("device", "--auth", "none", "--username", USER, "--scope", "openid read",
                  "--resource", server.url(ITEMS_PATH), client_id=DEVICE_CLIENT_ID)
    authorization = result["authorization"]
    assert authorization["verification_uri"] == server.issuer + "/oauth2/device"
    assert authorization["interval"] == DEVICE_INTERVAL and authorization["user_code"]
    polls = result["polls"]  # openid-client's, as the server answered them
    assert [(poll["status"], poll["error"]) for poll in polls] == [
        (400, "authorization_pending"), (400, "slow_down"), (200, None)]
    # The other copy of the device polled just before the second poll, making it too soon.
    assert result["other_copy_poll"] == {"error": "authorization_pending"}
    assert result["approval"] == {"status": 200, "heading": "Device connected"}
    # openid-client waits the interval before each poll, and 5 s more once told to slow down.
    first_gap = polls[1]["after_ms"] - polls[0]["after_ms"]
    slowed_gap = polls[2]["after_ms"] - polls[1]["after_ms"]
    assert polls[0]["after_ms"] >= DEVICE_INTERVAL * 1000
    assert DEVICE_INTERVAL * 1000 <= first_gap < (DEVICE_INTERVAL + SLOW_DOWN_STEP) * 1000
    assert slowed_gap >= (DEVICE_INTERVAL + SLOW_DOWN_STEP) * 1000

    def token_endpoint_statuses():  # sorted: each worker writes its own lines, in its own time
        return sorted(entry["status"] for entry in server.access_log()
                      if entry.get("path") == "/oauth2/token")

    # The gateway saw those polls and the copy's, no more: openid-client did not retry on its own.
    assert wait_until(lambda: token_endpoint_statuses() == [200, 400, 400, 400], timeout=2), \
        token_endpoint_statuses()

    tokens = result["tokens"]
    assert tokens["scope"] == "openid read" and tokens["resource_status"] == 200
    assert tokens["access_token_claims"]["sub"] == tokens["id_token_claims"]["sub"] == USER
    assert tokens["access_token_claims"]["client_id"] == DEVICE_CLIENT_ID


def test_a_pushed_authorization_request_signs_in_in_chromium_and_is_used_once(
        flow, server, chromium):
    result = flow("pushed-authorization", "--username", USER, "--scope", "openid read",
                  "--redirect-uri", server.redirect_uri, "--resource", server.url(ITEMS_PATH))
    # The browser carries only a reference to what the client pushed.
    pushed = result["authorization_url"]
    assert pushed.keys() == {"client_id", "request_uri"} and pushed["client_id"] == CLIENT_ID
    assert pushed["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    assert result["login_shown"] and result["page"]["heading"] == "Sign in"
    assert result["callback"]["state"] == result["state"]
    assert result["callback"]["iss"] == server.issuer
    tokens = result["tokens"]  # the code exchanged with its PKCE verifier
    assert tokens["scope"] == "openid read" and tokens["resource_status"] == 200
    assert tokens["access_token_claims"]["sub"] == tokens["id_token_claims"]["sub"] == USER
    again = result["same_request_uri_again"]
    assert again["status"] == 400 and not again["redirected"]


def test_a_private_key_jwt_client_gets_and_introspects_a_token_and_an_unknown_key_is_refused(
        flow, server):
    result = flow("private-key-jwt", "--scope", "read", "--resource", server.url(ITEMS_PATH),
                  client_id=SIGNED_CLIENT_ID)
    issued = result["issued"]
    assert issued["access_token_claims"]["client_id"] == SIGNED_CLIENT_ID
    assert issued["scope"] == "read" and issued["resource_status"] == 200
    introspection = result["introspection"]
    assert introspection["active"] is True
    assert introspection["client_id"] == SIGNED_CLIENT_ID and introspection["scope"] == "read"
    assert result["unknown_key"] == {"refused": True, "status": 401, "error": "invalid_client"}


def test_the_jwt_bearer_grant_takes_an_identity_providers_assertion_once(flow, server):
    result = flow("jwt-bearer", "--auth", "private_key_jwt", "--idp", IDP, "--username", USER,
                  "--scope", "read", "--resource", server.url(ITEMS_PATH),
                  client_id=SIGNED_CLIENT_ID)
    issued = result["issued"]
    assert issued["access_token_claims"]["sub"] == USER
    assert issued["access_token_claims"]["client_id"] == SIGNED_CLIENT_ID
    assert issued["scope"] == "read" and issued["resource_status"] == 200
    assert "refresh_token" not in issued  # none for an assertion
    assert result["same_assertion_again"] == {"refused": True, "status": 400,
                                              "error": "invalid_grant"}


def test_token_exchange_keeps_the_subject_and_names_the_actor(flow, server):
    subject = flow("client-credentials", "--scope", "read")  # a token of the client shop
    result = flow("token-exchange", "--auth", "private_key_jwt", "--token",
                  subject["access_token"], "--idp", IDP, "--actor", "batch-job",
                  "--resource", server.url(ITEMS_PATH), client_id=SIGNED_CLIENT_ID)
    subject_claims = subject["access_token_claims"]
    for exchanged in (result["plain"], result["acting"]):
        assert exchanged["issued_token_type"] == ACCESS_TOKEN_TYPE
        claims = exchanged["access_token_claims"]  # verified by jose against the JWKS
        assert claims["sub"] == subject_claims["sub"] == CLIENT_ID
        assert claims["client_id"] == SIGNED_CLIENT_ID
        assert claims["exp"] <= subject_claims["exp"]
        assert exchanged["resource_status"] == 200
    assert "act" not in result["plain"]["access_token_claims"]
    assert result["acting"]["access_token_claims"]["act"] == {"sub": "batch-job"}

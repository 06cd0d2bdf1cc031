"""Dynamic Client Registration (RFC 7591) and its management protocol (RFC 7592) on the built-in
key manager (`oauth2_server.registration`): a client registers at POST /oauth2/register with an
initial access token (or without one when registration is open), gets its credentials and a
registration access token, and becomes an application of the gateway that the admin listener can
subscribe to an API; it reads, replaces and deletes its registration at its
registration_client_uri with that token alone. Covered: the registration answer, the refusals
(401 invalid_token, 400 invalid_client_metadata and invalid_redirect_uri), updates taking effect
at the token endpoint, deletion, restarts on the same store, the discovery document, the admin
listener, a public client, a registration section that would let nobody register (refused at its
place in the file), and openid-client registering through discovery
(clients/dynamic_registration.mjs)."""

import hashlib
import json
import os
import re
import subprocess
import time

import pytest
import requests

import test_oauth2_clients
from harness import to_yaml, wait_until
from key_manager_support import admin, call_api, config, start_key_manager
from test_cli import gatehouse
from test_oauth2_application_keys import access_token, token_answer
from test_oauth2_server import introspect

REGISTER = "/oauth2/register"
INITIAL_TOKEN = "initial-access-token-0123456789abcdef"
GRANT_TYPES = ["authorization_code", "client_credentials", "refresh_token"]
SCOPES = ["read", "write"]  # what the Shop API's GET and POST need
REDIRECT_URI = "https://app.example/callback"
LOOPBACK_REDIRECT_URI = "http://127.0.0.1:53682/callback"  # a native app's listener
SHOP = "Shop:1.0"
DESCRIPTIVE_METADATA = {
    "client_name": "Orders dashboard",
    "client_uri": "https://app.example/",
    "logo_uri": "https://app.example/logo.png",
    "contacts": ["ops@app.example", "dev@app.example"],
    "tos_uri": "https://app.example/tos",
    "policy_uri": "https://app.example/privacy",
    "software_id": "4NRB1-0XZABZI9E6-5SM3R",
    "software_version": "2.1.0",
}

# openid-client's node and its scripts' folder, as the other openid-client tests use them.
node = test_oauth2_clients.node
CLIENTS_DIR = test_oauth2_clients.CLIENTS_DIR


# -- the gateway --------------------------------------------------------------------------------

def registration(open_registration=False):
    """The oauth2_server settings with a registration section: INITIAL_TOKEN may register (or
    anyone, when `open_registration`), for GRANT_TYPES and SCOPES."""
    section = {"grant_types": GRANT_TYPES, "scopes": SCOPES}
    if open_registration:
        section["open"] = True
    else:
        section["initial_access_tokens"] = [
            {"sha256": hashlib.sha256(INITIAL_TOKEN.encode()).hexdigest()}]
    return {"registration": section}


@pytest.fixture
def server(gateway_factory, backend_factory, tmp_path):
    """The key manager (the Shop API, its client `shop`) with registration by INITIAL_TOKEN."""
    return start_key_manager(gateway_factory, backend_factory, tmp_path, settings=registration())


# -- registration -------------------------------------------------------------------------------

def metadata(**overrides):
    """A confidential client's metadata: GRANT_TYPES, REDIRECT_URI, both scopes."""
    body = {"redirect_uris": [REDIRECT_URI], "grant_types": GRANT_TYPES, "scope": "read write",
            "client_name": "Orders dashboard"}
    body.update(overrides)
    return body


def register(url, body, token=INITIAL_TOKEN, content_type="application/json"):
    """The answer to POST `url` (a registration endpoint) with `body` (JSON, or text as is) and
    `token` as the bearer (none when None)."""
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = "Bearer " + token
    data = body if isinstance(body, str) else json.dumps(body)
    return requests.post(url, data=data, headers=headers, timeout=10)


def registered(gateway, **overrides):
    """A client registered on the traffic listener with metadata(**overrides): its answer."""
    answer = register(gateway.url(REGISTER), metadata(**overrides))
    assert answer.status_code == 201, answer.text
    return answer.json()


def manage(method, client, token=None, body=None, uri=None):
    """The answer to `method` on the client's registration_client_uri (or `uri`), with its
    registration access token (or `token`; "" for none) and a JSON `body`."""
    token = client["registration_access_token"] if token is None else token
    headers = {"Authorization": "Bearer " + token} if token else {}
    return requests.request(method, uri or client["registration_client_uri"], json=body,
                            headers=headers, timeout=10)


def read_back(client):
    """What GET on the client's registration_client_uri is to show: the registration answer
    without its secret and registration access token."""
    return {key: value for key, value in client.items()
            if key not in ("client_secret", "registration_access_token")}


def application_ids(gateway):
    listed = admin(gateway, "GET", "/applications")
    assert listed.status_code == 200, listed.text
    return sorted(application["applicationId"] for application in listed.json()["list"])


def subscribe(gateway, client_id):
    subscribed = admin(gateway, "PUT", "/subscriptions/%s/%s" % (client_id, SHOP),
                       {"tier": "Unlimited"})
    assert subscribed.status_code == 200, subscribed.text


def assert_oauth_error(answer, status, error):
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error, answer.text


# -- registering --------------------------------------------------------------------------------

def test_the_registration_answer_gives_credentials_and_the_registered_metadata(server):
    before = int(time.time())
    answer = register(server.url(REGISTER),
                      metadata(**DESCRIPTIVE_METADATA, colour="blue"))
    after = int(time.time())
    assert answer.status_code == 201, answer.text
    assert answer.headers["Cache-Control"] == "no-store"
    client = answer.json()
    assert client["client_id"] and client["client_secret"] and client["registration_access_token"]
    assert before - 1 <= client["client_id_issued_at"] <= after + 1
    assert client["client_secret_expires_at"] == 0
    assert client["registration_client_uri"] == (
        server.issuer + "/oauth2/register/" + client["client_id"])
    assert client["redirect_uris"] == [REDIRECT_URI]
    assert client["token_endpoint_auth_method"] == "client_secret_basic"
    assert sorted(client["grant_types"]) == sorted(GRANT_TYPES)
    assert client["response_types"] == ["code"]
    assert set(client["scope"].split()) == {"read", "write"}
    for member, value in DESCRIPTIVE_METADATA.items():
        assert client[member] == value, member
    assert "colour" not in client


def test_a_registered_client_gets_tokens_that_the_api_admits_once_it_is_subscribed(server):
    client = registered(server)
    assert client["client_id"] in application_ids(server)
    token = access_token(server, client["client_id"], client["client_secret"], scope="read")
    refused = call_api(server, token)
    assert refused.status_code == 403 and refused.json()["code"] == 900908, refused.text

    subscribe(server, client["client_id"])
    assert call_api(server, token).status_code == 200


def test_open_registration_needs_no_initial_access_token(
        gateway_factory, backend_factory, tmp_path):
    gateway = start_key_manager(gateway_factory, backend_factory, tmp_path,
                                settings=registration(open_registration=True))
    answer = register(gateway.url(REGISTER), metadata(), token=None)
    assert answer.status_code == 201, answer.text
    client = answer.json()
    assert token_answer(gateway, client["client_id"], client["client_secret"],
                        scope="read").status_code == 200


def test_open_registration_stops_at_max_clients_until_one_is_deleted(
        gateway_factory, backend_factory, tmp_path):
    settings = registration(open_registration=True)
    settings["registration"]["max_clients"] = 2
    gateway = start_key_manager(gateway_factory, backend_factory, tmp_path, settings=settings)
    first = registered(gateway)
    registered(gateway)
    before = application_ids(gateway)

    refused = register(gateway.url(REGISTER), metadata(), token=None)
    assert_oauth_error(refused, 403, "access_denied")
    assert "max_clients" in refused.json()["error_description"]
    assert application_ids(gateway) == before

    assert manage("DELETE", first).status_code == 204
    assert register(gateway.url(REGISTER), metadata(), token=None).status_code == 201


@pytest.mark.parametrize("token", [None, "not-the-initial-access-token"],
                         ids=["without-a-token", "with-a-wrong-token"])
def test_registration_without_the_initial_access_token_is_401_and_registers_nothing(
        server, token):
    answer = register(server.url(REGISTER), metadata(), token=token)
    assert_oauth_error(answer, 401, "invalid_token")
    challenge = answer.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer") and 'error="invalid_token"' in challenge, challenge
    assert application_ids(server) == ["shop-app"]


def test_guessing_the_initial_access_token_is_shut_out(server):
    url = server.url(REGISTER)
    guesses = [register(url, metadata(), token="guess-%d" % n).status_code for n in range(6)]
    assert guesses == [401] * 6
    # Shut out for a second: even the right token is not checked, nor told apart.
    refused = register(url, metadata())
    assert_oauth_error(refused, 429, "temporarily_unavailable")
    assert refused.headers["Retry-After"] == "1"
    assert wait_until(lambda: register(url, metadata()).status_code == 201, timeout=3,
                      interval=0.2)


@pytest.mark.parametrize("body, error", [
    pytest.param(metadata(redirect_uris=["http://app.example/callback"]),
                 "invalid_redirect_uri", id="plain-http-off-loopback"),
    pytest.param(metadata(redirect_uris=[REDIRECT_URI, "http://app.example/callback"]),
                 "invalid_redirect_uri", id="one-bad-among-good"),
    pytest.param(metadata(redirect_uris=[REDIRECT_URI + "#done"]),
                 "invalid_redirect_uri", id="with-a-fragment"),
    pytest.param(metadata(redirect_uris=["/callback"]),
                 "invalid_redirect_uri", id="relative"),
    pytest.param(metadata(grant_types=GRANT_TYPES + ["password"]),
                 "invalid_client_metadata", id="grant-type-not-allowed"),
    pytest.param(metadata(scope="read admin"),
                 "invalid_client_metadata", id="scope-not-allowed"),
    pytest.param(metadata(token_endpoint_auth_method="private_key_jwt"),
                 "invalid_client_metadata", id="private_key_jwt"),
    pytest.param(metadata(token_endpoint_auth_method="client_secret_jwt"),
                 "invalid_client_metadata", id="client_secret_jwt"),
    pytest.param(metadata(response_types=["code", "token"]),
                 "invalid_client_metadata", id="token-response-without-implicit"),
    pytest.param(metadata(grant_types=["client_credentials"], response_types=["code"]),
                 "invalid_client_metadata", id="code-response-without-authorization_code"),
    pytest.param(metadata(scope=["read"]),
                 "invalid_client_metadata", id="scope-not-a-string"),
    pytest.param(metadata(grant_types="client_credentials"),
                 "invalid_client_metadata", id="grant_types-not-an-array"),
    pytest.param(metadata(client_name=42),
                 "invalid_client_metadata", id="client_name-not-a-string"),
    pytest.param([metadata()], "invalid_client_metadata", id="array-body"),
    pytest.param(json.dumps("client"), "invalid_client_metadata", id="string-body"),
    pytest.param('{"redirect_uris": [', "invalid_client_metadata", id="malformed-JSON"),
])
def test_bad_metadata_is_400_with_its_error_and_registers_nothing(server, body, error):
    answer = register(server.url(REGISTER), body)
    assert_oauth_error(answer, 400, error)
    assert answer.json()["error_description"], answer.text
    assert application_ids(server) == ["shop-app"]


def test_authorization_code_without_redirect_uris_is_refused(server):
    body = metadata()
    del body["redirect_uris"]
    answer = register(server.url(REGISTER), body)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"] in ("invalid_redirect_uri", "invalid_client_metadata")
    assert application_ids(server) == ["shop-app"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_declared_json_registers_nothing(server, content_type):
    answer = register(server.url(REGISTER), json.dumps(metadata()), content_type=content_type)
    assert answer.status_code >= 400, answer.text
    assert application_ids(server) == ["shop-app"]


def test_a_public_client_is_registered_without_a_secret_and_has_no_client_credentials(server):
    client = registered(server, token_endpoint_auth_method="none",
                        grant_types=["authorization_code"],
                        redirect_uris=[LOOPBACK_REDIRECT_URI], scope="read")
    assert client["token_endpoint_auth_method"] == "none"
    assert "client_secret" not in client and "client_secret_expires_at" not in client
    assert client["redirect_uris"] == [LOOPBACK_REDIRECT_URI]
    assert client["registration_access_token"]
    refused = requests.post(server.url("/oauth2/token"),
                            data={"grant_type": "client_credentials",
                                  "client_id": client["client_id"], "scope": "read"},
                            timeout=10)
    assert refused.status_code in (400, 401), refused.text
    assert refused.json()["error"] in ("unauthorized_client", "invalid_client"), refused.text


# -- managing a registration ---------------------------------------------------------------------

def test_a_client_reads_its_registration_back_without_its_secret(server):
    client = registered(server, **DESCRIPTIVE_METADATA)
    answer = manage("GET", client)
    assert answer.status_code == 200, answer.text
    assert answer.json() == read_back(client)


def test_an_update_replaces_the_metadata_and_keeps_the_credentials(server):
    client = registered(server)
    client_id, secret = client["client_id"], client["client_secret"]
    new_redirect_uri = "https://app.example/v2/callback"
    updated = manage("PUT", client, body=metadata(client_id=client_id, scope="read",
                                                   redirect_uris=[new_redirect_uri]))
    assert updated.status_code == 200, updated.text
    assert updated.json()["client_id"] == client_id
    assert updated.json()["scope"] == "read"
    assert updated.json()["redirect_uris"] == [new_redirect_uri]

    shown = manage("GET", client).json()
    assert shown["scope"] == "read" and shown["redirect_uris"] == [new_redirect_uri]
    # The old secret still works, for what the client may now ask for alone.
    assert_oauth_error(token_answer(server, client_id, secret, scope="write"),
                       400, "invalid_scope")
    assert token_answer(server, client_id, secret, scope="read").status_code == 200


@pytest.mark.parametrize("change, error", [
    pytest.param({"client_id": "someone-else"}, "invalid_request", id="another-client_id"),
    pytest.param({"token_endpoint_auth_method": "client_secret_post"},
                 "invalid_client_metadata", id="another-auth-method"),
])
def test_an_update_may_not_change_the_client_id_or_its_authentication(server, change, error):
    client = registered(server)
    body = dict(metadata(client_id=client["client_id"], scope="read"), **change)
    assert_oauth_error(manage("PUT", client, body=body), 400, error)
    assert manage("GET", client).json() == read_back(client)


def test_a_deleted_client_is_refused_everywhere(server):
    client = registered(server)
    client_id, secret = client["client_id"], client["client_secret"]
    issued = access_token(server, client_id, secret, scope="read")
    assert introspect(server, issued)["active"] is True

    deleted = manage("DELETE", client)
    assert deleted.status_code == 204, deleted.text
    assert_oauth_error(token_answer(server, client_id, secret, scope="read"),
                       401, "invalid_client")
    # Its tokens went with it: the key manager no longer vouches for them.
    assert introspect(server, issued) == {"active": False}
    assert_oauth_error(manage("GET", client), 401, "invalid_token")
    assert admin(server, "GET", "/applications/" + client_id).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_managing_a_registration_needs_its_registration_access_token(server, method):
    client = registered(server)
    body = metadata(client_id=client["client_id"], scope="read") if method == "PUT" else None
    unknown_uri = server.issuer + "/oauth2/register/no-such-client"
    for token, uri, case in [("", None, "no token"),
                             ("not-the-registration-token", None, "a wrong token"),
                             (None, unknown_uri, "an unknown client_id")]:
        answer = manage(method, client, token=token, body=body, uri=uri)
        assert answer.status_code == 401, (case, answer.text)
        assert answer.json()["error"] == "invalid_token", (case, answer.text)
    # None of them changed or removed anything.
    assert manage("GET", client).json() == read_back(client)


def test_a_registration_access_token_opens_its_own_client_alone(server):
    mine, theirs = registered(server), registered(server)
    uri = theirs["registration_client_uri"]
    assert_oauth_error(manage("GET", mine, uri=uri), 401, "invalid_token")
    assert_oauth_error(manage("DELETE", mine, uri=uri), 401, "invalid_token")
    assert manage("GET", theirs).json() == read_back(theirs)


def test_a_client_and_its_registration_access_token_survive_a_restart(server):
    client = registered(server, **DESCRIPTIVE_METADATA)
    restarted = server.restart()
    shown = manage("GET", client)
    assert shown.status_code == 200, shown.text
    assert shown.json() == read_back(client)
    assert client["client_id"] in application_ids(restarted)
    subscribe(restarted, client["client_id"])
    token = access_token(restarted, client["client_id"], client["client_secret"], scope="read")
    assert call_api(restarted, token).status_code == 200


# -- where registration is served ----------------------------------------------------------------

def test_the_discovery_document_names_the_registration_endpoint(server):
    document = requests.get(server.url("/.well-known/openid-configuration"), timeout=10).json()
    assert document["registration_endpoint"] == server.issuer + REGISTER


def test_without_a_registration_section_there_is_no_registration_endpoint(
        gateway_factory, backend_factory, tmp_path):
    gateway = start_key_manager(gateway_factory, backend_factory, tmp_path)
    assert register(gateway.url(REGISTER), metadata()).status_code == 404
    document = requests.get(gateway.url("/.well-known/openid-configuration"), timeout=10).json()
    assert "registration_endpoint" not in document


def test_the_admin_listener_serves_registration_too(server):
    answer = register(server.admin_url(REGISTER), metadata())
    assert answer.status_code == 201, answer.text
    client = answer.json()
    assert client["registration_client_uri"] == (
        server.issuer + "/oauth2/register/" + client["client_id"])
    shown = manage("GET", client, uri=server.admin_url(REGISTER + "/" + client["client_id"]))
    assert shown.status_code == 200, shown.text
    assert shown.json() == read_back(client)
    assert token_answer(server, client["client_id"], client["client_secret"],
                        scope="read").status_code == 200


# -- the config ---------------------------------------------------------------------------------

def write_key_manager_config(path, backend, settings):
    """The key manager's config file with `settings` in oauth2_server; its text."""
    text = to_yaml(config(path.parent / "access.log", backend, 8080, path.parent / "oauth2.db",
                          [], settings))
    path.write_text(text)
    return text


def section_lines(text, key):
    """The first and last line numbers of the block under `key:` in YAML `text`."""
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, 1) if line.strip() == key + ":")
    indent = len(lines[first - 1]) - len(lines[first - 1].lstrip())
    last = first
    while last < len(lines) and len(lines[last]) - len(lines[last].lstrip()) > indent:
        last += 1
    return first, last


@pytest.mark.parametrize("section", [
    pytest.param({"grant_types": GRANT_TYPES}, id="neither-tokens-nor-open"),
    pytest.param({"initial_access_tokens": [], "open": False}, id="no-tokens-not-open"),
])
def test_a_registration_section_that_lets_nobody_register_is_refused_at_its_place(
        backend_factory, tmp_path, section):
    backend = backend_factory("shop")
    # The same file with a section that lets someone register is valid.
    accepted = tmp_path / "accepted.yaml"
    write_key_manager_config(accepted, backend, registration())
    checked = gatehouse("validate", "-c", str(accepted))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    refused = tmp_path / "refused.yaml"
    first, last = section_lines(
        write_key_manager_config(refused, backend, {"registration": section}), "registration")
    result = gatehouse("validate", "-c", str(refused))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    located = re.findall(re.escape(str(refused)) + r":(\d+):\d+: \S", output)
    assert located and all(first <= int(line) <= last for line in located), (first, last, output)


# -- a standard client ----------------------------------------------------------------------------

def test_openid_client_registers_through_discovery_and_its_token_opens_the_api(node, server):
    done = subprocess.run(
        [node, str(CLIENTS_DIR / "dynamic_registration.mjs"), "--issuer", server.issuer,
         "--scope", "read", "--redirect-uri", REDIRECT_URI],
        cwd=CLIENTS_DIR, env=dict(os.environ, INITIAL_ACCESS_TOKEN=INITIAL_TOKEN),
        capture_output=True, text=True, timeout=test_oauth2_clients.FLOW_TIMEOUT)
    assert done.returncode == 0, done.stderr + server.output()
    result = json.loads(done.stdout)
    assert result["has_client_secret"]
    assert result["token_endpoint_auth_method"] == "client_secret_basic"
    assert result["token"]["access_token_claims"]["client_id"] == result["client_id"]
    assert result["token"]["scope"] == "read"
    token = result["token"]["access_token"]
    refused = call_api(server, token)
    assert refused.status_code == 403 and refused.json()["code"] == 900908, refused.text

    subscribe(server, result["client_id"])
    assert call_api(server, token).status_code == 200

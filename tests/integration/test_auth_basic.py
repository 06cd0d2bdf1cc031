"""Basic Auth on a secured API: users whose password hashes were made at test time by independent
tools (the `argon2` command line for Argon2id, `htpasswd -B` for bcrypt), roles mapped to scopes,
WSO2's error answers, the credential cache, and an API that takes either OAuth2 or Basic Auth."""

import base64
import json
import shutil
import subprocess
import time

import pytest
import requests

from harness import api
from security_support import ISSUER, KeySet

ITEMS = "/shop/1.0/items"
# Passwords chosen so that "user:password" encodes to base64 without padding: the tests below
# then do not depend on padding, which test_padded_credentials_are_accepted covers on its own.
USERS = {
    # name: (password, hash tool, roles)
    "alice": ("alice-pw!", "argon2", ["admin"]),
    "bob": ("pw:with:colons", "bcrypt", []),  # RFC 7617: the user name ends at the first ':'
    "carol": ("carol-pw!", "bcrypt", ["admin"]),
    "slow": ("slow-pw", "argon2-costly", []),
}
PADDED_USERS = {
    "dave": ("dave-pw!", "bcrypt", []),  # "dave:dave-pw!" encodes to ...==
    "erin": ("erin-pw!!", "argon2", []),  # "erin:erin-pw!!" encodes to ...=
}


def argon2_hash(password, cost=("-t", "2", "-m", "12")):
    if shutil.which("argon2") is None:
        pytest.fail("the argon2 command line tool is required")
    result = subprocess.run(["argon2", "somesalt16bytes!", "-id", *cost, "-p", "1", "-e"],
                            input=password.encode(), capture_output=True, check=True)
    return result.stdout.decode().strip()


def bcrypt_hash(user, password):
    if shutil.which("htpasswd") is None:
        pytest.fail("the htpasswd command line tool is required")
    result = subprocess.run(["htpasswd", "-nbB", user, password], capture_output=True, check=True)
    line = result.stdout.decode().strip()
    assert line.startswith(user + ":")
    return line[len(user) + 1:]


def password_hash(user, password, tool):
    if tool == "argon2":
        return argon2_hash(password)
    if tool == "argon2-costly":  # 32 MiB and 3 passes: a cost the cache must not pay each time
        return argon2_hash(password, cost=("-t", "3", "-m", "15"))
    return bcrypt_hash(user, password)


@pytest.fixture(scope="module")
def users():
    assert not any(basic(name, password).endswith("=") for name, (password, _, _) in USERS.items())
    return [{"name": name, "password_hash": password_hash(name, password, tool), "roles": roles}
            for name, (password, tool, roles) in {**USERS, **PADDED_USERS}.items()]


@pytest.fixture(scope="module")
def keys():
    return KeySet()


@pytest.fixture
def secured(gateway_factory, backend, users, keys, tmp_path):
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    resources = [{"method": "GET", "path": "/items"},
                 {"method": "POST", "path": "/items", "scopes": ["write"]}]
    shop = api(name="Shop", version="1.0", context="/shop", endpoints=[backend.url + "/echo"],
               security={"schemes": ["basic_auth"]}, resources=resources)
    both = api(name="Both", version="1.0", context="/both", endpoints=[backend.url + "/echo"],
               security={"schemes": ["oauth2", "basic_auth"]}, resources=resources)
    return gateway_factory(
        [shop, both], users=users, roles={"admin": ["write"]},
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=[{"id": "app-1", "keys": [{"key_manager": "idp",
                                                 "consumer_key": "client-1"}]}],
        subscriptions=[{"application": "app-1", "api": "Both:1.0"}])


def unpadded(user, password):
    """`password`, lengthened so that the credentials need no base64 padding."""
    while (len(user) + 1 + len(password)) % 3:
        password += "-"
    return password


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def call(gateway, authorization=None, method="GET", path=ITEMS, session=requests):
    headers = {"Authorization": authorization} if authorization is not None else {}
    return session.request(method, gateway.url(path), headers=headers, timeout=30)


def as_user(gateway, user, password=None, **options):
    return call(gateway, basic(user, USERS[user][0] if password is None else password), **options)


def assert_refused(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert body["message"] and body["description"]
    return response.headers.get("WWW-Authenticate")


@pytest.mark.parametrize("user", ["alice", "bob", "carol"])
def test_right_password_reaches_the_backend_without_the_authorization(secured, user):
    response = as_user(secured, user)
    assert response.status_code == 200, response.text
    assert response.headers["X-Backend"] == "b1"
    assert "authorization" not in response.json()["headers"]


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_wrong_password_is_401_900901_with_a_basic_challenge(secured, user):
    response = as_user(secured, user, password=unpadded(user, "not-the-password"))
    challenge = assert_refused(response, 401, 900901)
    assert challenge.startswith('Basic realm="gatehouse", '), challenge


@pytest.mark.parametrize("user", ["dave", "erin"])
def test_padded_credentials_are_accepted(secured, user):
    """Base64 pads credentials whose length is not a multiple of 3 with '=' (RFC 4648 3.2):
    two thirds of all user:password pairs."""
    password = PADDED_USERS[user][0]
    assert basic(user, password).endswith("=")
    response = call(secured, basic(user, password))
    assert response.status_code == 200, response.text


def test_unknown_user_is_401_900901(secured):
    response = call(secured, basic("mallory", unpadded("mallory", "alice-pw!")))
    challenge = assert_refused(response, 401, 900901)
    assert challenge.startswith('Basic realm="gatehouse"'), challenge


def test_no_credentials_is_401_900902_with_a_bare_challenge(secured):
    challenge = assert_refused(call(secured), 401, 900902)
    assert challenge == 'Basic realm="gatehouse"'


@pytest.mark.parametrize("authorization", [
    "Basic !!!not-base64***",
    "Basic " + base64.b64encode(b"alice-without-a-colon").decode(),
])
def test_malformed_basic_credentials_are_401_900901(secured, authorization):
    assert_refused(call(secured, authorization), 401, 900901)


def test_scopes_come_from_the_users_roles(secured):
    assert as_user(secured, "alice", method="POST").status_code == 200  # admin: write, Argon2id
    assert as_user(secured, "carol", method="POST").status_code == 200  # admin: write, bcrypt
    challenge = assert_refused(as_user(secured, "bob", method="POST"), 403, 900910)
    assert challenge.startswith('Basic realm="gatehouse"'), challenge
    assert 'error="insufficient_scope"' in challenge, challenge


def test_verified_credentials_are_cached(secured):
    """A costly Argon2id hash is computed once: refusals after a cached login (the user lacks the
    scope) take far less time than as many wrong passwords, each of which pays the full cost.
    Neither reaches the backend, so only the gateway's work is timed. One connection keeps the
    requests on one worker (the cache is per worker)."""
    wrong = unpadded("slow", "wrong")
    with requests.Session() as session:
        assert as_user(secured, "slow", session=session).status_code == 200
        started = time.monotonic()
        for _ in range(10):
            assert as_user(secured, "slow", method="POST", session=session).status_code == 403
        cached = time.monotonic() - started
        started = time.monotonic()
        for _ in range(10):
            assert as_user(secured, "slow", password=wrong, session=session).status_code == 401
        uncached = time.monotonic() - started
    assert cached < uncached / 2, (cached, uncached)


def test_api_with_both_schemes_accepts_either(secured, keys):
    path = "/both/1.0/items"
    assert as_user(secured, "alice", path=path).status_code == 200
    assert call(secured, "Bearer " + keys.token(), path=path).status_code == 200
    assert call(secured, "Bearer " + keys.token(scope="write"), method="POST",
                path=path).status_code == 200
    assert as_user(secured, "alice", method="POST", path=path).status_code == 200
    assert_refused(as_user(secured, "bob", method="POST", path=path), 403, 900910)
    wrong = unpadded("alice", "wrong")
    assert_refused(as_user(secured, "alice", password=wrong, path=path), 401, 900901)
    challenge = assert_refused(call(secured, path=path), 401, 900902)
    assert challenge.startswith(("Bearer realm=", "Basic realm=")), challenge

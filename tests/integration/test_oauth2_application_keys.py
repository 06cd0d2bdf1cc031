"""Applications' consumer keys made while the gateway runs, as WSO2's Developer Portal makes them:
through the admin listener (POST /applications/{id}/keys/{TYPE}/generate) and with
`gatehouse oauth2 generate-keys`. The key works at once at the token endpoint, its tokens meet
its application's subscriptions on every worker, its secret can be replaced and the key removed,
and it survives a restart; the secret is shown once and never listed."""

import json
import os
import subprocess

import requests

import harness
from key_manager_support import (ADMIN_TOKEN, CLIENT_ID, SECRET, admin, call_api,
                                 start_key_manager, with_admin_token)

def add_applications(config):
    """mobile-app (subscribed to Shop) and other-app (subscribed to nothing), neither with a key."""
    config["applications"] += [{"id": "mobile-app"}, {"id": "other-app"}]
    config["subscriptions"].append({"application": "mobile-app", "api": "Shop:1.0"})


def start(gateway_factory, backend_factory, tmp_path):
    return start_key_manager(with_admin_token(gateway_factory, add_applications), backend_factory,
                             tmp_path)


def generate(gateway, application, key_type="PRODUCTION", body=None):
    return admin(gateway, "POST", "/applications/%s/keys/%s/generate" % (application, key_type),
                 body)


def token_answer(gateway, key, secret, **form):
    form.setdefault("grant_type", "client_credentials")
    return requests.post(gateway.url("/oauth2/token"), data=form, auth=(key, secret), timeout=10)


def access_token(gateway, key, secret, **form):
    answer = token_answer(gateway, key, secret, **form)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def test_a_generated_key_gets_tokens_that_its_applications_subscriptions_admit(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    made = generate(gateway, "mobile-app", body={"grantTypesToBeSupported": ["client_credentials"],
                                                 "scopes": ["read"], "validityTime": 600})
    assert made.status_code == 200, made.text
    key = made.json()
    assert key["keyManager"] == "resident" and key["keyType"] == "PRODUCTION"
    assert key["supportedGrantTypes"] == ["client_credentials"] and key["scopes"] == ["read"]
    assert key["tokenType"] == "JWT" and key["validityTime"] == 600
    assert len(key["consumerKey"]) >= 20 and len(key["consumerSecret"]) >= 40

    answer = token_answer(gateway, key["consumerKey"], key["consumerSecret"], scope="read")
    assert answer.status_code == 200, answer.text
    assert answer.json()["expires_in"] == 600
    token = answer.json()["access_token"]
    # Both workers serve it: several calls, each on a new connection.
    assert [call_api(gateway, token).status_code for _ in range(6)] == [200] * 6
    # The key may be granted read alone.
    refused = token_answer(gateway, key["consumerKey"], key["consumerSecret"], scope="write")
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
    # A wrong secret is a wrong secret.
    wrong = token_answer(gateway, key["consumerKey"], key["consumerSecret"] + "x")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_a_key_of_an_application_without_a_subscription_is_refused_by_the_api(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    key = generate(gateway, "other-app", body={"scopes": ["read"]}).json()
    token = access_token(gateway, key["consumerKey"], key["consumerSecret"])
    assert call_api(gateway, token).status_code == 403


def test_the_secret_is_shown_once_and_a_second_key_of_a_type_is_a_conflict(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    production = generate(gateway, "mobile-app").json()
    sandbox = generate(gateway, "mobile-app", "SANDBOX").json()
    assert production["consumerKey"] != sandbox["consumerKey"]
    # Defaults: client_credentials, the section's token lifetime, JWT tokens.
    assert production["supportedGrantTypes"] == ["client_credentials"]
    assert production["validityTime"] == 3600 and production["tokenType"] == "JWT"

    again = generate(gateway, "mobile-app")
    assert again.status_code == 409, again.text
    listed = admin(gateway, "GET", "/applications/mobile-app/keys")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    assert [k["keyType"] for k in listed.json()["list"]] == ["PRODUCTION", "SANDBOX"]
    assert all("consumerSecret" not in k for k in listed.json()["list"])
    one = admin(gateway, "GET", "/applications/mobile-app/keys/SANDBOX").json()
    assert one["consumerKey"] == sandbox["consumerKey"] and "consumerSecret" not in one
    # The secret is in no log either.
    assert production["consumerSecret"] not in gateway.output()


def test_bad_requests_are_refused_with_the_reason(gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    unknown = generate(gateway, "no-such-app")
    assert unknown.status_code == 404 and "no-such-app" in unknown.text
    for body, reason in [({"grantTypesToBeSupported": ["magic"]}, "magic"),
                         ({"grantTypesToBeSupported": ["authorization_code"]}, "callback"),
                         ({"callbackUrl": "http://example.com/cb",
                           "grantTypesToBeSupported": ["authorization_code"]}, "example.com"),
                         ({"validityTime": 0}, "lifetime"),
                         ({"tokenType": "SAML"}, "tokenType"),
                         ({"colour": "blue"}, "colour")]:
        refused = generate(gateway, "mobile-app", body=body)
        assert refused.status_code == 400, (body, refused.text)
        assert reason in refused.text, (body, refused.text)
    assert generate(gateway, "mobile-app", "STAGING").status_code == 400
    # The config file's key of shop-app is the file's to change.
    shop = admin(gateway, "POST", "/applications/shop-app/keys/PRODUCTION/regenerate-secret")
    assert shop.status_code == 409, shop.text
    # Nothing was made by any of them.
    assert admin(gateway, "GET", "/applications/mobile-app/keys").json()["count"] == 0
    # And without the admin token, nothing is made at all.
    anonymous = requests.post(
        gateway.admin_url("/applications/mobile-app/keys/PRODUCTION/generate"), timeout=10)
    assert anonymous.status_code == 401


def test_a_new_secret_replaces_the_old_and_a_removed_key_is_refused_everywhere(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    key = generate(gateway, "mobile-app", body={"scopes": ["read"]}).json()
    consumer_key, old_secret = key["consumerKey"], key["consumerSecret"]

    renewed = admin(gateway, "POST", "/applications/mobile-app/keys/PRODUCTION/regenerate-secret")
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["consumerKey"] == consumer_key
    new_secret = renewed.json()["consumerSecret"]
    assert new_secret != old_secret
    assert token_answer(gateway, consumer_key, old_secret).status_code == 401
    token = access_token(gateway, consumer_key, new_secret)
    assert call_api(gateway, token).status_code == 200

    removed = admin(gateway, "DELETE", "/applications/mobile-app/keys/PRODUCTION")
    assert removed.status_code == 204
    assert token_answer(gateway, consumer_key, new_secret).status_code == 401
    # Its token no longer belongs to any application: every worker refuses it at once.
    assert [call_api(gateway, token).status_code for _ in range(6)] == [403] * 6
    assert admin(gateway, "GET", "/applications/mobile-app/keys/PRODUCTION").status_code == 404
    assert admin(gateway, "DELETE", "/applications/mobile-app/keys/PRODUCTION").status_code == 404
    # The key type is free again.
    assert generate(gateway, "mobile-app").status_code == 200


def test_keys_survive_a_restart(gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    key = generate(gateway, "mobile-app", body={"scopes": ["read"], "tokenType": "OPAQUE"}).json()
    before = access_token(gateway, key["consumerKey"], key["consumerSecret"])
    assert "." not in before

    restarted = gateway.restart()
    assert call_api(restarted, before).status_code == 200
    after = access_token(restarted, key["consumerKey"], key["consumerSecret"])
    assert "." not in after
    assert call_api(restarted, after).status_code == 200
    listed = admin(restarted, "GET", "/applications/mobile-app/keys").json()
    assert [k["consumerKey"] for k in listed["list"]] == [key["consumerKey"]]
    assert listed["list"][0]["tokenType"] == "OPAQUE"
    # Its key type is still taken; the config file's client is served beside it, as before.
    assert generate(restarted, "mobile-app").status_code == 409
    assert call_api(restarted, access_token(restarted, CLIENT_ID, SECRET)).status_code == 200


def test_the_command_makes_a_key_and_a_new_secret(gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    admin_url = "http://127.0.0.1:%d" % gateway.admin_port
    environment = dict(os.environ, GATEHOUSE_ADMIN_TOKEN=ADMIN_TOKEN)
    made = subprocess.run(
        [harness.GATEHOUSE_BIN, "oauth2", "generate-keys", "--admin", admin_url,
         "--application", "mobile-app", "--grant-type", "client_credentials",
         "--grant-type", "password", "--scope", "read", "--token-type", "OPAQUE",
         "--validity", "900"],
        capture_output=True, text=True, env=environment, timeout=30)
    assert made.returncode == 0, made.stderr
    key = json.loads(made.stdout)
    assert key["supportedGrantTypes"] == ["client_credentials", "password"]
    assert key["tokenType"] == "OPAQUE" and key["validityTime"] == 900
    token = access_token(gateway, key["consumerKey"], key["consumerSecret"])
    assert "." not in token and call_api(gateway, token).status_code == 200

    renewed = subprocess.run(
        [harness.GATEHOUSE_BIN, "oauth2", "regenerate-secret", "--admin", admin_url,
         "--application", "mobile-app"],
        capture_output=True, text=True, env=environment, timeout=30)
    assert renewed.returncode == 0, renewed.stderr
    secret = json.loads(renewed.stdout)["consumerSecret"]
    assert token_answer(gateway, key["consumerKey"], key["consumerSecret"]).status_code == 401
    assert token_answer(gateway, key["consumerKey"], secret).status_code == 200

    # A second key of the type: the admin listener's 409, on standard error, exit 1.
    again = subprocess.run(
        [harness.GATEHOUSE_BIN, "oauth2", "generate-keys", "--admin", admin_url,
         "--application", "mobile-app"],
        capture_output=True, text=True, env=environment, timeout=30)
    assert again.returncode == 1 and "409" in again.stderr
    # Usage errors: exit 2, the help on standard error.
    for arguments in (["--admin", admin_url], ["--application", "mobile-app"],
                      ["--admin", admin_url, "--application", "x", "--key-type", "TEST"]):
        usage = subprocess.run([harness.GATEHOUSE_BIN, "oauth2", "generate-keys", *arguments],
                               capture_output=True, text=True, timeout=30)
        assert usage.returncode == 2 and "Usage: gatehouse oauth2" in usage.stderr, arguments


def test_an_update_replaces_the_keys_settings_through_the_listener_and_the_command(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    key = generate(gateway, "mobile-app", body={"scopes": ["read"]}).json()
    consumer_key, secret = key["consumerKey"], key["consumerSecret"]
    assert token_answer(gateway, consumer_key, secret, scope="write").status_code == 400

    updated = admin(gateway, "PUT", "/applications/mobile-app/keys/PRODUCTION",
                    {"scopes": ["read", "write"], "validityTime": 120})
    assert updated.status_code == 200, updated.text
    assert updated.json()["consumerKey"] == consumer_key
    assert "consumerSecret" not in updated.json()
    # The same secret gets the new scope and lifetime, and the API admits the token.
    answer = token_answer(gateway, consumer_key, secret, scope="write")
    assert answer.status_code == 200, answer.text
    assert answer.json()["expires_in"] == 120
    assert call_api(gateway, answer.json()["access_token"], "POST").status_code == 200

    # The command sends the same body; what it leaves out takes its default.
    admin_url = "http://127.0.0.1:%d" % gateway.admin_port
    changed = subprocess.run(
        [harness.GATEHOUSE_BIN, "oauth2", "update-keys", "--admin", admin_url,
         "--application", "mobile-app", "--scope", "read", "--token-type", "OPAQUE"],
        capture_output=True, text=True, env=dict(os.environ, GATEHOUSE_ADMIN_TOKEN=ADMIN_TOKEN),
        timeout=30)
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout)["tokenType"] == "OPAQUE"
    assert json.loads(changed.stdout)["validityTime"] == 3600
    assert token_answer(gateway, consumer_key, secret, scope="write").status_code == 400
    assert "." not in access_token(gateway, consumer_key, secret)
    # The config file's key is the file's to change.
    shop = admin(gateway, "PUT", "/applications/shop-app/keys/PRODUCTION", {})
    assert shop.status_code == 409, shop.text

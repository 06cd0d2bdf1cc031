"""Applications made while the gateway runs, as WSO2's Developer Portal makes them: through the
admin listener (POST /applications) and with `gatehouse applications`. A new application gets keys
and subscriptions like one of the config file, keeps all three across a restart (the built-in key
manager's store), and, removed, takes its keys and subscriptions with it: its tokens are refused
on every worker at once."""

import json
import os
import subprocess

import requests

import harness
from key_manager_support import (ADMIN_HEADERS, ADMIN_TOKEN, CLIENT_ID, SECRET, admin, call_api,
                                 start_key_manager, with_admin_token)

def start(gateway_factory, backend_factory, tmp_path):
    return start_key_manager(with_admin_token(gateway_factory), backend_factory, tmp_path)


def create(gateway, **body):
    return admin(gateway, "POST", "/applications", body)


def generate_key(gateway, application):
    made = admin(gateway, "POST", "/applications/%s/keys/PRODUCTION/generate" % application,
                 {"scopes": ["read"]})
    assert made.status_code == 200, made.text
    return made.json()


def token_answer(gateway, key):
    return requests.post(gateway.url("/oauth2/token"), data={"grant_type": "client_credentials"},
                         auth=(key["consumerKey"], key["consumerSecret"]), timeout=10)


def access_token(gateway, key):
    answer = token_answer(gateway, key)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def subscribe(gateway, application, api="Shop:1.0", tier="Gold"):
    answer = admin(gateway, "PUT", "/subscriptions/%s/%s" % (application, api), {"tier": tier})
    assert answer.status_code == 200, answer.text


def subscribed_mobile_app(gateway):
    """mobile-app made through the listener, its PRODUCTION key made and subscribed to Shop (Gold):
    the key."""
    assert create(gateway, name="Mobile", applicationId="mobile-app").status_code == 201
    key = generate_key(gateway, "mobile-app")
    subscribe(gateway, "mobile-app")
    return key


def calls(gateway, token):
    """The API's answers to six calls, each on a new connection: both workers serve some."""
    return [call_api(gateway, token).status_code for _ in range(6)]


def test_a_new_application_gets_keys_and_subscriptions_and_its_tokens_are_admitted(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    made = create(gateway, name="Mobile shop", owner="alice", throttlingPolicy="50PerMin")
    assert made.status_code == 201, made.text
    application = made.json()
    assert application["name"] == "Mobile shop" and application["owner"] == "alice"
    assert application["throttlingPolicy"] == "50PerMin" and application["source"] == "admin"
    identifier = application["applicationId"]
    assert len(identifier) == 36 and identifier.count("-") == 4
    assert made.headers["Location"] == "/applications/" + identifier

    key = generate_key(gateway, identifier)
    token = access_token(gateway, key)
    # Not subscribed yet: its token is refused; subscribed, admitted by every worker.
    assert calls(gateway, token) == [403] * 6
    subscribe(gateway, identifier)
    assert calls(gateway, token) == [200] * 6

    listed = admin(gateway, "GET", "/applications").json()
    assert listed["count"] == 2
    by_id = {a["applicationId"]: a for a in listed["list"]}
    assert by_id["shop-app"]["source"] == "config"
    assert by_id[identifier]["source"] == "admin"
    one = admin(gateway, "GET", "/applications/" + identifier).json()
    assert one["keys"] == [{"keyManager": "resident", "consumerKey": key["consumerKey"],
                            "keyType": "PRODUCTION"}]


def test_an_application_its_keys_and_subscriptions_survive_a_restart(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    key = subscribed_mobile_app(gateway)
    before = access_token(gateway, key)
    # The config file's application loses its subscription through the listener: kept too.
    assert admin(gateway, "DELETE", "/subscriptions/shop-app/Shop:1.0").status_code == 204

    restarted = gateway.restart()
    assert calls(restarted, before) == [200] * 6
    assert calls(restarted, access_token(restarted, key)) == [200] * 6
    one = admin(restarted, "GET", "/applications/mobile-app").json()
    assert one["source"] == "admin" and one["throttlingPolicy"] == "Unlimited"
    assert one["owner"] == "admin" and len(one["keys"]) == 1
    subscriptions = admin(restarted, "GET", "/subscriptions").json()["subscriptions"]
    assert [(s["application"], s["tier"]) for s in subscriptions] == [("mobile-app", "Gold")]
    shop_token = requests.post(restarted.url("/oauth2/token"),
                               data={"grant_type": "client_credentials"},
                               auth=(CLIENT_ID, SECRET), timeout=10).json()["access_token"]
    assert call_api(restarted, shop_token).status_code == 403


def test_a_removed_application_takes_its_keys_and_subscriptions(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    key = subscribed_mobile_app(gateway)
    token = access_token(gateway, key)
    assert calls(gateway, token) == [200] * 6

    removed = admin(gateway, "DELETE", "/applications/mobile-app")
    assert removed.status_code == 204, removed.text
    assert calls(gateway, token) == [403] * 6
    assert token_answer(gateway, key).status_code == 401
    assert admin(gateway, "GET", "/applications/mobile-app").status_code == 404
    assert admin(gateway, "DELETE", "/applications/mobile-app").status_code == 404
    assert admin(gateway, "GET", "/subscriptions").json()["subscriptions"] == [
        {"application": "shop-app", "api": "Shop:1.0", "tier": "Unlimited",
         "state": "UNBLOCKED"}]

    # Gone after a restart too; the id can be made again, without the old keys or subscription.
    restarted = gateway.restart()
    assert admin(restarted, "GET", "/applications/mobile-app").status_code == 404
    assert token_answer(restarted, key).status_code == 401
    assert create(restarted, name="Mobile", applicationId="mobile-app").status_code == 201
    assert admin(restarted, "GET", "/applications/mobile-app/keys").json()["count"] == 0
    assert calls(restarted, access_token(restarted, generate_key(restarted, "mobile-app"))) == \
        [403] * 6


def test_conflicts_and_bad_requests_are_refused_with_the_reason(
        gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    assert create(gateway, name="Mobile", owner="alice", applicationId="mobile-app") \
        .status_code == 201
    for body, status, reason in [
            ({"name": "Other", "applicationId": "mobile-app"}, 409, "mobile-app"),
            ({"name": "Other", "applicationId": "shop-app"}, 409, "shop-app"),
            ({"name": "Mobile", "owner": "alice"}, 409, "Mobile"),
            ({"name": "Other", "throttlingPolicy": "Platinum"}, 400, "Platinum"),
            ({"name": "Other", "applicationId": "no/slash"}, 400, "applicationId"),
            ({"name": ""}, 400, "name"),
            ({"owner": "alice"}, 400, "name"),
            ({"name": "Other", "colour": "blue"}, 400, "colour")]:
        refused = create(gateway, **body)
        assert refused.status_code == status, (body, refused.text)
        assert reason in refused.text, (body, refused.text)
    not_json = requests.post(gateway.admin_url("/applications"), data="{",
                             headers=dict(ADMIN_HEADERS, **{"Content-Type": "application/json"}),
                             timeout=10)
    assert not_json.status_code == 400
    # The config file's application is the file's to change.
    assert admin(gateway, "DELETE", "/applications/shop-app").status_code == 409
    assert admin(gateway, "PUT", "/applications").status_code == 405
    # Nothing was made by any of them.
    assert admin(gateway, "GET", "/applications").json()["count"] == 2
    # Without the admin token, nothing at all.
    assert requests.post(gateway.admin_url("/applications"), json={"name": "x"},
                         timeout=10).status_code == 401


def test_the_commands_create_list_show_and_delete(gateway_factory, backend_factory, tmp_path):
    gateway = start(gateway_factory, backend_factory, tmp_path)
    admin_url = "http://127.0.0.1:%d" % gateway.admin_port
    environment = dict(os.environ, GATEHOUSE_ADMIN_TOKEN=ADMIN_TOKEN)

    def command(*arguments):
        return subprocess.run([harness.GATEHOUSE_BIN, "applications", *arguments],
                              capture_output=True, text=True, env=environment, timeout=30)

    made = command("create", "--admin", admin_url, "--name", "Kiosk", "--owner", "bob",
                   "--tier", "20PerMin", "--id", "kiosk")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["applicationId"] == "kiosk"
    listed = command("list", "--admin", admin_url)
    assert listed.returncode == 0, listed.stderr
    assert [a["applicationId"] for a in json.loads(listed.stdout)["list"]] == ["kiosk", "shop-app"]
    shown = command("show", "--admin", admin_url, "--id", "kiosk")
    assert json.loads(shown.stdout)["owner"] == "bob"
    again = command("create", "--admin", admin_url, "--name", "Kiosk", "--id", "kiosk")
    assert again.returncode == 1 and "409" in again.stderr
    removed = command("delete", "--admin", admin_url, "--id", "kiosk")
    assert removed.returncode == 0, removed.stderr
    assert command("show", "--admin", admin_url, "--id", "kiosk").returncode == 1
    # Usage errors: exit 2, the help on standard error.
    for arguments in (["create", "--admin", admin_url], ["delete", "--admin", admin_url],
                      ["list", "--admin", admin_url, "--name", "x"], ["rename"]):
        usage = command(*arguments)
        assert usage.returncode == 2 and "Usage: gatehouse applications" in usage.stderr, arguments


def test_without_the_key_manager_applications_are_listed_not_changed(gateway_factory,
                                                                       backend_factory):
    backend = backend_factory("shop")
    gateway = gateway_factory(config={
        "listeners": [{"name": "http", "address": "127.0.0.1:0"}],
        "admin": {"address": "127.0.0.1:0"},
        "apis": [harness.api(name="Shop", version="1.0", context="/shop",
                             endpoints=[backend.url + "/echo"])],
        "applications": [{"id": "shop-app"}],
    })
    listed = requests.get(gateway.admin_url("/applications"), timeout=10)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    refused = requests.post(gateway.admin_url("/applications"), json={"name": "x"}, timeout=10)
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD"

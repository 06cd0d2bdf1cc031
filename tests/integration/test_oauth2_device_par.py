"""The built-in key manager's device authorization grant (RFC 8628), pushed authorization requests
(RFC 9126) and userinfo, driven as their clients would: the device polls the token endpoint with
urllib while the user answers on /oauth2/device with a plain HTTP client; a web application
pushes its request, then sends the browser to /oauth2/authorize with the request_uri alone."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import requests

from harness import free_port, wait_until
from key_manager_support import (PASSWORD, SECRET, USER, call_api, config, shop_client)
from oauth2_browser_support import pending_request, pkce_pair, redirect_parameters

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REDIRECT_URI = "http://127.0.0.1:5999/callback"


@pytest.fixture
def server(gateway_factory, backend_factory, tmp_path):
    """The key manager with a public device client `tv`, the confidential web application `web`
    and the client `shop`, each a key of the Shop API's application; devices poll every 3 s."""
    port = free_port()
    clients = [
        shop_client(),
        shop_client(client_id="web", grant_types=["authorization_code"],
                    redirect_uris=[REDIRECT_URI]),
        {"client_id": "tv", "public": True, "grant_types": [DEVICE_GRANT, "refresh_token"],
         "scopes": ["read"], "application": "shop-app"},
    ]
    written = config(tmp_path / "access.log", backend_factory("shop"), port,
                     tmp_path / "oauth2.db", clients)
    written["oauth2_server"]["device_code_interval"] = "3s"
    gateway = gateway_factory(config=written)
    gateway.issuer = "http://127.0.0.1:%d" % port
    return gateway


def post_form(url, fields):
    """The status and JSON answer of a form POST, as a device's HTTP library sends it."""
    body = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def start_device(gateway, scope="openid read"):
    status, body = post_form(gateway.url("/oauth2/device_authorization"),
                             {"client_id": "tv", "scope": scope})
    assert status == 200, body
    return body


def poll(gateway, device):
    return post_form(gateway.url("/oauth2/token"),
                     {"grant_type": DEVICE_GRANT, "device_code": device["device_code"],
                      "client_id": "tv"})


def answer_on_the_page(gateway, device, decision):
    """The user opens verification_uri_complete, signs in and decides."""
    page = requests.get(device["verification_uri_complete"], timeout=10)
    assert page.status_code == 200 and page.headers["X-Frame-Options"] == "DENY"
    assert "<strong>tv</strong>" in page.text and device["user_code"] in page.text
    return requests.post(gateway.url("/oauth2/device"),
                         data={"authorization_request": pending_request(page),
                               "username": USER, "password": PASSWORD, "decision": decision},
                         timeout=10)


def test_discovery_lists_the_device_pushed_and_userinfo_endpoints(server):
    document = requests.get(server.url("/.well-known/openid-configuration"), timeout=10).json()
    assert document["device_authorization_endpoint"] == \
        server.issuer + "/oauth2/device_authorization"
    assert document["pushed_authorization_request_endpoint"] == server.issuer + "/oauth2/par"
    assert document["require_pushed_authorization_requests"] is False
    assert document["userinfo_endpoint"] == server.issuer + "/oauth2/userinfo"
    assert DEVICE_GRANT in document["grant_types_supported"]


def test_a_device_polls_until_the_user_allows_and_its_token_opens_the_api(server):
    device = start_device(server)
    assert device["verification_uri"] == server.issuer + "/oauth2/device"
    assert device["interval"] == 3 and device["expires_in"] == 600
    assert poll(server, device) == (400, {"error": "authorization_pending",
                                          "error_description": "the user has not answered yet"})
    status, body = poll(server, device)  # at once: within the interval
    assert (status, body["error"]) == (400, "slow_down")

    allowed = answer_on_the_page(server, device, "allow")
    assert allowed.status_code == 200 and "Device connected" in allowed.text
    assert "gatehouse_session=" in allowed.headers["Set-Cookie"]

    status, tokens = poll(server, device)
    assert status == 200, tokens
    assert tokens["scope"] == "openid read" and tokens["refresh_token"] and tokens["id_token"]
    assert call_api(server, tokens["access_token"]).status_code == 200
    assert poll(server, device)[1]["error"] == "invalid_grant"  # once

    userinfo = requests.get(server.url("/oauth2/userinfo"),
                            headers={"Authorization": "Bearer " + tokens["access_token"]},
                            timeout=10)
    # Without the profile scope, the user's name is not given.
    assert userinfo.status_code == 200 and userinfo.json() == {"sub": USER}


def test_a_denied_device_gets_access_denied(server):
    device = start_device(server)
    denied = answer_on_the_page(server, device, "deny")
    assert denied.status_code == 200 and "Access denied" in denied.text
    assert poll(server, device)[1]["error"] == "access_denied"


def test_guessing_user_codes_is_slowed(server):
    device = start_device(server)

    def enter(code):
        return requests.get(server.url("/oauth2/device"), params={"user_code": code}, timeout=10)
    for n in range(6):
        assert "not valid" in enter("BCDF-GH%02d" % n).text
    # Shut out for a second: even the right code is not looked up.
    assert "Too many wrong codes" in enter(device["user_code"]).text
    assert wait_until(lambda: 'name="password"' in enter(device["user_code"]).text, timeout=3,
                      interval=0.2)


def test_a_pushed_request_leads_to_a_code_and_its_request_uri_is_used_once(server):
    verifier, challenge = pkce_pair()
    pushed = requests.post(server.url("/oauth2/par"), auth=("web", SECRET),
                           data={"response_type": "code", "redirect_uri": REDIRECT_URI,
                                 "scope": "read", "state": "pushed",
                                 "code_challenge": challenge, "code_challenge_method": "S256"},
                           timeout=10)
    assert pushed.status_code == 201, pushed.text
    request_uri = pushed.json()["request_uri"]
    assert request_uri.startswith("urn:ietf:params:oauth:request_uri:")
    assert pushed.json()["expires_in"] == 60

    def authorize():
        return requests.get(server.url("/oauth2/authorize"),
                            params={"client_id": "web", "request_uri": request_uri},
                            allow_redirects=False, timeout=10)

    page = authorize()
    assert page.status_code == 200, page.text
    answer = requests.post(server.url("/oauth2/authorize"),
                           data={"authorization_request": pending_request(page),
                                 "username": USER, "password": PASSWORD, "decision": "allow"},
                           allow_redirects=False, timeout=10)
    parameters = redirect_parameters(answer, REDIRECT_URI)
    assert parameters["state"] == "pushed"
    tokens = requests.post(server.url("/oauth2/token"), auth=("web", SECRET),
                           data={"grant_type": "authorization_code", "code": parameters["code"],
                                 "redirect_uri": REDIRECT_URI, "code_verifier": verifier},
                           timeout=10)
    assert tokens.status_code == 200, tokens.text
    assert call_api(server, tokens.json()["access_token"]).status_code == 200

    again = authorize()
    assert again.status_code == 400 and "Location" not in again.headers


def test_userinfo_needs_an_openid_token(server):
    token = requests.post(server.url("/oauth2/token"), auth=("shop", SECRET),
                          data={"grant_type": "client_credentials", "scope": "read"},
                          timeout=10).json()["access_token"]
    without_openid = requests.get(server.url("/oauth2/userinfo"),
                                  headers={"Authorization": "Bearer " + token}, timeout=10)
    assert without_openid.status_code == 403
    assert 'error="insufficient_scope"' in without_openid.headers["WWW-Authenticate"]
    anonymous = requests.post(server.url("/oauth2/userinfo"), timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer realm=")
    forged = requests.get(server.url("/oauth2/userinfo"),
                          headers={"Authorization": "Bearer " + token[:-4] + "AAAA"}, timeout=10)
    assert forged.status_code == 401
    assert 'error="invalid_token"' in forged.headers["WWW-Authenticate"]

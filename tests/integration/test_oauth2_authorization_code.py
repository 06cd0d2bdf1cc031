"""The built-in key manager's authorization code flow, driven as a browser and a client would
(requests, no browser): the login and consent page at /oauth2/authorize, the redirect with code,
state and iss, the token exchange with PKCE and its ID token, the gateway accepting the access
token on a secured API, a reused code revoking it on every worker, a code that outlives a
restart, and logs that hold none of the credentials."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from key_manager_support import ITEMS_PATH, PASSWORD, USER, call_api, start_key_manager
from oauth2_browser_support import jwt_claims, pending_request, pkce_pair
from oauth2_browser_support import redirect_parameters as redirect_to

REDIRECT_URI = "http://127.0.0.1:5999/callback"
# A single-page application: a public client, PKCE its only proof.
SPA = {"client_id": "spa", "public": True, "grant_types": ["authorization_code", "refresh_token"],
       "scopes": ["read"], "redirect_uris": [REDIRECT_URI], "application": "shop-app"}


# An older browser application of the implicit grant, which a client has only when configured.
LEGACY = dict(SPA, client_id="legacy", grant_types=["implicit"])


@pytest.fixture
def server(gateway_factory, backend_factory, tmp_path):
    return start_key_manager(gateway_factory, backend_factory, tmp_path, clients=[SPA, LEGACY])


def authorize(gateway, challenge, cookie=None, base=None, **extra):
    params = dict({"response_type": "code", "client_id": "spa", "redirect_uri": REDIRECT_URI,
                   "scope": "openid read", "state": "state-1", "nonce": "nonce-1",
                   "code_challenge": challenge, "code_challenge_method": "S256"}, **extra)
    headers = {"Cookie": cookie} if cookie else {}
    return requests.get((base or gateway.url)("/oauth2/authorize"), params=params,
                        headers=headers, allow_redirects=False, timeout=10)


def submit(gateway, page, decision="allow", password=PASSWORD):
    return requests.post(gateway.url("/oauth2/authorize"),
                         data={"authorization_request": pending_request(page),
                               "username": USER, "password": password, "decision": decision},
                         allow_redirects=False, timeout=10)


def redirect_parameters(answer):
    return redirect_to(answer, REDIRECT_URI)


def log_in(gateway, challenge):
    """The code and the session cookie of a login with consent."""
    answer = submit(gateway, authorize(gateway, challenge))
    cookie = answer.headers["Set-Cookie"].split(";")[0]
    return redirect_parameters(answer)["code"], cookie


def redeem(gateway, code, verifier, redirect_uri=REDIRECT_URI):
    return requests.post(gateway.url("/oauth2/token"),
                         data={"grant_type": "authorization_code", "code": code,
                               "redirect_uri": redirect_uri, "code_verifier": verifier,
                               "client_id": "spa"}, timeout=10)


def test_discovery_describes_the_authorization_code_flow(server):
    document = requests.get(server.url("/.well-known/openid-configuration"), timeout=10).json()
    assert document["authorization_endpoint"] == server.issuer + "/oauth2/authorize"
    assert "authorization_code" in document["grant_types_supported"]
    assert document["response_types_supported"] == ["code", "token"]  # `legacy` has implicit
    assert document["code_challenge_methods_supported"] == ["S256", "plain"]
    assert document["authorization_response_iss_parameter_supported"] is True


def test_the_page_is_a_login_and_consent_form_with_security_headers(server):
    page = authorize(server, pkce_pair()[1])
    assert page.status_code == 200, page.headers.get("Location")
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Content-Security-Policy"] == \
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    for part in ("<h1>", 'name="username"', 'name="password"', 'name="decision" value="allow"',
                 'name="decision" value="deny"'):
        assert part in page.text


def test_login_and_allow_give_a_code_whose_tokens_the_gateway_accepts(server):
    verifier, challenge = pkce_pair()
    answer = submit(server, authorize(server, challenge))
    parameters = redirect_parameters(answer)
    assert parameters["state"] == "state-1"
    assert parameters["iss"] == server.issuer
    assert "HttpOnly" in answer.headers["Set-Cookie"]
    assert "SameSite=Lax" in answer.headers["Set-Cookie"]

    tokens = redeem(server, parameters["code"], verifier)
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["refresh_token"] and body["scope"] == "openid read"
    claims = jwt_claims(body["id_token"])
    assert claims["sub"] == USER and claims["aud"] == "spa" and claims["nonce"] == "nonce-1"
    assert claims["iss"] == server.issuer
    called = call_api(server, body["access_token"])
    assert called.status_code == 200, called.text


def test_a_reused_code_is_refused_and_its_access_token_too(server):
    verifier, challenge = pkce_pair()
    code, _ = log_in(server, challenge)
    access = redeem(server, code, verifier).json()["access_token"]
    for _ in range(4):  # validated, and cached, by the workers
        assert call_api(server, access).status_code == 200
    reused = redeem(server, code, verifier)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # Revoked on every worker before the answer that refused the code.
    assert [call_api(server, access).status_code for _ in range(6)] == [401] * 6


def test_a_wrong_redirect_uri_or_verifier_is_invalid_grant(server):
    verifier, challenge = pkce_pair()
    code, _ = log_in(server, challenge)
    wrong_uri = redeem(server, code, verifier, redirect_uri="http://127.0.0.1:5999/other")
    assert wrong_uri.status_code == 400 and wrong_uri.json()["error"] == "invalid_grant"
    code, _ = log_in(server, challenge)
    mismatch = redeem(server, code, pkce_pair()[0])
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_grant"


def test_the_session_cookie_skips_the_login_and_the_given_consent(server):
    verifier, challenge = pkce_pair()
    _, cookie = log_in(server, challenge)
    again = authorize(server, challenge, cookie=cookie, state="state-2")
    parameters = redirect_parameters(again)
    assert parameters["state"] == "state-2"
    assert redeem(server, parameters["code"], verifier).status_code == 200


def test_prompt_none_without_a_session_is_login_required(server):
    parameters = redirect_parameters(authorize(server, pkce_pair()[1], prompt="none"))
    assert parameters["error"] == "login_required"
    assert parameters["state"] == "state-1"


def test_a_wrong_password_shows_the_page_again(server):
    page = authorize(server, pkce_pair()[1])
    again = submit(server, page, password="wrong")
    assert again.status_code == 200 and "Location" not in again.headers
    assert "wrong" in again.text and 'name="password"' in again.text


def test_deny_sends_access_denied(server):
    page = authorize(server, pkce_pair()[1])
    assert redirect_parameters(submit(server, page, decision="deny"))["error"] == "access_denied"


def test_an_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(server):
    answer = authorize(server, pkce_pair()[1], redirect_uri="https://evil.example/cb")
    assert answer.status_code == 400
    assert "Location" not in answer.headers
    assert answer.headers["Content-Type"].startswith("text/html")


def test_the_admin_listener_serves_the_page_with_its_headers(server):
    page = authorize(server, pkce_pair()[1], base=server.admin_url)
    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert 'name="password"' in page.text


def test_a_code_issued_before_a_restart_is_redeemed_after_it(server):
    verifier, challenge = pkce_pair()
    code, _ = log_in(server, challenge)
    restarted = server.restart()
    body = redeem(restarted, code, verifier)
    assert body.status_code == 200, body.text
    assert call_api(restarted, body.json()["access_token"]).status_code == 200


def test_no_credential_reaches_the_logs(server):
    verifier, challenge = pkce_pair()
    page = authorize(server, challenge)
    answer = submit(server, page)
    cookie = answer.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    code = redirect_parameters(answer)["code"]
    tokens = redeem(server, code, verifier).json()
    refreshed = requests.post(server.url("/oauth2/token"),
                              data={"grant_type": "refresh_token", "client_id": "spa",
                                    "refresh_token": tokens["refresh_token"]}, timeout=10)
    assert refreshed.status_code == 200, refreshed.text
    assert call_api(server, refreshed.json()["access_token"]).status_code == 200
    # The API call is the last request: once it is logged, every earlier one is.
    assert server.wait_for_access_log(lambda entry: entry.get("path") == ITEMS_PATH)
    logs = server.logs() + server.access_log_path().read_text()
    credentials = {"password": PASSWORD, "verifier": verifier, "code": code, "cookie": cookie,
                   "pending request": pending_request(page),
                   "access token": tokens["access_token"], "id token": tokens["id_token"],
                   "refresh token": tokens["refresh_token"],
                   "rotated refresh token": refreshed.json()["refresh_token"]}
    assert [name for name, value in credentials.items() if value in logs] == []


def fragment_parameters(answer):
    assert answer.status_code == 303, answer.text
    location = urlsplit(answer.headers["Location"])
    assert "%s://%s%s" % (location.scheme, location.netloc, location.path) == REDIRECT_URI
    assert location.query == "", "a token never travels in the query"
    return {name: values[0] for name, values in parse_qs(location.fragment).items()}


def test_the_implicit_grant_sends_the_token_in_the_fragment_to_a_client_that_has_it(server):
    page = authorize(server, None, client_id="legacy", response_type="token", scope="read",
                     code_challenge=None, code_challenge_method=None)
    assert page.status_code == 200, page.headers.get("Location")
    parameters = fragment_parameters(submit(server, page))
    assert parameters["token_type"] == "Bearer" and parameters["scope"] == "read"
    assert parameters["state"] == "state-1" and parameters["iss"] == server.issuer
    assert "refresh_token" not in parameters and "code" not in parameters
    assert int(parameters["expires_in"]) > 0
    assert call_api(server, parameters["access_token"]).status_code == 200


def test_the_implicit_grant_is_off_for_a_client_that_does_not_list_it(server):
    answer = authorize(server, None, response_type="token", code_challenge=None,
                       code_challenge_method=None)
    assert fragment_parameters(answer)["error"] == "unauthorized_client"


def test_a_token_is_never_sent_in_a_query(server):
    answer = authorize(server, None, client_id="legacy", response_type="token",
                       response_mode="query", code_challenge=None, code_challenge_method=None)
    assert fragment_parameters(answer)["error"] == "invalid_request"

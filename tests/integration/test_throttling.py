"""Throttling in one process, as a client sees it: WSO2's levels and their 429 codes (900800 API,
900802 resource, 900803 application, 900804 subscription, 900806 custom, 900807 burst) and
blocking conditions (403, 900805); Retry-After and the RateLimit-Policy and RateLimit headers;
conditions on client IP, header, query parameter and claim; bandwidth quotas; sliding windows;
exact counts across two workers and a reload; blocking conditions added and removed on the admin
listener while traffic runs; the access log's `throttled_by`. Tokens come from PyJWT
(security_support.py), load from wrk.

Fixed windows are aligned to the calendar (a minute starts at second 0), so a test that must stay
within one window first waits, when the current one is about to end, for the next. Most quotas here
are per hour, which makes that wait rare; the tests of the default minute window and of burst
control, and the exactness test (a 1000/min quota), use minutes."""

import json
import re
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from harness import api, wait_until
from security_support import ISSUER, KeySet, assert_wso2_error

WRK_CONNECTIONS = 64
HOUR = "1h"  # the window of most quotas below


@pytest.fixture(scope="module")
def keys():
    return KeySet()


def within_one_window(seconds_needed, window=3600):
    """Waits, if fewer than `seconds_needed` seconds are left in the current fixed window of
    `window` seconds, for the next one to start."""
    left = window - time.time() % window
    if left < seconds_needed:
        time.sleep(left + 0.1)


def secured_config(backend, tmp_path, keys, throttling, apis=None, applications=None,
                   subscriptions=None):
    """Shop:1.0 and Cart:1.0 (or `apis`), secured by the idp's tokens, app-1 subscribed to each
    (or `subscriptions`), with `throttling` as the section."""
    jwks_file = tmp_path / "jwks.json"
    jwks_file.write_text(json.dumps(keys.jwks()))
    if apis is None:
        apis = [secured_api("Shop", backend), secured_api("Cart", backend)]
    return dict(
        apis=apis, workers=2, throttling=throttling,
        key_managers=[{"name": "idp", "issuer": ISSUER, "jwks_file": str(jwks_file)}],
        applications=applications or [{"id": "app-1", "keys": [{"key_manager": "idp",
                                                                "consumer_key": "client-1"}]}],
        subscriptions=subscriptions or [{"application": "app-1", "api": a["name"] + ":1.0"}
                                        for a in apis])


def secured_api(name, backend, **extra):
    return api(name=name, version="1.0", context="/" + name.lower(),
               endpoints=[backend.url + "/echo"], security={"schemes": ["oauth2"]},
               resources=extra.pop("resources", [{"methods": ["GET", "POST"], "path": "/*"}]),
               **extra)


def start(gateway_factory, settings):
    settings = dict(settings)
    return gateway_factory(settings.pop("apis"), **settings)


def get(gateway, path, token=None, headers=None, **kwargs):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = "Bearer " + token
    return requests.get(gateway.url(path), headers=headers, timeout=10, **kwargs)


def statuses(gateway, path, count, token=None, headers=None):
    return [get(gateway, path, token, headers).status_code for _ in range(count)]


def throttled_metric(gateway, level, policy):
    text = requests.get(gateway.admin_url("/metrics"), timeout=10).text
    found = re.search(r'^gatehouse_throttled_total\{level="%s",policy="%s"\} (\d+)$' %
                      (level, policy), text, re.M)
    assert found, text
    return int(found.group(1))


def assert_throttled(response, code, name, quota, window):
    """A 429 with WSO2's code, a Retry-After within the window, and the headers that name the
    refusing limit with nothing left."""
    assert_wso2_error(response, 429, code)
    assert 0 <= int(response.headers["Retry-After"]) <= window, response.headers
    policy = response.headers.get("RateLimit-Policy", "")
    assert '"%s";q=%d;w=%d' % (name, quota, window) in policy, response.headers
    assert re.fullmatch(r'"%s";r=0;t=\d+' % name, response.headers["RateLimit"]), response.headers


# -- subscription, application, burst --------------------------------------------------------


def test_subscription_tier_refuses_past_its_quota_with_900804_and_says_so_in_its_headers(
        gateway_factory, backend, tmp_path, keys):
    within_one_window(15, window=60)
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"subscription_tiers": [{"name": "Five", "requests": 5}]},
        subscriptions=[{"application": "app-1", "api": "Shop:1.0", "tier": "Five"},
                       {"application": "app-1", "api": "Cart:1.0"}]))
    token = keys.token()
    for left in range(4, -1, -1):
        admitted = get(gateway, "/shop/1.0/items", token)
        assert admitted.status_code == 200, admitted.text
        assert admitted.headers["RateLimit-Policy"] == '"subscription";q=5;w=60'
        assert re.fullmatch(r'"subscription";r=%d;t=\d+' % left, admitted.headers["RateLimit"])
    refused = get(gateway, "/shop/1.0/items", token)
    assert_throttled(refused, 900804, "subscription", 5, 60)
    # The other subscription of the same application is Unlimited: no header, no limit.
    other = get(gateway, "/cart/1.0/items", token)
    assert other.status_code == 200 and "RateLimit" not in other.headers
    log = gateway.wait_for_access_log(lambda e: e["status"] == 429)
    assert [e["throttled_by"] for e in log] == ["subscription"]
    assert all("throttled_by" not in e for e in gateway.access_log() if e["status"] == 200)
    assert throttled_metric(gateway, "subscription", "Five") == 1
    assert throttled_metric(gateway, "burst", "Five") == 0


def test_application_tier_counts_across_the_applications_apis_with_900803(
        gateway_factory, backend, tmp_path, keys):
    within_one_window(15)
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"application_tiers": [{"name": "Three", "requests": 3, "per": HOUR}]},
        applications=[{"id": "app-1", "tier": "Three",
                       "keys": [{"key_manager": "idp", "consumer_key": "client-1"}]}]))
    token = keys.token()
    assert statuses(gateway, "/shop/1.0/items", 2, token) == [200, 200]
    assert statuses(gateway, "/cart/1.0/items", 1, token) == [200]
    assert_throttled(get(gateway, "/shop/1.0/items", token), 900803, "application", 3, 3600)
    assert_throttled(get(gateway, "/cart/1.0/items", token), 900803, "application", 3, 3600)


def test_application_tier_per_user_gives_each_end_user_the_quota(gateway_factory, backend,
                                                                  tmp_path, keys):
    within_one_window(15)
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys,
        {"application_tiers": [{"name": "TwoEach", "requests": 2, "per": HOUR, "per_user": True}]},
        applications=[{"id": "app-1", "tier": "TwoEach",
                       "keys": [{"key_manager": "idp", "consumer_key": "client-1"}]}]))
    alice, bob = keys.token(sub="alice"), keys.token(sub="bob")
    assert statuses(gateway, "/shop/1.0/items", 3, alice) == [200, 200, 429]
    assert statuses(gateway, "/shop/1.0/items", 3, bob) == [200, 200, 429]


def test_burst_control_refuses_a_spike_under_the_quota_with_900807(gateway_factory, backend,
                                                                     tmp_path, keys):
    within_one_window(15, window=60)
    tier = {"name": "Spiky", "requests": 100, "per": HOUR, "burst": {"requests": 3, "per": "1m"}}
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"subscription_tiers": [tier]},
        subscriptions=[{"application": "app-1", "api": "Shop:1.0", "tier": "Spiky"}]))
    token = keys.token()
    assert statuses(gateway, "/shop/1.0/items", 3, token) == [200, 200, 200]
    refused = get(gateway, "/shop/1.0/items", token)
    assert_throttled(refused, 900807, "burst", 3, 60)


def test_a_tier_that_does_not_stop_on_its_quota_counts_and_reports_but_admits(
        gateway_factory, backend, tmp_path, keys):
    within_one_window(15)
    tier = {"name": "Soft", "requests": 2, "per": HOUR, "stop_on_quota_reach": False}
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"subscription_tiers": [tier]},
        subscriptions=[{"application": "app-1", "api": "Shop:1.0", "tier": "Soft"}]))
    token = keys.token()
    answers = [get(gateway, "/shop/1.0/items", token) for _ in range(4)]
    assert [a.status_code for a in answers] == [200] * 4
    assert [re.search(r"r=(\d+)", a.headers["RateLimit"]).group(1) for a in answers] == \
        ["1", "0", "0", "0"]


def test_unauthenticated_tier_counts_open_resources_of_a_secured_api_per_client_ip(
        gateway_factory, backend, tmp_path, keys):
    within_one_window(15)
    shop = secured_api("Shop", backend, resources=[
        {"method": "GET", "path": "/open", "auth": "none"},
        {"method": "GET", "path": "/items"}])
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys,
        {"trusted_proxies": ["127.0.0.1"],
         "subscription_tiers": [{"name": "Unauthenticated", "requests": 2, "per": HOUR}]}, apis=[shop]))
    first = {"X-Forwarded-For": "198.51.100.1"}
    second = {"X-Forwarded-For": "198.51.100.2"}
    assert statuses(gateway, "/shop/1.0/open", 2, headers=first) == [200, 200]
    assert_throttled(get(gateway, "/shop/1.0/open", headers=first), 900804, "unauthenticated", 2,
                     3600)
    assert statuses(gateway, "/shop/1.0/open", 2, headers=second) == [200, 200]


# -- advanced policies of APIs and resources ---------------------------------------------------


def open_api(backend, name="Open", context="/open", **extra):
    return api(name=name, version="1.0", context=context, endpoints=[backend.url + "/echo"],
               **extra)


def test_api_and_resource_policies_refuse_with_900800_and_900802(gateway_factory, backend):
    within_one_window(15)
    policies = [{"name": "FourPerHour", "requests": 4, "per": HOUR},
                {"name": "TwoPerHour", "requests": 2, "per": HOUR}]
    gateway = gateway_factory(
        [open_api(backend, throttling="FourPerHour",
                  resources=[{"method": "GET", "path": "/scarce", "throttling": "TwoPerHour"},
                             {"method": "GET", "path": "/plenty"}])],
        throttling={"api_policies": policies})
    assert statuses(gateway, "/open/1.0/scarce", 2) == [200, 200]
    scarce = get(gateway, "/open/1.0/scarce")
    assert_throttled(scarce, 900802, "resource", 2, 3600)
    # The resource's refusal was given back to the API's count: two of four spent.
    assert statuses(gateway, "/open/1.0/plenty", 2) == [200, 200]
    assert_throttled(get(gateway, "/open/1.0/plenty"), 900800, "api", 4, 3600)


def test_condition_groups_on_header_query_and_ip_with_regex_invert_and_a_default(
        gateway_factory, backend):
    within_one_window(20)
    policy = {
        "name": "ByCaller", "requests": 5, "per": HOUR,
        "conditions": [
            {"when": [{"header": "X-Plan", "matches": "free-.*"}], "requests": 1, "per": HOUR},
            {"when": [{"query": "trial"}], "requests": 2, "per": HOUR},
            {"when": [{"ip": "203.0.113.0-203.0.113.9"}], "requests": 3, "per": HOUR},
            {"when": [{"header": "X-Partner", "invert": True},
                      {"ip": "10.0.0.0/8", "invert": True}], "requests": 4, "per": HOUR},
        ]}
    gateway = gateway_factory([open_api(backend, throttling="ByCaller")],
                              throttling={"api_policies": [policy],
                                          "trusted_proxies": ["127.0.0.1"]})
    free = {"X-Plan": "free-2024"}
    assert statuses(gateway, "/open/1.0/x", 2, headers=free) == [200, 429]
    # "paid-free-1" does not match the whole pattern: the next group that holds applies.
    assert statuses(gateway, "/open/1.0/x?trial=1", 3, headers={"X-Plan": "paid-free-1"}) == \
        [200, 200, 429]
    in_range = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7", "X-Partner": "yes"}
    assert statuses(gateway, "/open/1.0/x", 4, headers=in_range) == [200, 200, 200, 429]
    # Neither X-Partner nor a 10/8 address: the inverted group, 4.
    assert statuses(gateway, "/open/1.0/x", 5) == [200, 200, 200, 200, 429]
    # A partner outside every group: the default limit, 5.
    partner = {"X-Partner": "yes"}
    assert statuses(gateway, "/open/1.0/x", 6, headers=partner) == [200] * 5 + [429]
    refused = get(gateway, "/open/1.0/x", headers=partner)
    assert_throttled(refused, 900800, "api", 5, 3600)


def test_x_forwarded_for_is_ignored_from_a_peer_that_is_not_a_trusted_proxy(gateway_factory,
                                                                              backend):
    within_one_window(15)
    policy = {"name": "Ranged", "conditions": [
        {"when": [{"ip": "203.0.113.0/24"}], "requests": 1, "per": HOUR}]}
    gateway = gateway_factory([open_api(backend, throttling="Ranged")],
                              throttling={"api_policies": [policy]})
    spoofed = {"X-Forwarded-For": "203.0.113.7"}
    # The client is 127.0.0.1, in no group, and the policy has no default limit.
    assert statuses(gateway, "/open/1.0/x", 3, headers=spoofed) == [200, 200, 200]


def test_claim_condition_limits_tokens_that_carry_the_claim(gateway_factory, backend, tmp_path,
                                                            keys):
    within_one_window(15)
    policy = {"name": "ByClaim", "conditions": [
        {"when": [{"claim": "plan", "matches": "trial|free"}], "requests": 1, "per": HOUR}]}
    shop = secured_api("Shop", backend, throttling="ByClaim")
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"api_policies": [policy]}, apis=[shop]))
    assert statuses(gateway, "/shop/1.0/items", 2, keys.token(plan="trial")) == [200, 429]
    assert statuses(gateway, "/shop/1.0/items", 3, keys.token(plan="gold")) == [200] * 3


# -- custom policies, bandwidth, sliding windows ------------------------------------------------


def test_custom_policy_counts_per_key_of_its_template_with_900806(gateway_factory, backend,
                                                                   tmp_path, keys):
    within_one_window(15)
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys,
        {"custom_policies": [{"name": "per-user", "key": "{user}@{api}", "requests": 2, "per": HOUR}]}))
    alice = keys.token(sub="alice")
    assert statuses(gateway, "/shop/1.0/items", 2, alice) == [200, 200]
    assert_throttled(get(gateway, "/shop/1.0/items", alice), 900806, "per-user", 2, 3600)
    assert statuses(gateway, "/cart/1.0/items", 2, alice) == [200, 200]  # another {api}
    assert statuses(gateway, "/shop/1.0/items", 2, keys.token(sub="bob")) == [200, 200]
    log = gateway.wait_for_access_log(lambda e: e["status"] == 429)
    assert [e["throttled_by"] for e in log] == ["per-user"]


def test_bandwidth_quota_counts_request_and_response_bodies(gateway_factory, backend, tmp_path,
                                                             keys):
    within_one_window(15)
    tier = {"name": "Narrow", "bandwidth": 5000, "per": HOUR}
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"subscription_tiers": [tier]},
        subscriptions=[{"application": "app-1", "api": "Shop:1.0", "tier": "Narrow"}]))
    token = keys.token()
    body = b"x" * 1000
    answers = []
    for _ in range(8):
        answers.append(requests.post(gateway.url("/shop/1.0/upload"), data=body, timeout=10,
                                     headers={"Authorization": "Bearer " + token}))
        if answers[-1].status_code != 200:
            break
    admitted = [a for a in answers if a.status_code == 200]
    # Each exchange moves at least its 1000-byte request body and the echo of it; admission
    # stops once 5000 bytes are spent: after the third exchange, at the latest.
    assert 1 <= len(admitted) <= 3, [a.status_code for a in answers]
    assert '"subscription";q=5000;w=3600;qu="content-bytes"' in admitted[0].headers[
        "RateLimit-Policy"]
    assert_throttled(answers[-1], 900804, "subscription", 5000, 3600)


def test_sliding_window_weighs_the_previous_window_where_a_fixed_one_starts_afresh(
        gateway_factory, backend):
    policies = [{"name": "Sliding", "requests": 3, "per": "4s", "window": "sliding"},
                {"name": "Fixed", "requests": 3, "per": "4s"}]
    gateway = gateway_factory(
        [open_api(backend, resources=[{"method": "GET", "path": "/sliding", "throttling": "Sliding"},
                                      {"method": "GET", "path": "/fixed", "throttling": "Fixed"}])],
        throttling={"api_policies": policies})
    within_one_window(3.5, window=4)
    start_of_window = time.time() // 4 * 4
    assert statuses(gateway, "/open/1.0/sliding", 4) == [200, 200, 200, 429]
    assert statuses(gateway, "/open/1.0/fixed", 4) == [200, 200, 200, 429]
    time.sleep(max(0.0, start_of_window + 4.3 - time.time()))
    # Just past the boundary almost all of the last window still counts: 3 * 0.9 + 1 > 3.
    assert get(gateway, "/open/1.0/sliding").status_code == 429
    assert get(gateway, "/open/1.0/fixed").status_code == 200
    time.sleep(max(0.0, start_of_window + 7.4 - time.time()))
    # Near the end of the window only 3 * 0.15 of the last one still counts.
    assert get(gateway, "/open/1.0/sliding").status_code == 200


# -- exactness ---------------------------------------------------------------------------------


def wrk(url, seconds=2):
    """Runs wrk on `url` with WRK_CONNECTIONS connections; returns its output."""
    done = subprocess.run(["wrk", "-t2", "-c%d" % WRK_CONNECTIONS, "-d%ds" % seconds, url],
                          capture_output=True, text=True, timeout=seconds + 60, check=True)
    return done.stdout


def admitted_in_log(gateway, api_name, settle=1.0):
    """The count of 200s of `api_name` in the access log, once it stops growing."""
    last = -1
    while True:
        count = sum(1 for e in gateway.access_log() if e["api"] == api_name and e["status"] == 200)
        if count == last:
            return count
        last = count
        time.sleep(settle)


def test_two_workers_and_64_connections_admit_exactly_the_quota_across_a_reload(
        gateway_factory, backend):
    within_one_window(30, window=60)
    exact = open_api(backend, name="Exact", context="/exact", throttling="Thousand")
    settings = {"throttling": {"api_policies": [{"name": "Thousand", "requests": 1000}]}}
    gateway = gateway_factory([exact], **settings)
    url = gateway.url("/exact/1.0/menu")

    # 600 through 64 concurrent keep-alive connections, spread over both workers...
    sessions = threading.local()

    def one(_):
        if not hasattr(sessions, "session"):
            sessions.session = requests.Session()
        return sessions.session.get(url, timeout=10).status_code

    with ThreadPoolExecutor(WRK_CONNECTIONS) as pool:
        assert list(pool.map(one, range(600))) == [200] * 600
    # ... a reload that compiles every API again (another one is added) ...
    config = dict(gateway.config)
    config["apis"] = [exact, open_api(backend, name="Other", context="/other")]
    gateway.reload(config)
    assert wait_until(lambda: get(gateway, "/other/1.0/x").status_code == 200)
    # ... and wrk, far past the quota: the last 400 and not one more.
    output = wrk(url)
    assert re.search(r"Non-2xx or 3xx responses: \d+", output), output
    assert admitted_in_log(gateway, "Exact") == 1000
    refused = [e for e in gateway.access_log() if e["api"] == "Exact" and e["status"] != 200]
    assert refused and {(e["status"], e["throttled_by"]) for e in refused} == {(429, "api")}


# -- blocking conditions -----------------------------------------------------------------------


def test_blocking_condition_added_while_traffic_runs_stops_it_on_every_worker_at_once(
        gateway_factory, backend):
    gateway = gateway_factory([open_api(backend)])
    seen = []
    stop = threading.Event()

    def traffic():
        session = requests.Session()
        while not stop.is_set():
            response = session.get(gateway.url("/open/1.0/x"), timeout=10)
            seen.append((response.status_code, response.json().get("code")
                         if response.status_code != 200 else None))

    runner = threading.Thread(target=traffic)
    runner.start()
    try:
        wait_until(lambda: len(seen) > 20)
        added = requests.post(gateway.admin_url("/blocking-conditions"), timeout=10,
                              json={"type": "api", "value": "/open/1.0"})
        assert added.status_code == 201, added.text
        condition = added.json()
        assert condition["type"] == "api" and condition["source"] == "admin"
        # Every new connection lands on one of the two workers: all are refused from now on.
        for _ in range(20):
            assert_wso2_error(requests.get(gateway.url("/open/1.0/x"), timeout=10), 403, 900805)
        # The running traffic, on its kept-alive connection, is refused too.
        assert wait_until(lambda: (403, 900805) in seen[-5:], timeout=10)
        listed = requests.get(gateway.admin_url("/blocking-conditions"), timeout=10).json()
        assert [c["id"] for c in listed["blocking_conditions"]] == [condition["id"]]
        removed = requests.delete(
            gateway.admin_url("/blocking-conditions/%s" % condition["id"]), timeout=10)
        assert removed.status_code == 204
        for _ in range(20):
            assert requests.get(gateway.url("/open/1.0/x"), timeout=10).status_code == 200
        assert wait_until(lambda: seen[-1] == (200, None), timeout=10)
    finally:
        stop.set()
        runner.join()
    assert seen[0] == (200, None) and (403, 900805) in seen and seen[-1] == (200, None)
    log = gateway.wait_for_access_log(lambda e: e["status"] == 403)
    assert {e["throttled_by"] for e in log} == {"blocking_condition"}
    assert throttled_metric(gateway, "blocking", "blocking_condition") == len(
        [s for s in seen if s[0] == 403]) + 20


def test_blocking_conditions_of_the_config_file_by_application_and_inverted_ip(
        gateway_factory, backend, tmp_path, keys):
    gateway = start(gateway_factory, secured_config(
        backend, tmp_path, keys, {"blocking_conditions": [{"application": "app-1"}]},
        applications=[{"id": "app-1", "keys": [{"key_manager": "idp", "consumer_key": "client-1"}]},
                      {"id": "app-2", "keys": [{"key_manager": "idp", "consumer_key": "client-2"}]}],
        subscriptions=[{"application": "app-1", "api": "Shop:1.0"},
                       {"application": "app-2", "api": "Shop:1.0"}]))
    assert_wso2_error(get(gateway, "/shop/1.0/items", keys.token()), 403, 900805)
    assert get(gateway, "/shop/1.0/items", keys.token(client_id="client-2")).status_code == 200

    # Only 192.0.2.0/24 may call: everyone else, this client included, is blocked. The reload
    # replaces the file's conditions.
    config = dict(gateway.config)
    config["throttling"] = {"blocking_conditions": [{"ip_range": "192.0.2.0-192.0.2.255",
                                                     "invert": True}]}
    gateway.reload(config)
    assert wait_until(lambda: get(gateway, "/shop/1.0/items",
                                  keys.token(client_id="client-2")).status_code == 403)
    assert_wso2_error(get(gateway, "/shop/1.0/items", keys.token()), 403, 900805)


def test_admin_refuses_a_malformed_blocking_condition(gateway_factory, backend):
    gateway = gateway_factory([open_api(backend)])
    url = gateway.admin_url("/blocking-conditions")
    for body in ({"type": "ip"}, {"type": "colour", "value": "red"},
                 {"type": "ip", "value": "not-an-address"}, {"type": "api", "value": "open"},
                 {"type": "ip_range", "value": "192.0.2.9-192.0.2.1"}):
        refused = requests.post(url, json=body, timeout=10)
        assert refused.status_code == 400, (body, refused.text)
        assert refused.json()["description"], refused.text
    assert requests.delete(url + "/12345", timeout=10).status_code == 404
    assert requests.get(url, timeout=10).json() == {"blocking_conditions": []}

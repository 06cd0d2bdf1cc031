"""Upstream behaviour: load balancing, retries, endpoint suspension, timeouts, keep-alive pools,
HTTPS backends verified against a CA, active health checks."""

import collections
import socket
import time

import pytest
import requests

from harness import api, free_port, wait_until


def backends_seen(session, url, count):
    seen = collections.Counter()
    for _ in range(count):
        response = session.get(url, timeout=10)
        assert response.status_code == 200, response.text
        seen[response.headers["X-Backend"]] += 1
    return seen


def lb_api(endpoints, load_balancing="round_robin", **endpoint_options):
    return api(name="Lb", context="/lb", endpoints=dict(
        production=endpoints, load_balancing=load_balancing, **endpoint_options))


def assert_json_error(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert "description" in body


def test_round_robin_spreads_requests_evenly(gateway_factory, backend_factory):
    backends = [backend_factory(name) for name in ("a", "b", "c")]
    gw = gateway_factory([lb_api([b.url for b in backends])], workers=1)
    with requests.Session() as session:
        seen = backends_seen(session, gw.url("/lb/1.0.0/echo"), 30)
    assert seen == {"a": 10, "b": 10, "c": 10}


def test_round_robin_across_new_connections(gateway_factory, backend_factory):
    backends = [backend_factory(name) for name in ("a", "b")]
    gw = gateway_factory([lb_api([b.url for b in backends])], workers=1)
    seen = collections.Counter(
        requests.get(gw.url("/lb/1.0.0/echo"), timeout=10).headers["X-Backend"]
        for _ in range(20))
    assert seen == {"a": 10, "b": 10}


def test_weighted_follows_the_weights(gateway_factory, backend_factory):
    heavy, light = backend_factory("heavy"), backend_factory("light")
    gw = gateway_factory([lb_api([{"url": heavy.url, "weight": 3}, {"url": light.url, "weight": 1}],
                                 "weighted")], workers=1)
    with requests.Session() as session:
        seen = backends_seen(session, gw.url("/lb/1.0.0/echo"), 40)
    assert seen == {"heavy": 30, "light": 10}


def test_failover_uses_the_first_endpoint_while_it_is_up(gateway_factory, backend_factory):
    primary, secondary = backend_factory("primary"), backend_factory("secondary")
    gw = gateway_factory([lb_api([primary.url, secondary.url], "failover",
                                 suspension={"failures": 1, "initial": "500ms", "factor": 1,
                                             "max": "500ms"})],
                         workers=1)
    with requests.Session() as session:
        assert backends_seen(session, gw.url("/lb/1.0.0/echo"), 10) == {"primary": 10}
        primary.stop()
        assert backends_seen(session, gw.url("/lb/1.0.0/echo"), 10) == {"secondary": 10}
        primary.start()
        # Back to the primary once its suspension ran out.
        assert wait_until(lambda: session.get(gw.url("/lb/1.0.0/echo"), timeout=10)
                          .headers["X-Backend"] == "primary", timeout=20)


def test_get_is_retried_on_another_endpoint_when_connect_fails(gateway_factory, backend_factory):
    live = backend_factory("live")
    dead = "http://127.0.0.1:%d" % free_port()  # nothing listens there
    gw = gateway_factory([lb_api([dead, live.url])], workers=1)
    with requests.Session() as session:
        for _ in range(10):
            response = session.get(gw.url("/lb/1.0.0/echo"), timeout=10)
            assert response.status_code == 200
            assert response.headers["X-Backend"] == "live"


def test_no_reachable_backend_is_503_with_json(gateway_factory):
    dead = "http://127.0.0.1:%d" % free_port()
    gw = gateway_factory([lb_api([dead])])
    response = requests.get(gw.url("/lb/1.0.0/anything"), timeout=10)
    assert_json_error(response, 503, 101503)


def suspend_the_only_endpoint(gateway_factory, backend, initial):
    """A gateway whose one endpoint `backend` is suspended (two failed requests, `initial` long),
    with the backend running again; returns the gateway and the time the suspension began."""
    gw = gateway_factory([lb_api([backend.url], suspension={
        "failures": 2, "initial": initial, "factor": 2, "max": "1h"})], workers=1)
    url = gw.url("/lb/1.0.0/echo")
    assert requests.get(url, timeout=10).status_code == 200
    backend.stop()
    assert_json_error(requests.get(url, timeout=10), 503, 101503)
    suspended_at = time.monotonic()
    assert_json_error(requests.get(url, timeout=10), 503, 101503)
    backend.start()
    assert requests.get(backend.url + "/echo", timeout=10).status_code == 200
    return gw, suspended_at


def test_suspended_endpoint_is_not_tried_even_when_it_is_back(gateway_factory, backend_factory):
    # A suspension far longer than the test: the backend answers again, yet the gateway does
    # not send it anything until the suspension ends.
    backend = backend_factory("only")
    gw, _ = suspend_the_only_endpoint(gateway_factory, backend, "1h")
    for _ in range(3):
        assert_json_error(requests.get(gw.url("/lb/1.0.0/echo"), timeout=10), 503, 101503)


def test_suspended_endpoint_recovers_when_its_suspension_ends(gateway_factory, backend_factory):
    backend = backend_factory("only")
    gw, suspended_at = suspend_the_only_endpoint(gateway_factory, backend, "2s")
    url = gw.url("/lb/1.0.0/echo")
    assert wait_until(lambda: requests.get(url, timeout=10).status_code == 200, timeout=30)
    # Not before the suspension ran out: it began at the second failure, after suspended_at was
    # taken, so this lower bound holds however slow the machine.
    assert time.monotonic() - suspended_at > 1.9


def test_response_timeout_is_504_with_json(gateway_factory, backend):
    gw = gateway_factory([api(name="Slow", context="/slow", endpoints={
        "production": [backend.url], "response_timeout": "500ms"})])
    started = time.monotonic()
    response = requests.get(gw.url("/slow/1.0.0/delay/5000"), timeout=30)
    assert_json_error(response, 504, 101504)
    assert time.monotonic() - started < 4.5
    # A response within the timeout is fine, and the gateway still serves.
    assert requests.get(gw.url("/slow/1.0.0/delay/10"), timeout=10).status_code == 200


@pytest.fixture
def unresponsive_port():
    """A port whose listen queue is full: connection attempts hang instead of being refused."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    fillers = []
    for _ in range(5):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(listener.getsockname())
        except BlockingIOError:
            pass
        fillers.append(filler)
    yield listener.getsockname()[1]
    for s in fillers + [listener]:
        s.close()


def test_connect_timeout_is_504_with_json(gateway_factory, unresponsive_port):
    gw = gateway_factory([api(name="Hang", context="/hang", endpoints={
        "production": ["http://127.0.0.1:%d" % unresponsive_port], "connect_timeout": "500ms"})])
    started = time.monotonic()
    response = requests.get(gw.url("/hang/1.0.0/x"), timeout=30)
    assert_json_error(response, 504, 101504)
    assert time.monotonic() - started < 5


def test_upstream_connections_are_kept_alive(gateway_factory, backend):
    gw = gateway_factory([api(name="Pool", context="/pool", endpoints=[backend.url])], workers=1)
    peers = set()
    with requests.Session() as session:
        for _ in range(10):
            peers.add(session.get(gw.url("/pool/1.0.0/echo"), timeout=10).json()["peer"])
    assert len(peers) == 1, "a new backend connection per request: %s" % peers


def test_endpoint_base_path_is_prefixed(gateway_factory, backend):
    gw = gateway_factory([api(name="Base", context="/base", endpoints=[backend.url + "/echo/v2"])])
    response = requests.get(gw.url("/base/1.0.0/items/7?x=1"), timeout=10)
    assert response.json()["target"] == "/echo/v2/items/7?x=1"


def test_https_backend_verified_against_its_ca(gateway_factory, backend_factory, pki):
    secure = backend_factory("secure", tls=(pki.path("server.pem"), pki.path("server.key")))
    gw = gateway_factory([api(name="Tls", context="/tls", endpoints={
        "production": [secure.url], "ca_file": str(pki.path("ca.pem"))})])
    response = requests.get(gw.url("/tls/1.0.0/echo/x"), timeout=10)
    assert response.status_code == 200
    assert response.headers["X-Backend"] == "secure"
    assert response.json()["path"] == "/echo/x"


def test_https_backend_with_an_unknown_ca_is_refused(gateway_factory, backend_factory, pki):
    secure = backend_factory("secure", tls=(pki.path("server.pem"), pki.path("server.key")))
    gw = gateway_factory([api(name="Tls", context="/tls", endpoints={
        "production": [secure.url], "ca_file": str(pki.path("other-ca.pem"))})])
    response = requests.get(gw.url("/tls/1.0.0/echo/x"), timeout=10)
    # A handshake that fails verification is a connect failure: no endpoint is reachable.
    assert_json_error(response, 503, 101503)
    assert "X-Backend" not in response.headers


def test_https_backend_unverified_when_verification_is_off(gateway_factory, backend_factory, pki):
    secure = backend_factory("secure", tls=(pki.path("server.pem"), pki.path("server.key")))
    gw = gateway_factory([api(name="Tls", context="/tls", endpoints={
        "production": [secure.url], "ca_file": str(pki.path("other-ca.pem")),
        "verify_tls": False})])
    assert requests.get(gw.url("/tls/1.0.0/echo/x"), timeout=10).status_code == 200


def test_https_backend_addressed_by_name(gateway_factory, backend_factory, pki):
    secure = backend_factory("secure", tls=(pki.path("server.pem"), pki.path("server.key")))
    gw = gateway_factory([api(name="Tls", context="/tls", endpoints={
        "production": ["https://localhost:%d" % secure.port], "ca_file": str(pki.path("ca.pem"))})])
    assert requests.get(gw.url("/tls/1.0.0/echo/x"), timeout=10).status_code == 200


def test_health_check_takes_an_unhealthy_endpoint_out(gateway_factory, backend_factory):
    sick, well = backend_factory("sick"), backend_factory("well")
    gw = gateway_factory([lb_api([sick.url, well.url], health_check={
        "path": "/health", "interval": "500ms", "timeout": "400ms"})], workers=1)
    with requests.Session() as session:
        assert set(backends_seen(session, gw.url("/lb/1.0.0/echo"), 10)) == {"sick", "well"}
        requests.post(sick.url + "/control/health", json={"status": 503}, timeout=10)

        def only_well():
            return set(backends_seen(session, gw.url("/lb/1.0.0/echo"), 6)) == {"well"}

        assert wait_until(only_well, timeout=20), "unhealthy endpoint still receives traffic"
        requests.post(sick.url + "/control/health", json={"status": 200}, timeout=10)
        assert wait_until(
            lambda: "sick" in backends_seen(session, gw.url("/lb/1.0.0/echo"), 6), timeout=20)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_backend_closing_an_idle_pooled_connection_is_harmless(gateway_factory, backend_factory,
                                                               method):
    backend = backend_factory("restarting")
    gw = gateway_factory([api(name="Pool", context="/pool", endpoints=[backend.url])], workers=1)
    url = gw.url("/pool/1.0.0/echo")
    assert requests.request(method, url, data=b"1", timeout=10).status_code == 200
    # The pooled connection dies with the backend; the next request must not fail on it.
    backend.stop()
    backend.start()
    time.sleep(0.2)
    response = requests.request(method, url, data=b"2", timeout=10)
    assert response.status_code == 200, response.text

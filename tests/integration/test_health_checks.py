"""Active health checks as docs/config.md (`endpoints.health_check`) promises them: a 2xx or 3xx
answer to the probe is healthy, 4xx and 5xx are not, and a probe not answered within `timeout`
has failed. An unhealthy endpoint gets no traffic; a healthy one gets its share again. The demo
backend answers /health with the status set through POST /control/health."""

import collections
import time

import requests

from harness import api, wait_until

INTERVAL = "300ms"


def lb_gateway(gateway_factory, backends, **health_check):
    endpoints = {"production": [b.url for b in backends], "health_check": health_check}
    return gateway_factory([api(name="Lb", context="/lb", endpoints=endpoints)], workers=1)


def backends_seen(session, url, count=6):
    seen = collections.Counter()
    for _ in range(count):
        response = session.get(url, timeout=10)
        assert response.status_code == 200, response.text
        seen[response.headers["X-Backend"]] += 1
    return set(seen)


def set_health(backend, status):
    requests.post(backend.url + "/control/health", json={"status": status},
                  timeout=10).raise_for_status()


def test_3xx_is_healthy_and_4xx_and_5xx_are_not(gateway_factory, backend_factory):
    probed, steady = backend_factory("probed"), backend_factory("steady")
    gateway = lb_gateway(gateway_factory, [probed, steady], path="/health", interval=INTERVAL,
                         timeout="250ms")
    url = gateway.url("/lb/1.0.0/echo")
    with requests.Session() as session:
        assert backends_seen(session, url) == {"probed", "steady"}
        for status, healthy in ((503, False), (302, True), (404, False), (304, True),
                                (500, False), (200, True)):
            set_health(probed, status)
            expected = {"probed", "steady"} if healthy else {"steady"}
            assert wait_until(lambda: backends_seen(session, url) == expected, timeout=10), \
                "after /health answered %d, traffic went to %s" % (status,
                                                                   backends_seen(session, url))


def test_a_probe_not_answered_within_the_timeout_has_failed(gateway_factory, backend_factory):
    # The same slow /delay/400 endpoint, once with a timeout it misses and once with one it meets.
    missed, met = backend_factory("missed"), backend_factory("met")
    gateway = gateway_factory([
        api(name="Missed", context="/missed", endpoints={
            "production": [missed.url],
            "health_check": {"path": "/delay/400", "interval": INTERVAL, "timeout": "150ms"}}),
        api(name="Met", context="/met", endpoints={
            "production": [met.url],
            "health_check": {"path": "/delay/400", "interval": "1s", "timeout": "1s"}}),
    ], workers=1)

    def status(context):
        return requests.get(gateway.url("/%s/1.0.0/echo" % context), timeout=10).status_code

    assert wait_until(lambda: status("missed") == 503, timeout=10), "a hanging probe passed"
    response = requests.get(gateway.url("/missed/1.0.0/echo"), timeout=10)
    assert response.json()["code"] == 101503
    # Meanwhile the endpoint whose probes take as long, within their timeout, stays in service.
    for _ in range(10):
        assert status("met") == 200
        time.sleep(0.1)

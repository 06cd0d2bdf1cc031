"""Endpoint suspension as docs/config.md (`endpoints.suspension`) and docs/architecture.md promise
it: after `failures` consecutive failures an endpoint is suspended for `initial`, each renewed
suspension lasts `factor` times longer, up to `max`, and a success resets it. A client sees 503
(101503) while the only endpoint is suspended; a failure here is a response timeout (504), so
the client can tell a request the gateway sent (504, or 200 once the backend answers in time)
from one it kept back (503).

Timing is asserted by lower bounds (the gateway never tries an endpoint before its suspension
ends) and by generous upper bounds far from what a broken feature would give."""

import time

import requests

from harness import api

TIMEOUT = 0.25  # the API's response_timeout, seconds
POLL = 0.02


def start_gateway(gateway_factory, backend, **suspension):
    """One worker (suspension is per worker), one endpoint that times out on /delay/5000."""
    endpoints = {"production": [backend.url], "response_timeout": "%dms" % (TIMEOUT * 1000),
                 "suspension": {"failures": 1, **suspension}}
    gateway = gateway_factory([api(name="Susp", context="/susp", endpoints=endpoints)], workers=1)
    return gateway.url("/susp/1.0.0/delay/5000"), gateway.url("/susp/1.0.0/delay/0")


def assert_suspended(response):
    assert response.status_code == 503, response.text
    assert response.json()["code"] == 101503, response.text


def sent_until(session, url, status, timeout=20):
    """Sends GET url every POLL seconds until the answer has `status`; every other answer must be
    the suspension's 503. Returns (sent, answered): when that request left and was answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = time.monotonic()
        response = session.get(url, timeout=30)
        answered = time.monotonic()
        if response.status_code == status:
            return sent, answered
        assert_suspended(response)
        time.sleep(POLL)
    raise AssertionError("no %d within %s s" % (status, timeout))


def test_each_renewed_suspension_grows_by_factor_up_to_max(gateway_factory, backend):
    # Suspensions of 0.2 s, 0.8 s, then 1 s (max) instead of 3.2 s and 12.8 s.
    slow, _ = start_gateway(gateway_factory, backend, initial="200ms", factor=4, max="1s")
    with requests.Session() as session:
        attempts = [sent_until(session, slow, 504)]
        assert_suspended(session.get(slow, timeout=30))
        for _ in range(4):
            attempts.append(sent_until(session, slow, 504))
    # From one failure's answer to the next request the gateway let through.
    gaps = [attempts[k + 1][0] - attempts[k][1] for k in range(4)]
    suspensions = [0.2, 0.8, 1.0, 1.0]
    # Never tried before the suspension (as it should have grown) ended.
    for gap, suspension in zip(gaps, suspensions):
        assert gap >= suspension - 0.1, "gaps %s, suspensions %s" % (gaps, suspensions)
    assert gaps[0] < gaps[1], gaps                  # grew
    assert gaps[2] < 2.5 and gaps[3] < 2.5, gaps    # and stopped at max (uncapped: 3.2, 12.8)


def test_a_success_resets_the_suspension(gateway_factory, backend):
    # Without the reset, the second suspension would last 0.3 s * 10 = 3 s.
    slow, fast = start_gateway(gateway_factory, backend, initial="300ms", factor=10, max="10s")
    with requests.Session() as session:
        for _ in range(2):
            _, failed = sent_until(session, slow, 504)
            assert_suspended(session.get(fast, timeout=30))
            resumed, _ = sent_until(session, fast, 200)  # traffic resumes: a success
            assert 0.2 <= resumed - failed < 2.0, resumed - failed

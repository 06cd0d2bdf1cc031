"""The fault policy: injected delays that hold no thread, injected errors that never reach the
backend, both announced in a response header; and, through it, the phase order: a fault listed
first on a secured API still runs after authentication."""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import harness
from harness import api


def bcrypt_hash(user, password):
    if shutil.which("htpasswd") is None:
        pytest.fail("the htpasswd command line tool is required")
    line = subprocess.run(["htpasswd", "-nbB", user, password], capture_output=True,
                          check=True).stdout.decode().strip()
    return line[len(user) + 1:]


@pytest.fixture
def faulty(gateway_factory, backend):
    return gateway_factory([
        api(name="Slow", context="/slow", endpoints=[backend.url], resources=[
            {"method": "GET", "path": "/echo/*",
             "policies": [{"type": "fault", "delay": {"duration": "300ms"}}]}]),
        api(name="Broken", context="/broken", endpoints=[backend.url], resources=[
            {"method": "GET", "path": "/echo/*",
             "policies": [{"type": "fault", "abort": {"status": 503}}]}]),
        api(name="Guarded", context="/guarded", endpoints=[backend.url],
            security={"schemes": ["basic_auth"]},
            policies=[{"type": "fault", "abort": {"status": 418}}],
            resources=[{"method": "GET", "path": "/echo/*"}]),
    ], workers=1, users=[{"name": "ann", "password_hash": bcrypt_hash("ann", "ann-pw")}])


def test_a_delay_holds_the_request_then_the_backend_answers(faulty):
    started = time.monotonic()
    response = requests.get(faulty.url("/slow/1.0.0/echo/x"), timeout=10)
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200
    assert response.headers["X-Backend"] == "b1"
    assert response.headers["Gatehouse-Fault"] == "delay=300ms"


def test_delayed_requests_wait_side_by_side_on_one_worker(faulty):
    # 20 requests of 300 ms each on one worker thread: one after another they would take 6 s.
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(
            lambda i: requests.get(faulty.url("/slow/1.0.0/echo/%d" % i), timeout=30).status_code,
            range(20)))
    assert statuses == [200] * 20
    assert time.monotonic() - started < 3


def test_an_abort_answers_instead_of_the_backend(faulty):
    response = requests.get(faulty.url("/broken/1.0.0/echo/x"), timeout=10)
    assert response.status_code == 503
    assert "X-Backend" not in response.headers
    assert response.json()["code"] == 503
    assert response.headers["Gatehouse-Fault"] == "abort=503"


def test_a_fault_on_a_secured_api_meets_only_authenticated_callers(faulty):
    # Listed first among the API's policies, the fault still runs in its phase, after
    # authentication: an anonymous caller is refused before any fault.
    anonymous = requests.get(faulty.url("/guarded/1.0.0/echo/x"), timeout=10)
    assert anonymous.status_code == 401
    assert "Gatehouse-Fault" not in anonymous.headers
    known = requests.get(faulty.url("/guarded/1.0.0/echo/x"), auth=("ann", "ann-pw"), timeout=10)
    assert known.status_code == 418
    assert known.headers["Gatehouse-Fault"] == "abort=418"


def test_a_bad_fault_policy_is_refused_with_its_location(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "listeners: [{name: http, address: 127.0.0.1:0}]\n"
        "apis:\n"
        "  - name: Bad\n"
        "    version: 1.0.0\n"
        "    context: /bad\n"
        "    endpoints: {production: [http://127.0.0.1:9]}\n"
        "    resources:\n"
        "      - method: GET\n"
        "        path: /x\n"
        "        policies: [{type: fault, delay: {duration: 5m}}]\n")
    result = subprocess.run([harness.GATEHOUSE_BIN, "validate", "-c", str(path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "bad.yaml:10:52: 'duration' must be at most 60s" in result.stdout + result.stderr

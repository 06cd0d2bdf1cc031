"""Reload on SIGHUP and on file change, invalid reloads that keep the last good snapshot, no failed
request under load while reloading (wrk), and graceful shutdown on SIGTERM."""

import copy
import http.server
import json
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests

import rawhttp
from harness import api, wait_until


class HeldBackend:
    """A backend in the test's own process that holds every request to /hold/... until the test
    releases it, and says when one arrived: the test then knows a request is in flight. Other
    paths are answered at once. Answers are JSON {"path": ...} with X-Backend: held."""

    def __init__(self):
        self.arrived = threading.Event()
        self.release = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                if self.path.startswith("/hold/"):
                    owner.arrived.set()
                    owner.release.wait(60)
                body = json.dumps({"path": self.path}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("X-Backend", "held")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held_backend():
    backend = HeldBackend()
    yield backend
    backend.close()


@pytest.fixture
def wrk():
    """wrk is a dependency of the suite (scripts/install-deps): without it these tests fail."""
    path = shutil.which("wrk")
    if path is None:
        pytest.fail("wrk is required (Debian package wrk, installed by scripts/install-deps)")
    return path


def in_background(function, *args):
    """Runs function(*args) in a thread; returns (thread, outcome), where outcome gets
    "result" or "error" when it ends."""
    outcome = {}

    def run():
        try:
            outcome["result"] = function(*args)
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def with_extra_api(config, backend, name="Extra", context="/extra"):
    changed = copy.deepcopy(config)
    changed["apis"].append(api(name=name, context=context, endpoints=[backend.url]))
    return changed


def status(gw, path):
    try:
        return requests.get(gw.url(path), timeout=10).status_code
    except requests.RequestException:
        return None


def test_sighup_reload_adds_an_api(gateway, backend):
    assert status(gateway, "/extra/1.0.0/echo") == 404
    gateway.reload(with_extra_api(gateway.config, backend))
    assert wait_until(lambda: status(gateway, "/extra/1.0.0/echo") == 200, timeout=15), gateway.output()
    assert status(gateway, "/pizzashack/1.0.0/menu") == 200


def test_a_keep_alive_connection_idle_across_a_reload_is_served_by_the_new_config(gateway, backend):
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/extra/1.0.0/echo")
        assert conn.read_response().status == 404
        gateway.reload(with_extra_api(gateway.config, backend))
        assert wait_until(lambda: status(gateway, "/extra/1.0.0/echo") == 200, timeout=15)
        # The connection waited for this request since before the reload.
        conn.request("GET", "/extra/1.0.0/echo")
        assert conn.read_response().status == 200


def test_sighup_reload_removes_an_api(gateway):
    changed = copy.deepcopy(gateway.config)
    changed["apis"] = [a for a in changed["apis"] if a["name"] != "PizzaShack"]
    gateway.reload(changed)
    assert wait_until(lambda: status(gateway, "/pizzashack/1.0.0/menu") == 404, timeout=15)
    assert status(gateway, "/echo/1.0.0/x") == 200


def test_file_change_is_picked_up_without_a_signal(gateway, backend):
    gateway.write_config(with_extra_api(gateway.config, backend, "Watched", "/watched"))
    assert wait_until(lambda: status(gateway, "/watched/1.0.0/echo") == 200, timeout=20), \
        gateway.output()


def test_file_edited_in_place_is_picked_up(gateway, backend):
    # Editors and `cat >` rewrite the same inode instead of renaming a new file over it.
    from harness import to_yaml
    gateway.config_path.write_text(to_yaml(with_extra_api(gateway.config, backend, "InPlace",
                                                          "/inplace")))
    assert wait_until(lambda: status(gateway, "/inplace/1.0.0/echo") == 200, timeout=20)


def test_invalid_reload_keeps_the_last_good_config_and_says_why(gateway):
    text = gateway.config_path.read_text()
    broken = text.replace("workers: 2", "workers: 2\nnot_a_key: true", 1)
    line = broken.splitlines().index("not_a_key: true") + 1
    gateway.reload(broken)
    pattern = re.escape(str(gateway.config_path)) + r":%d:\d+: " % line
    assert wait_until(lambda: re.search(pattern, gateway.logs()), timeout=15), gateway.output()
    assert status(gateway, "/pizzashack/1.0.0/menu") == 200
    assert gateway.process.poll() is None


def test_invalid_yaml_on_reload_keeps_serving(gateway):
    gateway.reload("apis: [this is: not: valid\n")
    assert wait_until(lambda: re.search(re.escape(str(gateway.config_path)) + r":\d+:\d+: ",
                                        gateway.logs()), timeout=15), gateway.output()
    assert status(gateway, "/pizzashack/1.0.0/menu") == 200


def test_valid_reload_after_an_invalid_one_applies(gateway, backend):
    good = with_extra_api(gateway.config, backend, "Later", "/later")
    gateway.reload("workers: [\n")
    time.sleep(1)
    gateway.reload(good)
    assert wait_until(lambda: status(gateway, "/later/1.0.0/echo") == 200, timeout=15)


def test_reload_changes_the_backend_of_an_api(gateway_factory, backend_factory):
    old, new = backend_factory("old"), backend_factory("new")
    gw = gateway_factory([api(name="Moving", context="/moving", endpoints=[old.url])])
    assert requests.get(gw.url("/moving/1.0.0/echo"), timeout=10).headers["X-Backend"] == "old"
    changed = copy.deepcopy(gw.config)
    changed["apis"][0]["endpoints"]["production"] = [new.url]
    gw.reload(changed)
    assert wait_until(lambda: requests.get(gw.url("/moving/1.0.0/echo"), timeout=10)
                      .headers["X-Backend"] == "new", timeout=15)


def marked_api(backend_url, mark):
    """The API /held, whose answers carry X-Config: mark (a response policy of this config)."""
    return api(name="Held", context="/held", endpoints=[backend_url],
               policies=[{"type": "headers", "response": {"set": {"X-Config": mark}}}])


def test_in_flight_request_finishes_with_the_config_it_started_with(gateway_factory, backend,
                                                                    held_backend):
    gw = gateway_factory([marked_api(held_backend.url, "old")])
    thread, outcome = in_background(
        lambda: requests.get(gw.url("/held/1.0.0/hold/x"), timeout=60))
    assert held_backend.arrived.wait(10), "the request never reached the backend"
    # The new config sends the API elsewhere and marks its answers differently.
    changed = copy.deepcopy(gw.config)
    changed["apis"] = [marked_api(backend.url, "new")]
    gw.reload(changed)

    def new_config_serves():
        response = requests.get(gw.url("/held/1.0.0/echo"), timeout=10)
        return response.headers.get("X-Config") == "new" and response.headers["X-Backend"] == "b1"
    assert wait_until(new_config_serves, timeout=15), gw.output()
    # Only now does the request that was in flight during the reload get its answer.
    held_backend.release.set()
    thread.join(30)
    response = outcome["result"]
    assert response.status_code == 200
    assert response.json() == {"path": "/hold/x"}
    assert response.headers["X-Backend"] == "held"
    assert response.headers["X-Config"] == "old"


def parse_wrk(output):
    requests_done = int(re.search(r"(\d+) requests in", output).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return requests_done, socket_errors.group(1) if socket_errors else None, \
        int(non_2xx.group(1)) if non_2xx else 0


def reload_under_load(gateway, backend, wrk_command, most):
    """Runs wrk_command against the gateway while reloading it, alternately with and without the
    API /extra, up to `most` times, each reload seen applied before the next. Returns wrk's
    output and how many reloads were applied."""
    configs = [with_extra_api(gateway.config, backend), copy.deepcopy(gateway.config)]
    wrk = subprocess.Popen(wrk_command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    time.sleep(1)
    applied = 0
    while wrk.poll() is None and applied < most:
        gateway.reload(configs[applied % 2])
        expected = 200 if applied % 2 == 0 else 404
        assert wait_until(lambda: status(gateway, "/extra/1.0.0/echo") == expected, timeout=15), \
            "reload %d was not applied\n%s" % (applied + 1, gateway.output())
        applied += 1
        time.sleep(0.2)
    output, _ = wrk.communicate(timeout=60)
    assert wrk.returncode == 0, output
    return output, applied


def test_reload_under_load_fails_no_request(gateway, backend, wrk):
    output, applied = reload_under_load(
        gateway, backend, [wrk, "-t1", "-c20", "-d8s", "--timeout", "10s",
                           gateway.url("/pizzashack/1.0.0/menu")], most=12)
    done, socket_errors, non_2xx = parse_wrk(output)
    assert done > 0, output
    assert socket_errors is None, output
    assert non_2xx == 0, output
    assert applied >= 6, "only %d reloads during the load" % applied


def test_reload_under_load_with_new_connections(gateway, backend, wrk):
    # Connection: close makes wrk reconnect for every request, so that accepts happen while the
    # listeners' snapshot is swapped: no connection may be refused.
    output, applied = reload_under_load(
        gateway, backend, [wrk, "-t1", "-c10", "-d6s", "--timeout", "10s", "-H",
                           "Connection: close", gateway.url("/pizzashack/1.0.0/menu")], most=8)
    done, socket_errors, non_2xx = parse_wrk(output)
    assert done > 0, output
    assert socket_errors is None, output
    assert non_2xx == 0, output
    assert applied >= 4, "only %d reloads during the load" % applied


def test_graceful_shutdown_finishes_the_in_flight_request(gateway_factory, held_backend):
    gw = gateway_factory([api(name="Slow", context="/slow", endpoints=[held_backend.url])],
                         shutdown_timeout="10s")
    thread, outcome = in_background(
        lambda: requests.get(gw.url("/slow/1.0.0/hold/x"), timeout=60))
    assert held_backend.arrived.wait(10), "the request never reached the backend"
    gw.process.send_signal(signal.SIGTERM)
    # New connections are refused soon after SIGTERM ...
    assert wait_until(lambda: status(gw, "/slow/1.0.0/echo") is None, timeout=10)
    assert gw.process.poll() is None, "exited with a request in flight"
    held_backend.release.set()
    thread.join(30)
    # ... while the request already in flight completes.
    assert outcome["result"].status_code == 200
    assert outcome["result"].json() == {"path": "/hold/x"}
    assert gw.process.wait(30) == 0, gw.output()


def test_graceful_shutdown_is_bounded(gateway_factory, held_backend):
    gw = gateway_factory([api(name="Slow", context="/slow", endpoints=[held_backend.url])],
                         shutdown_timeout="1s")
    thread, outcome = in_background(
        lambda: requests.get(gw.url("/slow/1.0.0/hold/x"), timeout=60))
    assert held_backend.arrived.wait(10), "the request never reached the backend"
    started = time.monotonic()
    gw.process.send_signal(signal.SIGTERM)
    code = gw.process.wait(30)
    assert time.monotonic() - started < 10
    assert code == 0, gw.output()
    # The request still held at the backend was cut, not answered.
    thread.join(30)
    assert isinstance(outcome.get("error"), requests.ConnectionError), outcome


def test_idle_keep_alive_connections_do_not_delay_shutdown(gateway_factory, backend):
    gw = gateway_factory([api(name="Idle", context="/idle", endpoints=[backend.url])],
                         shutdown_timeout="20s")
    session = requests.Session()
    assert session.get(gw.url("/idle/1.0.0/echo"), timeout=10).status_code == 200
    started = time.monotonic()
    gw.process.send_signal(signal.SIGTERM)
    assert gw.process.wait(30) == 0
    assert time.monotonic() - started < 10, "shutdown waited for an idle connection"
    session.close()

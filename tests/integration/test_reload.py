"""Reload on SIGHUP and on file change, invalid reloads that keep the last good snapshot, no failed
request under load while reloading (wrk), and graceful shutdown on SIGTERM."""

import copy
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


def test_in_flight_request_finishes_across_a_reload(gateway, backend):
    result = {}

    def slow():
        result["response"] = requests.get(gateway.url("/test/1.0.0/delay/2000"), timeout=30)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    gateway.reload(with_extra_api(gateway.config, backend))
    thread.join(30)
    assert result["response"].status_code == 200
    assert result["response"].json() == {"delayed_ms": 2000}


def parse_wrk(output):
    requests_done = int(re.search(r"(\d+) requests in", output).group(1))
    socket_errors = re.search(r"Socket errors: (.*)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return requests_done, socket_errors.group(1) if socket_errors else None, \
        int(non_2xx.group(1)) if non_2xx else 0


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_reload_under_load_fails_no_request(gateway, backend):
    changed = with_extra_api(gateway.config, backend)
    original = copy.deepcopy(gateway.config)
    wrk = subprocess.Popen(["wrk", "-t1", "-c20", "-d8s", "--timeout", "10s",
                            gateway.url("/pizzashack/1.0.0/menu")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1)
    reloads = 0
    while wrk.poll() is None and reloads < 12:
        gateway.reload(changed if reloads % 2 == 0 else original)
        reloads += 1
        time.sleep(0.5)
    output, _ = wrk.communicate(timeout=60)
    assert wrk.returncode == 0, output
    done, socket_errors, non_2xx = parse_wrk(output)
    assert done > 0, output
    assert socket_errors is None, output
    assert non_2xx == 0, output
    assert reloads >= 6
    # The reloads really happened: the last one applied is visible.
    expected = 200 if reloads % 2 == 1 else 404
    assert wait_until(lambda: status(gateway, "/extra/1.0.0/echo") == expected, timeout=15)


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_reload_under_load_with_new_connections(gateway, backend):
    # Connection: close makes wrk reconnect for every request, so that accepts happen while the
    # listeners' snapshot is swapped: no connection may be refused.
    changed = with_extra_api(gateway.config, backend)
    original = copy.deepcopy(gateway.config)
    wrk = subprocess.Popen(["wrk", "-t1", "-c10", "-d6s", "--timeout", "10s", "-H",
                            "Connection: close", gateway.url("/pizzashack/1.0.0/menu")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(1)
    reloads = 0
    while wrk.poll() is None and reloads < 8:
        gateway.reload(changed if reloads % 2 == 0 else original)
        reloads += 1
        time.sleep(0.5)
    output, _ = wrk.communicate(timeout=60)
    done, socket_errors, non_2xx = parse_wrk(output)
    assert done > 0, output
    assert socket_errors is None, output
    assert non_2xx == 0, output


def test_graceful_shutdown_finishes_the_in_flight_request(gateway_factory, backend):
    gw = gateway_factory([api(name="Slow", context="/slow", endpoints=[backend.url])],
                         shutdown_timeout="10s")
    result = {}

    def slow():
        result["response"] = requests.get(gw.url("/slow/1.0.0/delay/2000"), timeout=30)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    gw.process.send_signal(signal.SIGTERM)
    # New connections are refused soon after SIGTERM ...
    assert wait_until(lambda: status(gw, "/slow/1.0.0/echo") is None, timeout=10)
    thread.join(30)
    # ... while the request already in flight completes.
    assert result["response"].status_code == 200
    assert result["response"].json() == {"delayed_ms": 2000}
    assert gw.process.wait(30) == 0, gw.output()


def test_graceful_shutdown_is_bounded(gateway_factory, backend):
    gw = gateway_factory([api(name="Slow", context="/slow", endpoints=[backend.url])],
                         shutdown_timeout="1s")
    thread = threading.Thread(target=status, args=(gw, "/slow/1.0.0/delay/20000"), daemon=True)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    gw.process.send_signal(signal.SIGTERM)
    code = gw.process.wait(30)
    assert time.monotonic() - started < 10
    assert code == 0, gw.output()


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

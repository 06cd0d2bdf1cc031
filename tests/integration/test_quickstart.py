"""`make run` as a user sees it: scripts/run-quickstart starts the demo backend and the gateway and
prints curl lines; each line, run as printed, answers what the text beside it promises, and Ctrl-C
stops everything it started."""

import json
import os
import re
import signal
import socket
import subprocess
import time

import pytest

import harness

SCRIPT = harness.REPO / "scripts" / "run-quickstart"
READY_LINE = "Press Ctrl-C to stop."


class Quickstart:
    """run-quickstart in a process group of its own, as a terminal runs it, on free ports."""

    def __init__(self, workdir, **ports):
        self.workdir = workdir
        self.output_path = workdir / "run-quickstart.out"
        env = dict(os.environ, GATEHOUSE_BIN=harness.GATEHOUSE_BIN, QUICKSTART_WORKDIR=str(workdir),
                   QUICKSTART_HTTP_PORT="0", QUICKSTART_ADMIN_PORT="0",
                   QUICKSTART_BACKEND_PORT="0")
        env.update(ports)
        with open(self.output_path, "wb") as out:
            self.process = subprocess.Popen([str(SCRIPT)], stdout=out, stderr=subprocess.STDOUT,
                                            env=env, start_new_session=True)

    def output(self):
        return self.output_path.read_text(errors="replace")

    def wait_until_ready(self):
        deadline = time.monotonic() + 2 * harness.START_TIMEOUT
        while READY_LINE not in self.output():
            assert self.process.poll() is None, "run-quickstart exited with %s:\n%s" % (
                self.process.returncode, self.output())
            assert time.monotonic() < deadline, "run-quickstart not ready:\n" + self.output()
            time.sleep(0.1)

    def printed(self, pattern):
        """The printed command lines (indented by two spaces) that match `pattern`."""
        return [line.strip() for line in self.output().splitlines()
                if line.startswith("  ") and re.search(pattern, line)]

    def interrupt(self):
        """Ctrl-C: SIGINT to the whole process group; the exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(harness.STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return None


@pytest.fixture
def quickstart(tmp_path):
    run = Quickstart(tmp_path)
    yield run
    if run.process.poll() is None:
        run.interrupt()


def run_curl_line(line, workdir, shell_lines=()):
    """Runs a printed curl line through the shell, as a user pasting it would (after the printed
    `shell_lines`, like API_KEY=...); the status and the body."""
    assert line.startswith("curl "), line
    body_path = workdir / "body"
    script = "\n".join([*shell_lines, line + " -sS -o '%s' -w '%%{http_code}'" % body_path])
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return int(result.stdout), json.loads(body_path.read_text())


def accepts_connections(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def test_the_printed_curl_lines_do_what_the_text_says(quickstart, tmp_path):
    quickstart.wait_until_ready()
    [menu] = quickstart.printed(r"^  curl .*/pizzashack/1\.0\.0/menu$")
    [without_key] = quickstart.printed(
        r"^  curl (?!.*(apikey|Authorization)).*/pizzashack/1\.0\.0/order$")
    [with_key] = quickstart.printed(r"^  curl .*apikey: \$API_KEY.*/pizzashack/1\.0\.0/order$")
    [key_line] = quickstart.printed(r"^  API_KEY=\S+$")
    [admin] = quickstart.printed(r"^  curl .*/api-keys/PRODUCTION/generate$")

    status, body = run_curl_line(menu, tmp_path)
    assert status == 200
    assert "Chicken Parmesan" in [pizza["name"] for pizza in body]

    status, body = run_curl_line(without_key, tmp_path)
    assert (status, body["code"]) == (401, 900902), body

    status, body = run_curl_line(with_key, tmp_path, [key_line])
    assert status == 201, body
    assert body["pizza"] == "Margherita" and body["id"]

    # The admin listener issues another key, which orders with the same printed line.
    status, body = run_curl_line(admin, tmp_path)
    assert status == 200, body
    status, body = run_curl_line(with_key, tmp_path, ["API_KEY=" + body["apikey"]])
    assert status == 201, body


def test_the_printed_oauth2_lines_get_a_token_that_orders(quickstart, tmp_path):
    quickstart.wait_until_ready()
    credentials = [quickstart.printed(r"^  CONSUMER_KEY=\S+$")[0],
                   quickstart.printed(r"^  CONSUMER_SECRET=\S+$")[0]]
    [token_request] = quickstart.printed(r"^  curl -u .*/oauth2/token$")
    [token_line] = quickstart.printed(r"^  TOKEN=\$\(curl .*/oauth2/token \| python3 .*\)$")
    [with_token] = quickstart.printed(
        r'^  curl -H "Authorization: Bearer \$TOKEN".*/pizzashack/1\.0\.0/order$')
    [discovery] = quickstart.printed(r"^  curl .*/\.well-known/openid-configuration$")

    status, body = run_curl_line(token_request, tmp_path, credentials)
    assert status == 200, body
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["access_token"]

    status, body = run_curl_line(with_token, tmp_path, credentials + [token_line])
    assert status == 201, body
    assert body["pizza"] == "Margherita"
    # The order was admitted by the token: without one, the same line is refused.
    status, body = run_curl_line(with_token, tmp_path, ["TOKEN=not-a-token"])
    assert (status, body["code"]) == (401, 900901), body

    status, body = run_curl_line(discovery, tmp_path)
    assert status == 200, body
    assert body["issuer"] == "http://127.0.0.1:8280"
    assert "client_credentials" in body["grant_types_supported"]


def test_a_second_run_in_the_same_place_makes_the_consumer_key_again(tmp_path):
    first = Quickstart(tmp_path)
    first.wait_until_ready()
    [first_key] = first.printed(r"^  CONSUMER_KEY=\S+$")
    assert first.interrupt() == 0, first.output()

    second = Quickstart(tmp_path)
    try:
        second.wait_until_ready()
        [second_key] = second.printed(r"^  CONSUMER_KEY=\S+$")
        assert second_key != first_key
    finally:
        if second.process.poll() is None:
            second.interrupt()


def test_ctrl_c_stops_the_gateway_and_the_backend(quickstart):
    quickstart.wait_until_ready()
    ports = json.loads((quickstart.workdir / "ports.json").read_text())
    gateway_ports = [harness.port_of(ports["listeners"]["http"]), harness.port_of(ports["admin"])]
    backend_port = int(re.search(r"listening on http://127\.0\.0\.1:(\d+)",
                                 (quickstart.workdir / "backend.out").read_text()).group(1))
    assert all(accepts_connections(port) for port in gateway_ports + [backend_port])

    assert quickstart.interrupt() == 0, quickstart.output()
    assert "run-quickstart: stopping" in quickstart.output()
    with pytest.raises(ProcessLookupError):
        os.killpg(quickstart.process.pid, 0)  # nothing of the group is left
    assert not any(accepts_connections(port) for port in gateway_ports + [backend_port])


def test_a_port_in_use_is_refused_before_anything_starts(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = Quickstart(tmp_path, QUICKSTART_HTTP_PORT=str(port))
        assert run.process.wait(harness.START_TIMEOUT) == 1
    assert "port %d on 127.0.0.1 is already in use" % port in run.output()
    assert not (tmp_path / "backend.out").exists()

"""Limits on what a client may send, each with its status: 431, 414, 413, 408, and the idle
keep-alive close."""

import signal
import socket
import time

import pytest
import requests

import rawhttp
from harness import echo_api, passthrough_api

LIMITS = {
    "max_header_bytes": 4096,
    "max_headers": 20,
    "max_uri_length": 512,
    "header_timeout": "1s",
    "body_timeout": "1s",
    "keepalive_timeout": "2s",
}


@pytest.fixture
def limited(gateway_factory, backend):
    return gateway_factory(
        [echo_api(backend.url),
         passthrough_api(backend.url, max_body_size="1KiB"),
         echo_api(backend.url, name="Roomy", context="/roomy")],
        limits=dict(LIMITS, max_body_size="64KiB"))


def assert_error(response, status):
    assert response.status == status, response
    assert response.json()["code"] == status


def test_headers_within_the_limits_pass(limited):
    with rawhttp.connect(limited.port) as conn:
        conn.request("GET", "/echo/1.0.0/ok", [("X-Pad", "a" * 3000)] +
                     [("X-H%d" % i, "v") for i in range(15)])
        response = conn.read_response()
    assert response.status == 200
    assert response.json()["headers"]["x-pad"] == "a" * 3000


def test_too_many_header_bytes_is_431(limited):
    with rawhttp.connect(limited.port) as conn:
        conn.request("GET", "/echo/1.0.0/big", [("X-Pad", "a" * 5000)])
        assert_error(conn.read_response(), 431)


def test_too_many_header_bytes_spread_over_many_lines_is_431(limited):
    with rawhttp.connect(limited.port) as conn:
        conn.request("GET", "/echo/1.0.0/big", [("X-P%d" % i, "b" * 400) for i in range(15)])
        assert_error(conn.read_response(), 431)


def test_too_many_headers_is_431(limited):
    with rawhttp.connect(limited.port) as conn:
        conn.request("GET", "/echo/1.0.0/many", [("X-H%d" % i, "v") for i in range(30)])
        assert_error(conn.read_response(), 431)


def test_long_uri_is_414(limited):
    with rawhttp.connect(limited.port) as conn:
        conn.request("GET", "/echo/1.0.0/" + "u" * 600)
        assert_error(conn.read_response(), 414)


def test_uri_just_under_the_limit_passes(limited):
    path = "/echo/1.0.0/" + "u" * 400
    response = requests.get(limited.url(path), timeout=10)
    assert response.status_code == 200
    assert response.json()["path"] == "/echo/" + "u" * 400


def test_body_over_the_api_limit_is_413(limited):
    response = requests.post(limited.url("/test/1.0.0/upload"), data=b"x" * 2000, timeout=10)
    assert response.status_code == 413
    assert response.json()["code"] == 413


def test_body_under_the_api_limit_passes(limited):
    response = requests.post(limited.url("/test/1.0.0/upload"), data=b"x" * 1000, timeout=10)
    assert response.status_code == 200
    assert response.json()["bytes"] == 1000


def test_chunked_body_over_the_api_limit_is_413(limited):
    def pieces():
        for _ in range(10):
            yield b"y" * 300

    response = requests.post(limited.url("/test/1.0.0/upload"), data=pieces(), timeout=10)
    assert response.status_code == 413
    assert response.json()["code"] == 413


def test_refused_body_still_arriving_does_not_reset_the_answer(limited):
    # The 413 goes out before the client has sent its body. The gateway must read and discard
    # what still arrives instead of closing on it: a close with unread bytes resets the
    # connection, and the reset can destroy the 413 before the client reads it.
    with rawhttp.connect(limited.port) as conn:
        conn.send(b"POST /test/1.0.0/upload HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 1048576\r\n\r\n")
        time.sleep(0.3)  # the answer is written and the connection closing meanwhile
        for _ in range(16):  # each send fails if the gateway reset the connection
            conn.send(b"b" * 64 * 1024)
            time.sleep(0.02)
        assert_error(conn.read_response(), 413)
        assert conn.closed_by_peer(within=5)


def test_global_body_limit_applies_to_apis_without_their_own(limited):
    ok = requests.post(limited.url("/roomy/1.0.0/x"), data=b"z" * 60000, timeout=10)
    assert ok.status_code == 200
    too_big = requests.post(limited.url("/roomy/1.0.0/x"), data=b"z" * 70000, timeout=10)
    assert too_big.status_code == 413


def test_api_limit_is_per_api(limited):
    # 2000 bytes: over the Test API's 1 KiB, under the global 64 KiB that Echo gets.
    response = requests.post(limited.url("/echo/1.0.0/x"), data=b"x" * 2000, timeout=10)
    assert response.status_code == 200


def test_slow_request_head_is_408_and_closed(limited):
    with rawhttp.connect(limited.port, timeout=20) as conn:
        conn.send(b"GET /echo/1.0.0/slow HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        assert_error(conn.read_response(), 408)
        assert time.monotonic() - started < 15
        assert conn.closed_by_peer(within=10)


def test_trickled_request_head_still_times_out(limited):
    # One byte at a time, each well inside any per-read timeout: the head as a whole must
    # arrive within header_timeout (the slowloris defence).
    with rawhttp.connect(limited.port, timeout=20) as conn:
        conn.send(b"GET /echo/1.0.0/slow HTTP/1.1\r\nHost: x\r\n")
        deadline = time.monotonic() + 6
        try:
            while time.monotonic() < deadline:
                conn.send(b"X")
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = conn.read_response()
        assert_error(response, 408)


def test_stalled_request_body_is_408(limited):
    with rawhttp.connect(limited.port, timeout=20) as conn:
        conn.send(b"POST /echo/1.0.0/stall HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                  b"only part")
        assert_error(conn.read_response(), 408)
        assert conn.closed_by_peer(within=10)


def test_idle_keep_alive_connection_is_closed(limited):
    with rawhttp.connect(limited.port, timeout=20) as conn:
        conn.request("GET", "/echo/1.0.0/first")
        assert conn.read_response().status == 200
        time.sleep(0.5)  # well within keepalive_timeout: still usable
        conn.request("GET", "/echo/1.0.0/second")
        assert conn.read_response().status == 200
        assert conn.closed_by_peer(within=15), "idle connection kept past keepalive_timeout"


def test_idle_connection_without_any_request_is_closed(limited):
    with rawhttp.connect(limited.port, timeout=20) as conn:
        # Nothing sent at all: the header timeout ends it, silently (as nginx does); a 408
        # answers a request head that began and did not finish (tests above), not a silence.
        conn.sock.settimeout(15)
        data = b""
        try:
            while True:
                piece = conn.sock.recv(4096)
                if not piece:
                    break
                data += piece
        except socket.timeout:
            pytest.fail("connection without a request still open after 15 s")
        except ConnectionResetError:
            pass
        assert data == b""


# More idle keep-alive connections than a worker lets keep their buffers (256, in
# client_session.cpp): the rest hand them back and wait for their next request with no coroutine.
MANY_IDLE = 300


def request_on_each(connections, step):
    for i, conn in enumerate(connections):
        conn.request("GET", "/echo/1.0.0/%s/%d" % (step, i))
    for i, conn in enumerate(connections):
        response = conn.read_response()
        assert response.status == 200, response
        assert response.json()["path"] == "/echo/%s/%d" % (step, i)


@pytest.fixture
def many_idle(gateway_factory, backend):
    gw = gateway_factory([echo_api(backend.url)], workers=1,
                         limits=dict(LIMITS, keepalive_timeout="5s"))
    connections = [rawhttp.connect(gw.port, timeout=20) for _ in range(MANY_IDLE)]
    request_on_each(connections, "first")
    yield gw, connections
    for conn in connections:
        conn.close()


def test_many_idle_connections_serve_their_next_requests(many_idle):
    _, connections = many_idle
    request_on_each(connections, "second")
    request_on_each(connections, "third")


def test_many_idle_connections_are_closed_after_the_keep_alive_timeout(many_idle):
    _, connections = many_idle
    for conn in connections:
        assert conn.closed_by_peer(within=15), "idle connection kept past keepalive_timeout"


def test_many_idle_connections_do_not_delay_shutdown(many_idle):
    gw, connections = many_idle
    started = time.monotonic()
    gw.process.send_signal(signal.SIGTERM)
    assert gw.process.wait(30) == 0, gw.output()
    assert time.monotonic() - started < 4, "shutdown waited for the keep-alive timeout"
    for conn in connections:
        assert conn.closed_by_peer(within=1)

"""HTTP/1.1 semantics through the gateway (RFC 9110/9112): keep-alive, pipelining, chunked bodies
both ways with trailers, Expect: 100-continue, HEAD, bodiless statuses, Connection: close.

Tests about the gateway's framing take `framed` (framing_backends.py) and run against the Python
demo backend and against nginx."""

import hashlib
import json
import subprocess
import time

import requests

import rawhttp
from framing_backends import pattern


def test_pizzashack_menu_through_the_gateway(gateway):
    response = requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert any(p["name"] == "Spicy Italian" for p in response.json())


def test_order_round_trip(gateway):
    placed = requests.post(gateway.url("/pizzashack/1.0.0/order"),
                           json={"pizza": "Tuscan Six Cheese", "qty": 2}, timeout=10)
    assert placed.status_code == 201
    order = placed.json()
    assert order["pizza"] == "Tuscan Six Cheese"
    fetched = requests.get(gateway.url("/pizzashack/1.0.0/order/" + order["id"]), timeout=10)
    assert fetched.status_code == 200
    assert fetched.json() == order


def test_keep_alive_serves_many_requests_on_one_connection(framed):
    backend_connections = set()
    with rawhttp.connect(framed.gateway.port) as conn:
        for i in range(5):
            conn.request("GET", framed.echo("n%d" % i))
            response = conn.read_response()
            assert response.status == 200
            assert framed.echoed_path(response.json()) == "/echo/n%d" % i
            backend_connections.add(framed.backend_connection(response.json()))
        assert not conn.closed_by_peer(within=0.5)
    # One client connection, served over one kept-alive backend connection.
    assert len(backend_connections) == 1, backend_connections


def test_curl_reuses_the_connection(framed):
    url = framed.gateway.url(framed.sized(1000))
    result = subprocess.run(["curl", "-sv", "-o", "/dev/null", "-o", "/dev/null", url, url],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Re-using existing connection" in result.stderr, result.stderr


def upload_request(framed, body, chunks=None, headers=b""):
    """(target, bytes of one upload request): framed by Content-Length, or chunked into `chunks`
    (each a (size line suffix, data) pair, e.g. (b";ext=1", b"abc"))."""
    method, target = framed.upload_target()
    head = b"%s %s HTTP/1.1\r\nHost: x\r\n%s" % (method.encode(), target.encode(), headers)
    if chunks is None:
        return target, head + b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    framed_chunks = b"".join(b"%x%s\r\n%s\r\n" % (len(data), ext, data) for ext, data in chunks)
    return target, head + b"Transfer-Encoding: chunked\r\n\r\n" + framed_chunks + b"0\r\n\r\n"


def assert_uploaded(framed, response, target, body):
    assert framed.uploaded(response.status, response.body, target) == (
        len(body), hashlib.sha256(body).hexdigest())


def test_pipelined_requests_are_answered_in_order(gateway):
    # The first request is the slowest: a gateway that answers as responses come in, instead of
    # in request order, puts the fast ones first.
    pipeline = b"".join(
        b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path
        for path in (b"/test/1.0.0/delay/400", b"/echo/1.0.0/second", b"/test/1.0.0/delay/1",
                     b"/echo/1.0.0/fourth"))
    with rawhttp.connect(gateway.port) as conn:
        conn.send(pipeline)
        first, second, third, fourth = (conn.read_response() for _ in range(4))
    assert first.json() == {"delayed_ms": 400}
    assert second.json()["path"] == "/echo/second"
    assert third.json() == {"delayed_ms": 1}
    assert fourth.json()["path"] == "/echo/fourth"


def test_pipelined_requests_with_bodies(gateway):
    first = b"POST /echo/1.0.0/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
    second = (b"POST /echo/1.0.0/b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
    with rawhttp.connect(gateway.port) as conn:
        conn.send(first + second)
        a, b = conn.read_response(), conn.read_response()
    assert (a.json()["path"], a.json()["body"]) == ("/echo/a", "hello")
    assert (b.json()["path"], b.json()["body"]) == ("/echo/b", "abcde")


def test_pipelined_uploads_and_downloads_keep_their_order_and_bytes(framed):
    first, upload_cl = upload_request(framed, b"hello")
    second, upload_chunked = upload_request(framed, b"abcde", chunks=[(b"", b"abc"), (b"", b"de")])
    download = b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % framed.sized(70000).encode()
    head = b"HEAD %s HTTP/1.1\r\nHost: x\r\n\r\n" % framed.sized(12345).encode()
    echo = b"GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % framed.echo("last").encode()
    with rawhttp.connect(framed.gateway.port) as conn:
        conn.send(upload_cl + download + upload_chunked + head + echo)
        responses = [conn.read_response(method=m)
                     for m in ("PUT", "GET", "PUT", "HEAD", "GET")]
    assert_uploaded(framed, responses[0], first, b"hello")
    assert (responses[1].status, responses[1].body) == (200, pattern(70000))
    assert_uploaded(framed, responses[2], second, b"abcde")
    assert (responses[3].status, responses[3].header("Content-Length")) == (200, "12345")
    assert framed.echoed_path(responses[4].json()) == "/echo/last"


def test_chunked_request_body_reaches_the_backend(framed):
    body = b"hello world!"
    target, request = upload_request(framed, body,
                                     chunks=[(b"", b"hello"), (b";ext=1", b" "), (b"", b"world!")])
    with rawhttp.connect(framed.gateway.port) as conn:
        conn.send(request)
        response = conn.read_response()
    assert_uploaded(framed, response, target, body)


def test_request_trailers_are_forwarded(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.send(b"POST /echo/1.0.0/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                  b"Trailer: X-Sum\r\n\r\n"
                  b"3\r\nabc\r\n0\r\nX-Sum: 42\r\n\r\n")
        response = conn.read_response()
    assert response.status == 200
    echoed = response.json()
    assert echoed["body"] == "abc"
    assert ["X-Sum", "42"] in echoed["trailers"]


def test_chunked_response_with_trailers_reaches_the_client(framed):
    path, expected, trailer = framed.chunked()
    with rawhttp.connect(framed.gateway.port) as conn:
        conn.request("GET", path, [("TE", "trailers")])
        response = conn.read_response()
        assert response.status == 200
        assert response.header("Transfer-Encoding") == "chunked"
        assert response.body == expected
        assert trailer in response.trailers
        # The connection goes on after the last chunk and the trailer section.
        conn.request("GET", framed.sized(10))
        assert conn.read_response().body == pattern(10)


def test_chunked_response_body_is_intact_for_curl(gateway):
    result = subprocess.run(["curl", "-sf", gateway.url("/test/1.0.0/chunked?chunks=50&size=1000")],
                            capture_output=True, timeout=30)
    assert result.returncode == 0
    assert result.stdout == b"".join(bytes([ord("a") + i % 26]) * 1000 for i in range(50))


def test_content_length_response_is_intact_for_curl(framed):
    result = subprocess.run(["curl", "-sf", framed.gateway.url(framed.sized(3 << 20))],
                            capture_output=True, timeout=30)
    assert result.returncode == 0
    assert result.stdout == pattern(3 << 20)


def test_expect_100_continue_gets_an_interim_response_before_the_body(framed):
    body = b"x" * 10000
    method, target = framed.upload_target()
    with rawhttp.connect(framed.gateway.port) as conn:
        conn.send(b"%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                  b"Expect: 100-continue\r\n\r\n" % (method.encode(), target.encode(), len(body)))
        status, _, _ = conn.read_head()
        assert status == 100
        conn.send(body)
        response = conn.read_response()
    assert_uploaded(framed, response, target, body)


def test_expect_100_continue_refused_request_gets_final_status_without_100(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.send(b"POST /no/such/api HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                  b"Expect: 100-continue\r\n\r\n")
        status, _, _ = conn.read_head()
    assert status == 404


def test_curl_expect_100_continue_upload(framed, tmp_path):
    payload = tmp_path / "payload.bin"
    payload.write_bytes(bytes(range(256)) * 8192)  # 2 MiB
    method, target = framed.upload_target()
    result = subprocess.run(["curl", "-s", "-X", method, "-H", "Expect: 100-continue",
                             "--data-binary", "@%s" % payload, "-w", "\n%{http_code}",
                             framed.gateway.url(target)],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    body, _, status = result.stdout.rpartition(b"\n")
    assert framed.uploaded(int(status), body, target) == (
        2 * 1024 * 1024, hashlib.sha256(payload.read_bytes()).hexdigest())


def test_head_has_headers_but_no_body(framed):
    with rawhttp.connect(framed.gateway.port) as conn:
        conn.request("HEAD", framed.sized(12345))
        head = conn.read_response(method="HEAD")
        assert head.status == 200
        assert head.header("Content-Length") == "12345"
        # The next response starts right away: no body bytes were sent after the HEAD response.
        conn.request("GET", framed.sized(10))
        after = conn.read_response()
    assert after.status == 200
    assert after.body == pattern(10)


def test_204_and_304_have_no_body(framed):
    not_modified, conditions = framed.not_modified()
    with rawhttp.connect(framed.gateway.port) as conn:
        for code, path, headers in ((204, framed.no_content(), []),
                                    (304, not_modified, conditions)):
            conn.request("GET", path, headers)
            response = conn.read_response()
            assert response.status == code
            assert response.header("Content-Length") in (None, "0")
            assert response.header("Transfer-Encoding") is None
        conn.request("GET", framed.echo("after"))
        assert framed.echoed_path(conn.read_response().json()) == "/echo/after"


def test_backend_error_status_passes_through(gateway):
    response = requests.get(gateway.url("/test/1.0.0/status/418"), timeout=10)
    assert response.status_code == 418
    assert response.json() == {"status": 418}


def test_connection_close_from_client_closes_after_the_response(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/pizzashack/1.0.0/menu", [("Connection", "close")])
        response = conn.read_response()
        assert response.status == 200
        assert response.header("Connection", "").lower() == "close"
        assert conn.closed_by_peer(within=5)


def test_http10_client_without_keep_alive_is_closed(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.send(b"GET /pizzashack/1.0.0/menu HTTP/1.0\r\nHost: x\r\n\r\n")
        response = conn.read_response()
        assert response.status == 200
        assert json.loads(response.body)
        assert conn.closed_by_peer(within=5)


def test_close_delimited_backend_response_reaches_the_client_whole(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.request("GET", "/test/1.0.0/close")
        response = conn.read_response()
        assert response.status == 200
        assert response.body == b"delimited by close\n" * 100


def test_many_sequential_requests_on_keep_alive_session(gateway):
    with requests.Session() as session:
        for i in range(50):
            response = session.post(gateway.url("/echo/1.0.0/seq"), data=str(i), timeout=10)
            assert response.status_code == 200
            assert response.json()["body"] == str(i)


def test_gateway_keeps_serving_after_a_client_disconnects_mid_request(gateway):
    conn = rawhttp.connect(gateway.port)
    conn.send(b"POST /test/1.0.0/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc")
    conn.close()
    conn = rawhttp.connect(gateway.port)
    conn.request("GET", "/test/1.0.0/delay/500")
    conn.close()
    time.sleep(0.6)
    assert requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10).status_code == 200


def test_an_answer_of_the_gateway_to_an_empty_body_keeps_the_connection(gateway):
    # Content-Length: 0 is what many clients send on an OPTIONS or an empty POST: nothing is
    # left unread, so a refusal need not close the connection.
    with rawhttp.connect(gateway.port) as conn:
        for _ in range(2):
            conn.request("POST", "/no/such/api", [("Content-Length", "0")])
            refused = conn.read_response()
            assert refused.status == 404
            assert refused.header("Connection") is None
        conn.request("GET", "/echo/1.0.0/after")
        assert conn.read_response().json()["path"] == "/echo/after"
        assert not conn.closed_by_peer(within=0.5)

"""The request-body phase, through the json_threat_protection policy: a body a policy needs is
read whole (Content-Length or chunked, with 100-continue), checked, and forwarded with its
length; bounds answer 400 and 413 without the backend; callers refused by authentication are
refused before their body is read; and bodies of chains without such a policy still stream."""

import json
import shutil
import socket
import subprocess

import pytest
import requests

from harness import api


def bcrypt_hash(user, password):
    if shutil.which("htpasswd") is None:
        pytest.fail("the htpasswd command line tool is required")
    line = subprocess.run(["htpasswd", "-nbB", user, password], capture_output=True,
                          check=True).stdout.decode().strip()
    return line[len(user) + 1:]


@pytest.fixture
def guarded(gateway_factory, backend):
    threat = {"type": "json_threat_protection", "max_depth": 3, "max_properties": 4}
    return gateway_factory([
        api(name="Orders", context="/orders", endpoints=[backend.url], policies=[threat],
            resources=[{"method": "POST", "path": "/echo"}]),
        api(name="Secured", context="/secured", endpoints=[backend.url],
            security={"schemes": ["basic_auth"]}, policies=[threat],
            resources=[{"method": "POST", "path": "/echo"}]),
        api(name="Plain", context="/plain", endpoints=[backend.url],
            resources=[{"method": "POST", "path": "/upload"}]),
    ], limits={"max_buffered_body_size": "4KiB"},
        users=[{"name": "ann", "password_hash": bcrypt_hash("ann", "ann-pw")}])


def post_json(gateway, path, body, **options):
    return requests.post(gateway.url(path), data=body, timeout=10,
                         headers={"Content-Type": "application/json", **options.pop("headers", {})},
                         **options)


def test_a_body_within_the_bounds_reaches_the_backend_whole_with_its_length(guarded):
    body = json.dumps({"pizza": "margherita", "extras": [["basil"], ["olive oil"]]})
    response = post_json(guarded, "/orders/1.0.0/echo", body)
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["body"] == body
    assert seen["headers"]["content-length"] == str(len(body))


def test_a_chunked_body_is_forwarded_de_chunked_with_its_length(guarded):
    pieces = [b'{"pizza": ', b'"marinara", ', b'"size": "L"}']
    response = post_json(guarded, "/orders/1.0.0/echo", iter(pieces))
    assert response.status_code == 200, response.text
    seen = response.json()
    assert seen["body"] == b"".join(pieces).decode()
    assert seen["headers"]["content-length"] == str(sum(len(p) for p in pieces))
    assert "transfer-encoding" not in seen["headers"]


def test_a_body_beyond_the_bounds_is_refused_before_the_backend(guarded):
    response = post_json(guarded, "/orders/1.0.0/echo", "[[[[1]]]]")
    assert response.status_code == 400
    assert "X-Backend" not in response.headers
    assert "nests deeper than 3" in response.json()["description"]
    response = post_json(guarded, "/orders/1.0.0/echo", '{"a":1,"b":2,"c":3,"d":4,"e":5}')
    assert response.status_code == 400
    assert "more than 4 properties" in response.json()["description"]


def test_a_body_larger_than_the_buffer_bound_is_413(guarded):
    body = json.dumps({"note": "x" * 5000})
    response = post_json(guarded, "/orders/1.0.0/echo", body)
    assert response.status_code == 413
    assert "X-Backend" not in response.headers
    # A streamed body is bounded only by max_body_size: the same size passes where no policy
    # reads it.
    streamed = requests.post(guarded.url("/plain/1.0.0/upload"), data=body, timeout=10)
    assert streamed.status_code == 200
    assert streamed.json()["bytes"] == len(body)


def test_expect_100_continue_is_answered_before_the_body_is_read(guarded):
    body = b'{"pizza": "diavola"}'
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as client:
        client.sendall(b"POST /orders/1.0.0/echo HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body))
        interim = client.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        client.sendall(body)
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
            chunk = client.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b'"body": "{\\"pizza\\": \\"diavola\\"}"' in answer


def test_an_unauthenticated_caller_is_refused_before_its_body_is_read(guarded):
    # The body never comes: were it read before authentication, this would wait for it.
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as client:
        client.sendall(b"POST /secured/1.0.0/echo HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n")
        answer = client.recv(4096)
    assert answer.startswith(b"HTTP/1.1 401 ")
    allowed = post_json(guarded, "/secured/1.0.0/echo", '{"ok": true}', auth=("ann", "ann-pw"))
    assert allowed.status_code == 200
    refused = post_json(guarded, "/secured/1.0.0/echo", "[[[[1]]]]", auth=("ann", "ann-pw"))
    assert refused.status_code == 400


def test_a_declared_length_beyond_the_bound_is_refused_without_inviting_the_body(guarded):
    with socket.create_connection(("127.0.0.1", guarded.port), timeout=10) as client:
        client.sendall(b"POST /orders/1.0.0/echo HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                       b"Content-Length: 5000\r\n\r\n")
        answer = client.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 ")

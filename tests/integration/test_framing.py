"""Request smuggling and malformed messages (RFC 9112): each must get 400 and a closed connection,
and must never reach the backend as a second request."""

import pytest
import requests

import rawhttp

TARGET = b"/echo/1.0.0/framing"

ATTACKS = {
    "content-length and transfer-encoding":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"0\r\n\r\n",
    "transfer-encoding and content-length":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        b"0\r\n\r\n",
    "two different content-lengths":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "duplicate content-length":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
    "content-length list":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello!",
    "content-length not a number":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    "negative content-length":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "content-length with plus sign":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
    "content-length overflow":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    "content-length hex":
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\nhello",
    "chunk size not hex":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "negative chunk size":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
    "chunk size overflow":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"10000000000000000000005\r\nhello\r\n0\r\n\r\n",
    "chunk size with 0x prefix":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
    "chunk data longer than its size":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
    "chunked not the final encoding":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    "unknown transfer-encoding":
        b"POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    "obs-fold":
        b"GET %s HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
    "obs-fold with tab":
        b"GET %s HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n\tb\r\n\r\n",
    "NUL in header value":
        b"GET %s HTTP/1.1\r\nHost: x\r\nX-Nul: a\x00b\r\n\r\n",
    "bare CR in header value":
        b"GET %s HTTP/1.1\r\nHost: x\r\nX-Cr: a\rb\r\n\r\n",
    "bare CR ending a header":
        b"GET %s HTTP/1.1\r\nHost: x\r\nX-Cr: a\r\rX-Other: b\r\n\r\n",
    "NUL in header name":
        b"GET %s HTTP/1.1\r\nHost: x\r\nX-N\x00ul: a\r\n\r\n",
    "space before colon":
        b"GET %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "header without colon":
        b"GET %s HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n",
    "empty header name":
        b"GET %s HTTP/1.1\r\nHost: x\r\n: value\r\n\r\n",
    "missing host":
        b"GET %s HTTP/1.1\r\nX-A: b\r\n\r\n",
    "two hosts":
        b"GET %s HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "invalid method token":
        b"G(E)T %s HTTP/1.1\r\nHost: x\r\n\r\n",
    "control character in method":
        b"GE\x01T %s HTTP/1.1\r\nHost: x\r\n\r\n",
    "target not origin form":
        b"GET echo/1.0.0/framing HTTP/1.1\r\nHost: x\r\n\r\n",
    "space inside target":
        b"GET %s/a b HTTP/1.1\r\nHost: x\r\n\r\n",
    "control character in target":
        b"GET %s/a\x7fb HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in target":
        b"GET %s/a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad version":
        b"GET %s HTTP/1.x\r\nHost: x\r\n\r\n",
    "lower-case version":
        b"GET %s http/1.1\r\nHost: x\r\n\r\n",
    "extra field in request line":
        b"GET %s HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    "whitespace before the first header":
        b"GET %s HTTP/1.1\r\n Host: x\r\n\r\n",
}


def send_attack(port, raw):
    payload = raw % TARGET if b"%s" in raw else raw
    conn = rawhttp.connect(port)
    conn.send(payload)
    return conn


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_gets_400_and_the_connection_closed(gateway, name):
    with send_attack(gateway.port, ATTACKS[name]) as conn:
        response = conn.read_response()
        assert response.status == 400, response
        assert response.json()["code"] == 400
        assert conn.closed_by_peer(within=10), "connection left open after a framing error"


# Heads refused with a status other than 400. A refused head is not consumed: answering it and
# reading on would parse the same bytes again and answer them again, without end.
REFUSED_HEADS = {
    "unknown expectation": (b"GET %s HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n", 417),
    "empty expectation": (b"GET %s HTTP/1.1\r\nHost: x\r\nExpect:\r\n\r\n", 417),
    "expectation on a body": (b"POST %s HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n"
                              b"Content-Length: 5\r\n\r\nhello", 417),
    "unsupported transfer coding": (b"POST %s HTTP/1.1\r\nHost: x\r\n"
                                    b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
    "CONNECT": (b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
    "HTTP/1.2": (b"GET %s HTTP/1.2\r\nHost: x\r\n\r\n", 505),
    "target too long": (b"GET %s/" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "head too large": (b"GET %s HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17000 + b"\r\n\r\n",
                       431),
}


@pytest.mark.parametrize("name", sorted(REFUSED_HEADS))
def test_a_refused_head_gets_one_answer_and_the_connection_closes(gateway, name):
    raw, status = REFUSED_HEADS[name]
    with send_attack(gateway.port, raw) as conn:
        response = conn.read_response()
        assert response.status == status, response
        # closed_by_peer also fails on any byte after the first answer (a second answer).
        assert conn.closed_by_peer(within=10), "connection left open after a refused head"
    logged = gateway.wait_for_access_log(lambda e: e.get("status") == status, timeout=2)
    assert len(logged) == 1, logged


def test_smuggled_request_never_reaches_the_backend(gateway):
    # Classic CL.TE: a front end that trusts Content-Length forwards "G..." as the start of a
    # second request; the gateway must refuse the whole message instead.
    smuggle = (b"POST /echo/1.0.0/front HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
               b"GET /echo/1.0.0/smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
    with rawhttp.connect(gateway.port) as conn:
        conn.send(smuggle)
        response = conn.read_response()
        assert response.status == 400
        assert conn.closed_by_peer(within=10)
    logged = gateway.wait_for_access_log(lambda e: "smuggled" in e.get("path", ""), timeout=2)
    assert logged == []


def test_gateway_still_serves_after_attacks(gateway):
    for raw in ATTACKS.values():
        send_attack(gateway.port, raw).close()
    assert requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10).status_code == 200


def test_garbage_instead_of_a_request_line(gateway):
    with rawhttp.connect(gateway.port) as conn:
        conn.send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(64)) + b"\r\n\r\n")
        try:
            response = conn.read_response()
        except ConnectionError:
            return  # closing without an answer is acceptable for non-HTTP bytes
        assert response.status == 400
        assert conn.closed_by_peer(within=10)

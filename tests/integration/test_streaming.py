"""Bodies stream through in both directions with bounded memory: 1 GiB each way with the gateway's
RSS staying under 64 MiB above idle, and back-pressure when one side is slower than the other.
Every body is checked whole, by its SHA-256. Tests that take `framed` (framing_backends.py) run
against the Python demo backend and against nginx."""

import hashlib
import os
import threading
import time

import pytest
import requests

import rawhttp
from framing_backends import PythonFramed, pattern, pattern_digest

GIB = 1 << 30
RSS_BUDGET_KIB = 64 * 1024
BLOCK = os.urandom(1 << 20)


class RssWatch:
    """Samples the gateway's VmRSS in the background; `peak_growth_kib` is over the idle value."""

    def __init__(self, gateway):
        self.gateway = gateway
        self.idle = gateway.rss_kib()
        self.peak = self.idle
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while self.running:
            try:
                self.peak = max(self.peak, self.gateway.rss_kib())
            except (FileNotFoundError, ProcessLookupError):
                return
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @property
    def peak_growth_kib(self):
        return self.peak - self.idle


def warm(framed):
    """A few ordinary requests first, so that "idle" includes the pools and buffers every running
    gateway has."""
    with requests.Session() as session:
        for _ in range(20):
            method, target = framed.upload_target()
            session.request(method, framed.gateway.url(target), data=BLOCK[:65536], timeout=10)
            session.get(framed.gateway.url(framed.sized(65536)), timeout=10)
    return framed


@pytest.fixture
def warm_gateway(gateway):
    return warm(PythonFramed(gateway)).gateway


def download(gateway, path, total, pause_after=None, pause_seconds=0.0):
    """Reads `path` (a body of pattern(total)) as it streams, and checks its length and digest."""
    with rawhttp.connect(gateway.port, timeout=60) as conn:
        conn.request("GET", path)
        status, _, headers = conn.read_head()
        assert status == 200
        assert dict((k.lower(), v) for k, v in headers)["content-length"] == str(total)
        digest = hashlib.sha256(conn.buffer)
        received = len(conn.buffer)
        conn.buffer = b""
        assert received <= total
        buffer = bytearray(1 << 20)
        view = memoryview(buffer)
        paused = pause_after is None
        while received < total:
            if not paused and received >= pause_after:
                time.sleep(pause_seconds)  # the backend keeps sending; someone must push back
                paused = True
            n = conn.sock.recv_into(buffer, min(len(buffer), total - received))
            assert n > 0, "connection closed after %d of %d bytes" % (received, total)
            digest.update(view[:n])
            received += n
    assert received == total
    assert digest.hexdigest() == pattern_digest(total), "the body differs from what was sent"


def upload(framed, total, chunked=False, method=None, target=None):
    if method is None:
        method, target = framed.upload_target()
    digest = hashlib.sha256()
    with rawhttp.connect(framed.gateway.port, timeout=120) as conn:
        framing = "Transfer-Encoding: chunked" if chunked else "Content-Length: %d" % total
        conn.send(("%s %s HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n" % (method, target, framing)).encode())
        sent = 0
        while sent < total:
            piece = BLOCK[:min(len(BLOCK), total - sent)]
            digest.update(piece)
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked:
            conn.send(b"0\r\n\r\n")
        response = conn.read_response()
    assert framed.uploaded(response.status, response.body, target) == (total, digest.hexdigest())


def test_10_mib_download_is_intact(framed):
    response = requests.get(framed.gateway.url(framed.sized(10 << 20)), timeout=60)
    assert response.status_code == 200
    assert response.content == pattern(10 << 20)


def test_10_mib_upload_with_content_length(framed):
    upload(framed, 10 << 20)


def test_10_mib_chunked_upload(framed):
    upload(framed, 10 << 20, chunked=True)


def test_chunked_upload_with_requests_generator(framed):
    def body():
        for _ in range(8):
            yield BLOCK

    method, target = framed.upload_target()
    response = requests.request(method, framed.gateway.url(target), data=body(), timeout=60)
    assert framed.uploaded(response.status_code, response.content, target) == (
        8 << 20, hashlib.sha256(BLOCK * 8).hexdigest())


def test_slow_reader_does_not_make_the_gateway_buffer(framed):
    # The client stops reading for 3 s while the backend could send 256 MiB at once.
    warm(framed)
    path = framed.sized(256 << 20)
    with RssWatch(framed.gateway) as watch:
        download(framed.gateway, path, 256 << 20, pause_after=1 << 20, pause_seconds=3)
    assert watch.peak_growth_kib < RSS_BUDGET_KIB, "RSS grew by %d KiB" % watch.peak_growth_kib


def test_slow_backend_reader_does_not_make_the_gateway_buffer(warm_gateway):
    # The backend waits 3 s before reading the body; a gateway without back-pressure would take
    # in the whole upload meanwhile.
    with RssWatch(warm_gateway) as watch:
        upload(PythonFramed(warm_gateway), 256 << 20, method="POST",
               target="/test/1.0.0/upload?pause_ms=3000")
    assert watch.peak_growth_kib < RSS_BUDGET_KIB, "RSS grew by %d KiB" % watch.peak_growth_kib


@pytest.mark.slow
def test_1_gib_download_with_bounded_memory(warm_gateway):
    # Python backend only: nginx's large body is the 256 MiB one above (a second GiB would add
    # half a minute to every run).
    with RssWatch(warm_gateway) as watch:
        download(warm_gateway, PythonFramed(warm_gateway).sized(GIB), GIB)
    assert watch.peak_growth_kib < RSS_BUDGET_KIB, "RSS grew by %d KiB" % watch.peak_growth_kib


@pytest.mark.slow
def test_1_gib_upload_with_bounded_memory(warm_gateway):
    with RssWatch(warm_gateway) as watch:
        upload(PythonFramed(warm_gateway), GIB)
    assert watch.peak_growth_kib < RSS_BUDGET_KIB, "RSS grew by %d KiB" % watch.peak_growth_kib


@pytest.mark.slow
def test_1_gib_chunked_upload_with_bounded_memory(warm_gateway):
    with RssWatch(warm_gateway) as watch:
        upload(PythonFramed(warm_gateway), GIB, chunked=True)
    assert watch.peak_growth_kib < RSS_BUDGET_KIB, "RSS grew by %d KiB" % watch.peak_growth_kib

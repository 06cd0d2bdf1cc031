"""The gateway in front of each backend that the framing tests run against: the Python demo backend
and nginx (nginx_backend.py). A test about how the gateway frames messages takes the `framed`
fixture and runs once per backend; what differs between the two (which path serves a body of N
bytes, how an upload's arrival is checked) is said here once.

Through the gateway, /test/1.0.0/X is the backend's /X.
"""

import hashlib
import itertools
import json
import shutil

import pytest
import requests

from harness import passthrough_api

PATTERN_BLOCK = bytes(range(256)) * 256  # 64 KiB; a body of n bytes is this block repeated
CHUNKED_BODY = b"".join(bytes([ord("a") + i]) * 3000 for i in range(4))


def pattern(size):
    """The first `size` bytes of PATTERN_BLOCK repeated."""
    whole, rest = divmod(size, len(PATTERN_BLOCK))
    return PATTERN_BLOCK * whole + PATTERN_BLOCK[:rest]


def pattern_digest(size):
    """SHA-256 of pattern(size), without holding it in memory."""
    digest = hashlib.sha256()
    whole, rest = divmod(size, len(PATTERN_BLOCK))
    for _ in range(whole):
        digest.update(PATTERN_BLOCK)
    digest.update(PATTERN_BLOCK[:rest])
    return digest.hexdigest()


class PythonFramed:
    """examples/demo_backend.py: /bytes/N, /chunked, /upload (which answers the digest it read)."""

    name = "python"
    upload_status = 200

    def __init__(self, gateway):
        self.gateway = gateway

    def sized(self, size):
        """A path whose response is pattern(size), framed by Content-Length."""
        return "/test/1.0.0/bytes/%d" % size

    def chunked(self):
        """A chunked response: (path, its body CHUNKED_BODY, a trailer it ends with)."""
        return ("/test/1.0.0/chunked?chunks=4&size=3000", CHUNKED_BODY,
                ("X-Checksum", hashlib.sha256(CHUNKED_BODY).hexdigest()))

    def upload_target(self):
        """(method, path) of a request whose body the backend takes in."""
        return "POST", "/test/1.0.0/upload"

    def uploaded(self, status, body, target):
        """(length, SHA-256) of the body the backend received, from the upload's response."""
        assert status == self.upload_status, body[:300]
        answer = json.loads(body)
        return answer["bytes"], answer["sha256"]

    def echo(self, tag):
        return "/test/1.0.0/echo/%s" % tag

    def echoed_path(self, answer):
        """The backend's path of an echo() request, from its JSON answer."""
        return answer["path"]

    def backend_connection(self, answer):
        """Names the gateway's connection to the backend that served an echo() request."""
        return answer["peer"]

    def not_modified(self):
        """(path, request headers) answered 304."""
        return "/test/1.0.0/status/304", []

    def no_content(self):
        """A path answered 204."""
        return "/test/1.0.0/status/204"


class NginxFramed:
    """nginx_backend's standard server: static files, WebDAV PUT, SSI for chunked responses."""

    name = "nginx"
    upload_status = 201

    def __init__(self, gateway, nginx):
        self.gateway = gateway
        self.nginx = nginx
        self.uploads = itertools.count(1)

    def sized(self, size):
        name = "pattern-%d" % size
        path = self.nginx.file_path(name)
        if not path.exists():
            with open(path, "wb") as out:
                whole, rest = divmod(size, len(PATTERN_BLOCK))
                for _ in range(whole):
                    out.write(PATTERN_BLOCK)
                out.write(PATTERN_BLOCK[:rest])
        return "/test/1.0.0/files/" + name

    def chunked(self):
        self.nginx.file_path("letters").write_bytes(CHUNKED_BODY)
        return "/test/1.0.0/chunked/letters", CHUNKED_BODY, ("X-Trailer", "end")

    def upload_target(self):
        return "PUT", "/test/1.0.0/files/upload-%d" % next(self.uploads)

    def uploaded(self, status, body, target):
        assert status == self.upload_status, body[:300]
        stored = self.nginx.file_path(target.rsplit("/", 1)[1])
        digest = hashlib.sha256()
        with open(stored, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
        return stored.stat().st_size, digest.hexdigest()

    def echo(self, tag):
        return "/test/1.0.0/echo/%s" % tag

    def echoed_path(self, answer):
        return answer["uri"]

    def backend_connection(self, answer):
        return answer["connection"]

    def not_modified(self):
        path = self.sized(100)
        etag = self.nginx_head(path)["ETag"]
        return path, [("If-None-Match", etag)]

    def no_content(self):
        return "/test/1.0.0/status/204"

    def nginx_head(self, gateway_path):
        """nginx's own answer's headers, asked directly (not through the gateway)."""
        backend_path = gateway_path[len("/test/1.0.0"):]
        return requests.head(self.nginx.url + backend_path, timeout=10).headers


@pytest.fixture(params=["python", "nginx"])
def framed(request, gateway_factory):
    """The gateway with a pass-through API to one backend, once per backend."""
    if request.param == "python":
        yield PythonFramed(request.getfixturevalue("gateway"))
        return
    nginx = request.getfixturevalue("nginx_backend")
    yield NginxFramed(gateway_factory([passthrough_api(nginx.url)]), nginx)
    # Large bodies were written to nginx's root: free the disk now, not when pytest prunes.
    shutil.rmtree(nginx.root / "files", ignore_errors=True)

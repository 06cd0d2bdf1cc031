"""nginx as a real backend for the black-box tests: its own prefix directory (config, pid file,
error log, temp files), a free loopback port, no root needed, stopped when the test ends.

    def test_a(nginx_backend):               # the standard server described below
        requests.get(nginx_backend.url + "/echo/x")

    def test_b(nginx_factory):               # a server of your own
        server = nginx_factory('location / { return 200 "$uri\\n"; }')

`nginx_factory(locations, name="nginx")` starts one nginx whose `server` block holds `locations`
(nginx syntax; `@ROOT@` stands for the server's document root). Every response carries
`X-Backend: NAME`, so that it can be told from the demo backends.

The standard server (STANDARD_LOCATIONS) serves what the HTTP/1.1 and streaming tests need:
  GET|HEAD /files/NAME  the file ROOT/files/NAME: Content-Length, ETag, 304 on If-None-Match
  PUT /files/NAME       stores the body (Content-Length or chunked) as that file: 201, or 204 when
                        it replaced one
  GET /chunked/NAME     the same file, chunked (the SSI filter drops the length), with the trailer
                        `X-Trailer: end`
  /status/204           204, whatever the method
  /echo...              JSON about the request as nginx saw it: method, uri (nginx's decoded and
                        normalised path), request_uri (as received), args, connection (nginx's
                        serial number of the connection) and connection_requests; the body is read
                        and discarded. The JSON is well-formed for paths without `"` or `\\`.
"""

import os
import signal
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

import harness

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"  # /usr/sbin is not on every user's PATH

CONFIG = """\
@USER@
worker_processes 1;
pid @PREFIX@/nginx.pid;
error_log @PREFIX@/error.log info;

events {
    worker_connections 1024;
}

http {
    access_log off;
    client_body_temp_path @PREFIX@/tmp/body;
    proxy_temp_path @PREFIX@/tmp/proxy;
    fastcgi_temp_path @PREFIX@/tmp/fastcgi;
    uwsgi_temp_path @PREFIX@/tmp/uwsgi;
    scgi_temp_path @PREFIX@/tmp/scgi;
    keepalive_requests 10000;
    keepalive_timeout 60s;

    server {
        listen 127.0.0.1:@PORT@;
        root @ROOT@;
        add_header X-Backend @NAME@ always;
@LOCATIONS@
    }
}
"""

STANDARD_LOCATIONS = """\
        location /files/ {
            dav_methods PUT;
            create_full_put_path on;
            client_max_body_size 0;
        }
        location /chunked/ {
            alias @ROOT@/files/;
            ssi on;
            ssi_types *;
            add_header X-Backend @NAME@ always;
            add_trailer X-Trailer end always;
        }
        location = /status/204 {
            return 204;
        }
        location /echo {
            default_type application/json;
            return 200 '{"method": "$request_method", "uri": "$uri", "request_uri": "$request_uri", "args": "$args", "connection": $connection, "connection_requests": $connection_requests}\\n';
        }
"""


def wait_for_port(port, process, timeout=harness.START_TIMEOUT):
    """nginx cannot report a port it was given as 0, so it is given a free one, and this waits
    until it listens there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("nginx exited with %s before listening" % process.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("nothing listens on port %d after %ss" % (port, timeout))


class Nginx:
    """One nginx master and worker serving one server block, from `workdir/name`."""

    def __init__(self, workdir, locations=STANDARD_LOCATIONS, name="nginx", port=None):
        self.name = name
        self.port = port or harness.free_port()
        self.prefix = Path(workdir) / name
        self.root = self.prefix / "html"
        self.locations = locations
        self.process = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def error_log_path(self):
        return self.prefix / "error.log"

    def config_text(self):
        # A master started as root hands the work to `user`, which must read the temp directory.
        user = "user root;" if os.geteuid() == 0 else ""
        text = CONFIG.replace("@LOCATIONS@", self.locations.rstrip("\n"))
        for key, value in (("@USER@", user), ("@PREFIX@", str(self.prefix)),
                           ("@ROOT@", str(self.root)), ("@PORT@", str(self.port)),
                           ("@NAME@", self.name)):
            text = text.replace(key, value)
        return text

    def start(self):
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        (self.root / "files").mkdir(parents=True, exist_ok=True)
        config = self.prefix / "nginx.conf"
        config.write_text(self.config_text())
        output = open(self.prefix / "nginx.stderr", "ab")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-e", str(self.error_log_path), "-c", str(config),
             "-g", "daemon off;"], stdout=output, stderr=subprocess.STDOUT)
        output.close()
        try:
            wait_for_port(self.port, self.process)
        except (RuntimeError, TimeoutError) as error:
            self.stop()
            raise RuntimeError("nginx did not start: %s\n%s" % (error, self.log())) from error
        return self

    def stop(self):
        """A fast stop (SIGTERM); returns nginx's exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        code, self.process = self.process.returncode, None
        return code

    def file_path(self, name):
        return self.root / "files" / name

    def log(self):
        parts = []
        for path in (self.prefix / "nginx.stderr", self.error_log_path):
            if path.exists():
                parts.append(path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)


@pytest.fixture
def nginx_factory(tmp_path):
    """Starts nginx servers (see the module's docstring); stops them when the test ends."""
    if not Path(NGINX).is_file():
        pytest.fail("nginx is required (Debian package nginx-light)")
    started = []

    def make(locations=STANDARD_LOCATIONS, name="nginx"):
        server = Nginx(tmp_path, locations, name).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def nginx_backend(nginx_factory):
    """nginx with the standard server."""
    return nginx_factory()

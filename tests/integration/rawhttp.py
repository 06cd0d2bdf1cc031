"""A deliberately small HTTP/1.1 client over a plain socket.

The black-box tests need what ordinary clients hide: sending malformed bytes, pipelining several
requests in one write, seeing interim 1xx responses, trailers, and whether the server closed the
connection. Responses are parsed strictly, so that a framing mistake by the gateway shows up as a
test failure rather than being smoothed over.
"""

import json
import socket
import time


class Response:
    def __init__(self, status, reason, headers, body, trailers):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value) as received
        self.body = body
        self.trailers = trailers

    def header(self, name, default=None):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return default

    def header_values(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<Response %d %r headers=%r body=%r>" % (
            self.status, self.reason, self.headers, self.body[:200])


class Connection:
    def __init__(self, host, port, timeout=10.0, sock=None):
        self.sock = sock or socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.host = host
        self.port = port

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        self.sock.sendall(data)

    def request(self, method, path, headers=(), body=b"", host=None):
        """Sends one well-formed request; adds Host and, for a body, Content-Length."""
        lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % (host or self.host)]
        names = {n.lower() for n, _ in headers}
        for n, v in headers:
            lines.append("%s: %s" % (n, v))
        if body and "content-length" not in names and "transfer-encoding" not in names:
            lines.append("Content-Length: %d" % len(body))
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    # -- reading --------------------------------------------------------------------------------

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise ConnectionError("connection closed by peer")
        self.buffer += data

    def _read_line(self):
        while b"\r\n" not in self.buffer:
            if len(self.buffer) > 1 << 20:
                raise ValueError("line too long")
            self._fill()
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _read_exact(self, n):
        while len(self.buffer) < n:
            self._fill()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _read_fields(self):
        fields = []
        while True:
            line = self._read_line()
            if not line:
                return fields
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep or name != name.strip() or not name:
                raise ValueError("malformed header line %r" % line)
            fields.append((name, value.strip()))

    def read_head(self):
        """Reads one response head, interim (1xx) or final."""
        line = self._read_line().decode("latin-1")
        version, _, rest = line.partition(" ")
        if not version.startswith("HTTP/1."):
            raise ValueError("malformed status line %r" % line)
        code, _, reason = rest.partition(" ")
        return int(code), reason, self._read_fields()

    def read_response(self, method="GET", skip_interim=True):
        """Reads one full response; the body is framed as RFC 9112 section 6.3 says."""
        while True:
            status, reason, headers = self.read_head()
            if not (100 <= status < 200) or not skip_interim:
                break
        response = Response(status, reason, headers, b"", [])
        if 100 <= status < 200:
            return response
        if method == "HEAD" or status in (204, 304):
            return response
        te = response.header("Transfer-Encoding")
        cl = response.header_values("Content-Length")
        if te is not None:
            if te.lower().split(",")[-1].strip() != "chunked":
                raise ValueError("unexpected Transfer-Encoding %r" % te)
            response.body = self._read_chunked(response)
        elif cl:
            if len(cl) != 1:
                raise ValueError("several Content-Length headers: %r" % cl)
            response.body = self._read_exact(int(cl[0]))
        else:
            response.body = self.read_until_close()
        return response

    def _read_chunked(self, response):
        body = []
        while True:
            size_line = self._read_line().split(b";")[0].strip()
            size = int(size_line, 16)
            if size == 0:
                break
            body.append(self._read_exact(size))
            if self._read_exact(2) != b"\r\n":
                raise ValueError("chunk data not followed by CRLF")
        response.trailers = self._read_fields()
        return b"".join(body)

    def read_until_close(self):
        data = self.buffer
        self.buffer = b""
        while True:
            piece = self.sock.recv(1 << 16)
            if not piece:
                return data
            data += piece

    def closed_by_peer(self, within=10.0):
        """True if the peer closes (or resets) the connection within `within` seconds with no
        further bytes; False if it stays open that long. Stray bytes are an error."""
        if self.buffer:
            raise AssertionError("unexpected bytes after the response: %r" % self.buffer[:200])
        deadline = time.monotonic() + within
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return False
            except (ConnectionResetError, BrokenPipeError):
                return True
            if not data:
                return True
            raise AssertionError("unexpected bytes instead of a close: %r" % data[:200])


def connect(port, host="127.0.0.1", timeout=10.0):
    return Connection(host, port, timeout)

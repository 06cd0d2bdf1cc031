#!/usr/bin/env python3
"""A demo and test backend for Gatehouse: HTTP/1.1 with keep-alive, Python standard library only.

PizzaShack-like API (what `make run` puts behind the gateway):
  GET  /menu              the menu, as JSON
  POST /order             stores the JSON order, answers it with an "id"
  GET  /order/{id}        a stored order, or 404

Endpoints for the black-box tests (any method unless noted):
  /echo[/...]             JSON: method, path, query, headers, body, trailers, peer address
  /status/{code}          that status (no body for 1xx/204/304)
  /delay/{ms}             answers after sleeping ms milliseconds
  /chunked                chunked response with a trailer (?chunks=N&size=M)
  /bytes/{n}              n bytes with Content-Length, streamed
  /upload                 reads the body as it streams; JSON: bytes and sha256 (?pause_ms=N first)
  /close                  response delimited by closing the connection (no length, no chunks)
  /response-headers       every query parameter becomes a response header
  /health                 200, or the status set by POST /control/health {"status": N}

Every response carries X-Backend: NAME, so that load-balanced backends can be told apart.
"""

import argparse
import hashlib
import itertools
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

MENU = [
    {"name": "Chicken Parmesan", "description": "Grilled chicken, fresh tomatoes, "
     "feta and mozzarella cheese", "price": "12.99", "icon": "/images/6.png"},
    {"name": "Hawaiian BBQ Chicken", "description": "Grilled white chicken, "
     "hickory-smoked bacon and fresh sliced onions in barbeque sauce", "price": "11.99",
     "icon": "/images/2.png"},
    {"name": "Spicy Italian", "description": "Pepperoni and a double portion of spicy Italian "
     "sausage", "price": "10.99", "icon": "/images/1.png"},
    {"name": "Tuscan Six Cheese", "description": "Six cheese blend of mozzarella, Parmesan, "
     "Romano, Asiago and Fontina", "price": "9.99", "icon": "/images/4.png"},
]

NO_BODY_STATUSES = {204, 304}
STREAM_BLOCK = bytes(range(256)) * 256  # 64 KiB, the pattern /bytes/{n} repeats


class Shop:
    """Orders taken so far; shared by the handler threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._orders = {}
        self._ids = itertools.count(1)
        self.health_status = 200

    def place(self, order):
        with self._lock:
            order_id = str(next(self._ids))
            stored = dict(order, id=order_id)
            self._orders[order_id] = stored
            return stored

    def find(self, order_id):
        with self._lock:
            return self._orders.get(order_id)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "demo-backend"

    # -- dispatch -------------------------------------------------------------------------------

    def handle_one_request(self):
        # Reset per request: a keep-alive connection reuses this handler object.
        self._body_consumed = False
        super().handle_one_request()

    def do_any(self):
        url = urlsplit(self.path)
        self.url_path = url.path
        self.query = parse_qsl(url.query, keep_blank_values=True)
        parts = [p for p in url.path.split("/") if p]
        head = parts[0] if parts else ""
        route = ROUTES.get(head)
        if route is None:
            self.send_json(404, {"error": "no such path", "path": url.path})
        else:
            route(self, parts[1:])
        if not self._body_consumed and not self.close_connection:
            # An unread request body would be parsed as the next request.
            self.read_body()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_any

    def do_HEAD(self):
        self.do_any()

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("%s %s\n" % (self.server.name, fmt % args))

    # -- request bodies -------------------------------------------------------------------------

    def body_chunks(self, block=1 << 20):
        """Yields the request body in pieces, whether framed by Content-Length or chunked."""
        self._body_consumed = True
        self.trailers = []
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                size_line = self.rfile.readline(1024)
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    break
                remaining = size
                while remaining:
                    piece = self.rfile.read(min(block, remaining))
                    if not piece:
                        raise ConnectionError("body cut short")
                    remaining -= len(piece)
                    yield piece
                self.rfile.readline(16)  # CRLF after the chunk data
            while True:
                line = self.rfile.readline(8192)
                if line in (b"\r\n", b"\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                self.trailers.append([name.strip(), value.strip()])
            return
        remaining = int(self.headers.get("Content-Length", "0") or 0)
        while remaining:
            piece = self.rfile.read(min(block, remaining))
            if not piece:
                raise ConnectionError("body cut short")
            remaining -= len(piece)
            yield piece

    def read_body(self):
        return b"".join(self.body_chunks())

    # -- responses ------------------------------------------------------------------------------

    def start(self, status, headers=()):
        self.send_response(status)
        self.send_header("X-Backend", self.server.name)
        for name, value in headers:
            self.send_header(name, value)

    def send_bytes(self, status, body, content_type="application/octet-stream", headers=()):
        self.start(status, headers)
        if status in NO_BODY_STATUSES:
            self.end_headers()
            return
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, value, headers=()):
        body = json.dumps(value, indent=None).encode()
        self.send_bytes(status, body, "application/json", headers)


# -- PizzaShack --------------------------------------------------------------------------------

def menu(h, rest):
    h.send_json(200, MENU)


def order(h, rest):
    if h.command == "POST" and not rest:
        try:
            placed = h.server.shop.place(json.loads(h.read_body() or b"{}"))
        except (ValueError, TypeError):
            h.send_json(400, {"error": "the order must be a JSON object"})
            return
        h.send_json(201, placed, [("Location", "/order/" + placed["id"])])
    elif h.command in ("GET", "HEAD") and len(rest) == 1:
        found = h.server.shop.find(rest[0])
        if found is None:
            h.send_json(404, {"error": "no such order", "id": rest[0]})
        else:
            h.send_json(200, found)
    else:
        h.send_json(405, {"error": "method not allowed"})


# -- test endpoints ----------------------------------------------------------------------------

def echo(h, rest):
    body = h.read_body()
    headers = {}
    for name, value in h.headers.items():
        key = name.lower()
        headers[key] = headers[key] + ", " + value if key in headers else value
    h.send_json(200, {
        "method": h.command,
        "path": h.url_path,
        "target": h.path,
        "query": h.query,
        "headers": headers,
        "raw_headers": [[n, v] for n, v in h.headers.items()],
        "body": body.decode("utf-8", "replace"),
        "body_bytes": len(body),
        "trailers": h.trailers,
        "http_version": h.request_version,
        "peer": "%s:%d" % h.client_address[:2],
    })


def status(h, rest):
    code = int(rest[0]) if rest and rest[0].isdigit() else 400
    if code in NO_BODY_STATUSES:
        h.send_bytes(code, b"", headers=[("ETag", '"demo"')])
    else:
        h.send_json(code, {"status": code})


def delay(h, rest):
    ms = int(rest[0]) if rest and rest[0].isdigit() else 0
    h.read_body()
    time.sleep(ms / 1000)
    h.send_json(200, {"delayed_ms": ms})


def chunked(h, rest):
    params = dict(h.query)
    count = int(params.get("chunks", "5"))
    size = int(params.get("size", "1000"))
    h.read_body()
    h.start(200, [("Content-Type", "application/octet-stream"),
                  ("Transfer-Encoding", "chunked"), ("Trailer", "X-Checksum")])
    h.end_headers()
    if h.command == "HEAD":
        return
    digest = hashlib.sha256()
    for i in range(count):
        piece = bytes([ord("a") + i % 26]) * size
        digest.update(piece)
        h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        h.wfile.flush()
    h.wfile.write(b"0\r\nX-Checksum: %s\r\n\r\n" % digest.hexdigest().encode())


def stream_bytes(h, rest):
    total = int(rest[0]) if rest and rest[0].isdigit() else 0
    h.read_body()
    h.start(200, [("Content-Type", "application/octet-stream"),
                  ("Content-Length", str(total))])
    h.end_headers()
    if h.command == "HEAD":
        return
    view = memoryview(STREAM_BLOCK)
    sent = 0
    while sent < total:
        n = min(len(view), total - sent)
        h.wfile.write(view[:n])
        sent += n


def upload(h, rest):
    pause_ms = int(dict(h.query).get("pause_ms", "0"))
    if pause_ms:
        time.sleep(pause_ms / 1000)  # lets the sender run ahead: shows who buffers the body
    digest = hashlib.sha256()
    count = 0
    for piece in h.body_chunks():
        count += len(piece)
        digest.update(piece)
    h.send_json(200, {"bytes": count, "sha256": digest.hexdigest(), "trailers": h.trailers})


def close_delimited(h, rest):
    h.read_body()
    h.close_connection = True
    h.start(200, [("Content-Type", "text/plain"), ("Connection", "close")])
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(b"delimited by close\n" * 100)


def response_headers(h, rest):
    h.read_body()
    h.send_json(200, {"headers": h.query}, headers=h.query)


def health(h, rest):
    code = h.server.shop.health_status
    h.send_json(code, {"status": "UP" if code < 400 else "DOWN"})


def control(h, rest):
    if rest == ["health"] and h.command == "POST":
        h.server.shop.health_status = int(json.loads(h.read_body())["status"])
        h.send_json(200, {"health": h.server.shop.health_status})
    else:
        h.send_json(404, {"error": "no such control"})


ROUTES = {
    "menu": menu, "order": order,
    "echo": echo, "status": status, "delay": delay, "chunked": chunked, "bytes": stream_bytes,
    "upload": upload, "close": close_delimited, "response-headers": response_headers,
    "health": health, "control": control,
}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # load tests open many connections at once


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000,
                        help="0: any free port (the first line printed names it)")
    parser.add_argument("--name", default="demo", help="sent back in the X-Backend header")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate chain")
    parser.add_argument("--tls-key", help="and this PEM private key")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args()

    server = Server((args.host, args.port), Handler)
    server.name = args.name
    server.verbose = args.verbose
    server.shop = Shop()
    scheme = "http"
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    # The bound port: with --port 0 the system chose it, and this line is how starters learn it.
    print("demo backend %s listening on %s://%s:%d" % (args.name, scheme, args.host,
                                                       server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

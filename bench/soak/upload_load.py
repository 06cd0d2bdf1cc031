"""The upload load: threads that POST bodies through the gateway to the demo backend's /upload,
which answers the byte count and SHA-256 it received; both are checked. Bodies are sent with
Content-Length or chunked, from empty to 8 MiB, on a kept-alive connection, on a new connection
the client closes, or on a new connection with `Connection: close` (the gateway closes)."""

import hashlib
import http.client
import json
import os
import random
import threading
import time

# (size in bytes, weight): mostly small bodies, now and then a large one that is still streaming
# when the backend is killed.
SIZES = [(0, 10), (100, 25), (4096, 30), (65536, 20), (1 << 20, 12), (8 << 20, 3)]
PIECE = 65536
BLOCK = os.urandom(1 << 20)
CONNECTION_MODES = ("keep-alive", "new", "close")
FAILURE_PAUSE = 0.1  # seconds


def body_pieces(size):
    view = memoryview(BLOCK)
    sent = 0
    while sent < size:
        start = sent % len(BLOCK)
        n = min(PIECE, size - sent, len(BLOCK) - start)
        yield view[start:start + n]
        sent += n


def expected_digest(size):
    digest = hashlib.sha256()
    for piece in body_pieces(size):
        digest.update(piece)
    return digest.hexdigest()


DIGESTS = {size: expected_digest(size) for size, _ in SIZES}


class UploadLoad:
    def __init__(self, tally, port, path, threads, end_time):
        self.tally = tally
        self.port = port
        self.path = path
        self.end_time = end_time
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(seed,), name="upload-%d" % seed,
                                         daemon=True) for seed in range(threads)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()

    def join(self):
        for thread in self.threads:
            thread.join()

    def run(self, seed):
        rng = random.Random(seed)
        sizes, weights = zip(*SIZES)
        kept = None
        n = 0
        while not self.stopping.is_set() and time.time() < self.end_time:
            size = rng.choices(sizes, weights)[0]
            chunked = rng.random() < 0.5
            mode = CONNECTION_MODES[n % len(CONNECTION_MODES)]
            n += 1
            if mode == "keep-alive":
                if kept is None:
                    kept = self.connect()
                connection = kept
            else:
                connection = self.connect()
            outcome, config = self.upload(connection, size, chunked, mode == "close")
            self.tally.add(time.time(), outcome, config=config)
            if mode != "keep-alive" or outcome != "200":
                connection.close()
                if connection is kept:
                    kept = None
            if outcome != "200":
                # As a client would: a gateway that answers 503 at once would otherwise be
                # asked thousands of times a second while the backend is away.
                self.stopping.wait(FAILURE_PAUSE)
        if kept is not None:
            kept.close()

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def upload(self, connection, size, chunked, close):
        """The outcome of one upload, and which config answered it."""
        headers = {"Content-Type": "application/octet-stream"}
        if close:
            headers["Connection"] = "close"
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(size)
        try:
            connection.request("POST", self.path, body=body_pieces(size), headers=headers,
                               encode_chunked=chunked)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            return "error:" + type(error).__name__, None
        config = response.getheader("X-Soak-Config")
        if response.status != 200:
            return str(response.status), config
        try:
            received = json.loads(data)
        except ValueError:
            return "bad-body", config
        if received.get("bytes") != size or received.get("sha256") != DIGESTS[size]:
            return "bad-body", config
        return "200", config

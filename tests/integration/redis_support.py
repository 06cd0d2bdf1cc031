"""A real redis-server for the black-box tests: on a free loopback port, in its own directory,
with an append-only file so that a restart keeps what it counted (as a production Redis would),
stopped and started again on the same port."""

import shutil
import subprocess
import time
from pathlib import Path

from harness import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"


class RedisServer:
    def __init__(self, workdir):
        self.dir = Path(workdir) / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.dir)],
            stdout=open(self.dir / "redis.log", "ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while self.cli("PING") != "PONG":
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start:\n" +
                                   (self.dir / "redis.log").read_text(errors="replace"))
            time.sleep(0.05)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()  # as a crash would: no shutdown save beyond the append-only file
            self.process.wait(10)
        self.process = None

    def cli(self, *args):
        done = subprocess.run([REDIS_CLI, "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10)
        return done.stdout.strip()

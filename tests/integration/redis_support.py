"""Real redis-server and redis-sentinel processes for the black-box tests: each on a free loopback
port, in its own directory, stopped and started again on the same port. A server keeps an
append-only file so that a restart keeps what it counted (as a production Redis would)."""

import shutil
import subprocess
import time
from pathlib import Path

from harness import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"
REDIS_SENTINEL = shutil.which("redis-sentinel") or "/usr/bin/redis-sentinel"


class RedisServer:
    def __init__(self, workdir, name="redis", replica_of=None):
        self.dir = Path(workdir) / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.replica_of = replica_of  # another RedisServer
        self.process = None

    @property
    def address(self):
        return "127.0.0.1:%d" % self.port

    def start(self):
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.dir)]
        if self.replica_of:
            command += ["--replicaof", "127.0.0.1", str(self.replica_of.port)]
        self.process = subprocess.Popen(command, stdout=open(self.dir / "redis.log", "ab"),
                                        stderr=subprocess.STDOUT)
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


class RedisSentinel(RedisServer):
    """One Sentinel watching `master` as "gatehouse", quorum 1, quick to act."""

    def __init__(self, workdir, master):
        super().__init__(workdir, "sentinel")
        self.master = master

    def start(self):
        config = self.dir / "sentinel.conf"  # Sentinel rewrites it as it learns
        config.write_text("\n".join([
            "port %d" % self.port, "bind 127.0.0.1", "dir %s" % self.dir,
            "sentinel monitor gatehouse 127.0.0.1 %d 1" % self.master.port,
            "sentinel down-after-milliseconds gatehouse 1000",
            "sentinel failover-timeout gatehouse 5000", ""]))
        self.process = subprocess.Popen([REDIS_SENTINEL, str(config)],
                                        stdout=open(self.dir / "sentinel.log", "ab"),
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while self.cli("PING") != "PONG":
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-sentinel did not start")
            time.sleep(0.05)
        return self

    def master_port(self):
        answer = self.cli("SENTINEL", "get-master-addr-by-name", "gatehouse").split()
        return int(answer[1]) if len(answer) == 2 else None

"""The real processes of the soak: the gateway, an nginx backend that is never restarted, and the
demo backend that is killed and started again. Each on a free loopback port, its output in the
work directory."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_BACKEND = REPO / "examples" / "demo_backend.py"
NGINX_BACKEND_CONF = REPO / "bench" / "nginx" / "backend.conf"
START_TIMEOUT = 30.0  # seconds; the machine is shared, a start may be slow


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_listening(port, process, what):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("%s exited with %s before listening" % (what, process.returncode))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("%s does not listen on port %d after %ss" % (what, port, START_TIMEOUT))


def stop_process(process, timeout=30):
    """SIGTERM, then SIGKILL; the exit status (None if it had to be killed)."""
    if process is None or process.poll() is not None:
        return None if process is None else process.returncode
    process.terminate()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


class NginxBackend:
    """bench/nginx/backend.conf: a fixed ~100-byte JSON answer to every request (its body, if
    any, is read and discarded)."""

    def __init__(self, workdir):
        self.prefix = Path(workdir) / "nginx-backend"
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        (self.prefix / "tmp").mkdir(parents=True, exist_ok=True)
        conf = NGINX_BACKEND_CONF.read_text().replace("@PREFIX@", str(self.prefix)) \
            .replace("@PORT@", str(self.port))
        (self.prefix / "nginx.conf").write_text(conf)
        with open(self.prefix / "stdout", "ab") as out:
            self.process = subprocess.Popen(
                ["nginx", "-p", str(self.prefix), "-e", str(self.prefix / "error.log"),
                 "-c", str(self.prefix / "nginx.conf"), "-g", "daemon off;"],
                stdout=out, stderr=subprocess.STDOUT)
        wait_until_listening(self.port, self.process, "nginx backend")

    def stop(self):
        stop_process(self.process)


class DemoBackend:
    """examples/demo_backend.py, killed with SIGKILL and started again on the same port."""

    def __init__(self, workdir):
        self.log_path = Path(workdir) / "demo-backend.log"
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(DEMO_BACKEND), "--port", str(self.port), "--name", "soak"],
                stdout=log, stderr=subprocess.STDOUT)
        wait_until_listening(self.port, self.process, "demo backend")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        stop_process(self.process)


class Gateway:
    """The gatehouse binary serving the config file that the reloads rewrite."""

    def __init__(self, binary, workdir, config_path, admin_port):
        self.binary = binary
        self.workdir = Path(workdir)
        self.config_path = config_path
        self.admin_port = admin_port
        self.stdout_path = self.workdir / "gatehouse.stdout"
        self.stderr_path = self.workdir / "gatehouse.stderr"
        self.process = None

    def start(self):
        with open(self.stdout_path, "ab") as out, open(self.stderr_path, "ab") as err:
            self.process = subprocess.Popen([self.binary, "run", "-c", str(self.config_path)],
                                            stdout=out, stderr=err, cwd=self.workdir)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gatehouse exited with %s before it was ready\n%s" %
                                   (self.process.returncode, self.output_tail()))
            try:
                url = "http://127.0.0.1:%d/readyz" % self.admin_port
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gatehouse not ready after %ss\n%s" % (START_TIMEOUT,
                                                                   self.output_tail()))

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process.poll() is None

    def sighup(self):
        self.process.send_signal(signal.SIGHUP)

    def stop(self):
        return stop_process(self.process)

    def log_text(self):
        return self.stdout_path.read_text(errors="replace") + \
            self.stderr_path.read_text(errors="replace")

    def output_tail(self, chars=3000):
        return "--- gatehouse stdout ---\n%s\n--- gatehouse stderr ---\n%s" % (
            self.stdout_path.read_text(errors="replace")[-chars:],
            self.stderr_path.read_text(errors="replace")[-chars:])


def process_usage(pid):
    """(VmRSS in KiB, open file descriptors, threads) of a running process."""
    rss = threads = None
    for line in Path("/proc/%d/status" % pid).read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("Threads:"):
            threads = int(line.split()[1])
    return rss, len(os.listdir("/proc/%d/fd" % pid)), threads

"""Starting and stopping the real processes the black-box tests talk to: the gateway binary and
demo backends, each on a free loopback port, with their output kept for failure messages.

Every process binds port 0 and reports the port the system gave it (the gateway in its
--ports-file, a demo backend on its first line), so that no port is picked here and then lost to
another process before it is bound. free_port() is left for the few places that must name a port
before anything can listen on it (an address where nothing listens)."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
DEMO_BACKEND = REPO / "examples" / "demo_backend.py"
GATEHOUSE_BIN = os.environ.get("GATEHOUSE_BIN", str(REPO / "build" / "release" / "src" / "gatehouse"))

START_TIMEOUT = 30.0  # seconds; generous so that a loaded machine does not fail the suite
STOP_TIMEOUT = 30.0


_ports_handed_out = set()


def free_port():
    """A loopback port nobody listens on now. The kernel may offer a just-released port again, so
    ports already handed out in this run are never handed out twice."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports_handed_out:
            _ports_handed_out.add(port)
            return port


def wait_for_line(path, pattern, process, what, offset=0, timeout=START_TIMEOUT):
    """The first match of `pattern` in the file `path` after byte `offset`, which `process`
    writes; fails if the process exits before writing it."""
    deadline = time.monotonic() + timeout
    while True:
        with open(path, "rb") as f:
            f.seek(offset)
            match = re.search(pattern, f.read().decode(errors="replace"))
        if match:
            return match
        if process.poll() is not None:
            raise RuntimeError("%s exited with %s before it listened:\n%s" %
                               (what, process.returncode, Path(path).read_text(errors="replace")))
        if time.monotonic() > deadline:
            raise TimeoutError("%s did not listen within %ss" % (what, timeout))
        time.sleep(0.05)


def install_npm_test_tools():
    """Installs the test tools from npm (oidc-provider, openid-client, playwright-core) from their
    committed lock files, as `make test` does before the tests; a quick no-op when they are
    installed from these lock files already (a run of pytest alone)."""
    subprocess.run([str(REPO / "scripts" / "install-npm-deps")], check=True,
                   stdout=subprocess.DEVNULL, timeout=300)


def port_of(address):
    """8280 from "127.0.0.1:8280" or "[::1]:8280"."""
    return int(address.rsplit(":", 1)[1])


def to_yaml(value, indent=0):
    """Block-style YAML for plain dicts, lists and scalars; strings are double-quoted, which is
    valid YAML for any content. Keeps the suite free of a YAML library dependency."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        out = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append("%s%s:\n%s" % (pad, key, to_yaml(item, indent + 1)))
            else:
                out.append("%s%s: %s\n" % (pad, key, scalar(item)))
        return "".join(out)
    if isinstance(value, list):
        if not value:
            return pad + "[]\n"
        out = []
        for item in value:
            text = to_yaml(item, indent + 1)
            out.append("%s- %s\n" % (pad, text.strip("\n").lstrip()) if not isinstance(item, (dict, list))
                       else "%s-\n%s" % (pad, text))
        return "".join(out)
    return pad + scalar(value) + "\n"


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return json.dumps(value)  # empty containers
    return json.dumps(str(value))


class Backend:
    """One demo_backend.py process on a port of its choosing (or `port`); can be stopped and
    started again on the same port."""

    def __init__(self, workdir, name, port=None, tls=None):
        self.name = name
        self.port = port  # None until the first start binds one
        self.tls = tls  # (cert, key) or None
        self.log_path = Path(workdir) / ("backend-%s.log" % name)
        self.process = None

    @property
    def url(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    def start(self):
        command = [sys.executable, str(DEMO_BACKEND), "--port", str(self.port or 0),
                   "--name", self.name]
        if self.tls:
            command += ["--tls-cert", str(self.tls[0]), "--tls-key", str(self.tls[1])]
        log = open(self.log_path, "ab")
        offset = log.tell()  # a restart appends: read this start's lines only
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            listening = wait_for_line(self.log_path, r"listening on \w+://\S+:(\d+)",
                                      self.process, "demo backend %s" % self.name, offset)
        except (RuntimeError, TimeoutError):
            self.stop()
            raise
        self.port = int(listening.group(1))
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class Gateway:
    """The gatehouse binary running one config file. Its addresses are the ones it reports in its
    ports file, whatever the config says (port 0, as base_config writes, or a fixed port)."""

    def __init__(self, workdir, config, wait_ready=True):
        self.workdir = Path(workdir)
        self.config_path = self.workdir / "gatehouse.yaml"
        self.ports_path = self.workdir / "gatehouse.ports.json"
        self.stdout_path = self.workdir / "gatehouse.stdout"
        self.stderr_path = self.workdir / "gatehouse.stderr"
        self.write_config(config)
        self.config = config
        self._ports = None
        self.ports_path.unlink(missing_ok=True)  # never an earlier gateway's ports
        out = open(self.stdout_path, "ab")
        err = open(self.stderr_path, "ab")
        self.process = subprocess.Popen([GATEHOUSE_BIN, "run", "-c", str(self.config_path),
                                         "--ports-file", str(self.ports_path)],
                                        stdout=out, stderr=err, cwd=self.workdir)
        out.close()
        err.close()
        if wait_ready:
            self.wait_ready()

    # -- config ---------------------------------------------------------------------------------

    def write_config(self, config):
        text = config if isinstance(config, str) else to_yaml(config)
        # Written beside and renamed, so that a file watcher never sees half a file.
        tmp = self.config_path.with_suffix(".tmp")
        tmp.write_text(text)
        os.replace(tmp, self.config_path)
        if not isinstance(config, str):
            self.config = config

    def reload(self, config=None):
        if config is not None:
            self.write_config(config)
        self.process.send_signal(signal.SIGHUP)

    # -- addresses ------------------------------------------------------------------------------

    def ports(self, timeout=START_TIMEOUT):
        """{"listeners": {name: "host:port"}, "admin": "host:port"} as the gateway bound them; it
        writes the file once it serves. Listeners are fixed at start, so it is read once."""
        deadline = time.monotonic() + timeout
        while self._ports is None:
            if self.ports_path.exists():
                self._ports = json.loads(self.ports_path.read_text())
            elif self.process.poll() is not None:
                raise RuntimeError("gatehouse exited with %s before it listened\n%s" %
                                   (self.process.returncode, self.output()))
            elif time.monotonic() > deadline:
                raise TimeoutError("gatehouse wrote no ports file within %ss\n%s" %
                                   (timeout, self.output()))
            else:
                time.sleep(0.05)
        return self._ports

    def listener_port(self, name=None):
        listeners = self.ports()["listeners"]
        address = next(iter(listeners.values())) if name is None else listeners[name]
        return port_of(address)

    @property
    def port(self):
        return self.listener_port("http")

    @property
    def admin_port(self):
        return port_of(self.ports()["admin"])

    def url(self, path, listener="http"):
        scheme = "https" if self.listener_config(listener).get("tls") else "http"
        return "%s://127.0.0.1:%d%s" % (scheme, self.listener_port(listener), path)

    def listener_config(self, name):
        return next(l for l in self.config["listeners"] if l["name"] == name)

    def admin_url(self, path):
        return "http://127.0.0.1:%d%s" % (self.admin_port, path)

    # -- lifecycle ------------------------------------------------------------------------------

    def wait_ready(self, timeout=START_TIMEOUT):
        deadline = time.monotonic() + timeout
        self.ports(timeout)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gatehouse exited with %s before it was ready\n%s" %
                                   (self.process.returncode, self.output()))
            try:
                if requests.get(self.admin_url("/readyz"), timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise TimeoutError("gatehouse not ready after %ss\n%s" % (timeout, self.output()))

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    @property
    def pid(self):
        return self.process.pid

    def rss_kib(self):
        for line in Path("/proc/%d/status" % self.pid).read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    # -- output ---------------------------------------------------------------------------------

    def logs(self):
        return self.stdout_path.read_text(errors="replace") + self.stderr_path.read_text(errors="replace")

    def output(self):
        return "--- gatehouse stdout ---\n%s--- gatehouse stderr ---\n%s" % (
            self.stdout_path.read_text(errors="replace")[-4000:],
            self.stderr_path.read_text(errors="replace")[-4000:])

    def access_log_path(self):
        return Path(self.config["access_log"]["path"])

    def access_log(self):
        path = self.access_log_path()
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def wait_for_access_log(self, predicate, timeout=10.0):
        """The access log is written off the hot path: poll for the line we expect."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [entry for entry in self.access_log() if predicate(entry)]
            if matching or time.monotonic() > deadline:
                return matching
            time.sleep(0.05)


def wait_until(condition, timeout=15.0, interval=0.05):
    """Polls `condition` until it returns a truthy value or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def api(name="Test", version="1.0.0", context="/test", endpoints=None, resources=None, **extra):
    """One API entry of the config, with a catch-all resource unless resources are given."""
    entry = {
        "name": name,
        "version": version,
        "context": context,
        "endpoints": endpoints if isinstance(endpoints, dict) else {"production": endpoints or []},
        "resources": resources if resources is not None else [{"methods": ["*"], "path": "/*"}],
    }
    entry.update(extra)
    return entry


def base_config(tmp_path, apis, **overrides):
    """A complete config: one plain listener, the admin listener, an access log file."""
    config = {
        "workers": 2,
        "listeners": [{"name": "http", "address": "127.0.0.1:0"}],
        "admin": {"address": "127.0.0.1:0"},
        "access_log": {"path": str(tmp_path / "access.log")},
        "shutdown_timeout": "10s",
        "apis": apis,
    }
    config.update(overrides)
    return config


def pizzashack_api(backend_url):
    return api(
        name="PizzaShack", version="1.0.0", context="/pizzashack",
        endpoints=[backend_url],
        resources=[
            {"method": "GET", "path": "/menu"},
            {"method": "POST", "path": "/order"},
            {"method": "GET", "path": "/order/{orderId}"},
        ])


def echo_api(backend_url, name="Echo", context="/echo", **extra):
    """Every method and path under /echo/1.0.0 goes to the backend's /echo endpoint."""
    return api(name=name, version="1.0.0", context=context,
                       endpoints=[backend_url + "/echo"], **extra)


def passthrough_api(backend_url, name="Test", context="/test", **extra):
    """Every method and path under /test/1.0.0/X goes to the backend's /X."""
    return api(name=name, version="1.0.0", context=context, endpoints=[backend_url],
                       **extra)

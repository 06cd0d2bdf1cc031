"""What the soak does to the gateway besides the load: a reload every few seconds, alternating
between the two configs, each checked to have applied; and the demo backend killed and started
again now and then, each time recorded so that the errors of its absence can be told apart."""

import os
import threading
import time
import urllib.error
import urllib.request

APPLY_TIMEOUT = 20.0  # seconds; the file watcher polls each second, the machine is shared


class Reloader(threading.Thread):
    """Writes the other config over the config file each `interval`. Every second reload also
    sends SIGHUP (which reopens the access log too); the others are found by the file watcher.
    After each, waits until the gateway's answers carry the new config's X-Soak-Config."""

    def __init__(self, gateway, texts, probe_url, interval, end_time):
        super().__init__(name="reloader", daemon=True)
        self.gateway = gateway
        self.texts = texts  # variant -> config text; the file holds the first one at start
        self.probe_url = probe_url
        self.interval = interval
        self.end_time = end_time
        self.stopping = threading.Event()
        self.requested = 0
        self.confirmed_times = []  # when each reload was seen to apply
        self.not_applied = []  # (seconds since start, variant) of reloads never seen to apply
        self.apply_seconds = []
        self.failure = None

    def run(self):
        variants = list(self.texts)
        try:
            while not self.stopping.wait(self.interval) and time.time() < self.end_time:
                variant = variants[(self.requested + 1) % len(variants)]
                self.write(self.texts[variant])
                if self.requested % 2 == 1:
                    self.gateway.sighup()
                self.requested += 1
                started = time.monotonic()
                if self.wait_applied(variant):
                    self.confirmed_times.append(time.time())
                    self.apply_seconds.append(time.monotonic() - started)
                else:
                    self.not_applied.append((time.time(), variant))
        except Exception as error:  # reported by the soak, which then fails
            self.failure = "reloader: %s" % error

    @property
    def confirmed(self):
        return len(self.confirmed_times)

    def stop(self):
        self.stopping.set()

    def write(self, text):
        # Written beside and renamed, so that the watcher never reads half a file.
        path = self.gateway.config_path
        partial = path.with_suffix(".partial")
        partial.write_text(text)
        os.replace(partial, path)

    def served_by(self):
        try:
            with urllib.request.urlopen(self.probe_url, timeout=5) as answer:
                return answer.headers.get("X-Soak-Config")
        except urllib.error.HTTPError as error:  # an error answer carries the header too
            return error.headers.get("X-Soak-Config")
        except OSError:
            return None

    def wait_applied(self, variant):
        # Also when the soak is stopping: the gateway still runs, and the last reload, written
        # just before the end, must apply like the others.
        deadline = time.monotonic() + APPLY_TIMEOUT
        while time.monotonic() < deadline:
            if self.served_by() == variant:
                return True
            time.sleep(0.1)
        return self.served_by() == variant


class BackendRestarter(threading.Thread):
    """Kills the demo backend (SIGKILL, as a crash) every `interval`, and starts it again after
    `down_seconds`. `windows` holds (killed at, serving again at) of each restart."""

    def __init__(self, backend, interval, down_seconds, end_time):
        super().__init__(name="backend-restarter", daemon=True)
        self.backend = backend
        self.interval = interval
        self.down_seconds = down_seconds
        self.end_time = end_time
        self.stopping = threading.Event()
        self.windows = []
        self.failure = None

    def run(self):
        try:
            while not self.stopping.wait(self.interval) and \
                    time.time() + self.down_seconds < self.end_time:
                killed = time.time()
                self.backend.kill()
                time.sleep(self.down_seconds)
                self.backend.start()
                self.windows.append((killed, time.time()))
        except Exception as error:  # reported by the soak, which then fails
            self.failure = "backend restarter: %s" % error

    def stop(self):
        self.stopping.set()

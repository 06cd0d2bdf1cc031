"""A load driven by wrk (wrk_load.lua): runs wrk in segments until the end of the soak, and adds
each segment's answers to the load's tally. Segments end and start connections too, so a kept-alive
connection lives one segment (a minute by default, across several reloads)."""

import os
import re
import subprocess
import threading
import time
from pathlib import Path

LUA = Path(__file__).resolve().parent / "wrk_load.lua"
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(output, tally, end_second):
    """Adds wrk's counted answers and socket errors to `tally`; the socket errors are put at the
    segment's last second (wrk does not say when they happened)."""
    for line in output.splitlines():
        if line.startswith("count "):
            _, second, status, config, count = line.split()
            tally.add(second, status, int(count), None if config == "-" else config)
    errors = SOCKET_ERRORS.search(output)
    if errors:
        for kind, count in zip(("connect", "read", "write", "timeout"), errors.groups()):
            if int(count):
                tally.add(end_second, "socket:" + kind, int(count))


class WrkLoad(threading.Thread):
    def __init__(self, tally, base_url, request_lines, workdir, connections, delay_ms, end_time,
                 segment_seconds, extra_headers=()):
        super().__init__(name="wrk-" + tally.name, daemon=True)
        self.tally = tally
        self.base_url = base_url
        self.requests_file = Path(workdir) / ("requests-%s.txt" % tally.name)
        self.requests_file.write_text("".join("\t".join(line) + "\n" for line in request_lines))
        self.log_path = Path(workdir) / ("wrk-%s.log" % tally.name)
        self.connections = connections
        self.delay_ms = delay_ms
        self.end_time = end_time
        self.segment_seconds = segment_seconds
        self.extra_headers = extra_headers
        self.stopping = threading.Event()
        self.process = None
        self.failure = None

    def run(self):
        try:
            while not self.stopping.is_set():
                seconds = int(min(self.segment_seconds, self.end_time - time.time()))
                if seconds < 1:
                    return
                self.run_segment(seconds)
        except Exception as error:  # reported by the soak, which then fails
            self.failure = "%s: %s" % (self.name, error)

    def run_segment(self, seconds):
        command = ["wrk", "-t1", "-c%d" % self.connections, "-d%ds" % seconds, "--timeout", "10s",
                   "-s", str(LUA)]
        for header in self.extra_headers:
            command += ["-H", header]
        command.append(self.base_url)
        env = dict(os.environ, SOAK_REQUESTS=str(self.requests_file),
                   SOAK_DELAY_MS=str(self.delay_ms))
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=env)
        output, _ = self.process.communicate()
        with open(self.log_path, "a") as log:
            log.write(output)
        if self.process.returncode != 0:
            if self.stopping.is_set():
                return
            raise RuntimeError("wrk exited with %d:\n%s" % (self.process.returncode,
                                                              output[-2000:]))
        parse_wrk(output, self.tally, time.time())

    def stop(self):
        """Cuts the running segment short; what it counted until then is lost."""
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

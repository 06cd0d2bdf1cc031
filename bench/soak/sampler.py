"""Samples the gateway's resident memory, open file descriptors and threads every few seconds."""

import threading
import time
from dataclasses import dataclass

from processes import process_usage


@dataclass
class Sample:
    time: float  # time.time()
    rss_kib: int
    fds: int
    threads: int


class Sampler(threading.Thread):
    def __init__(self, gateway, interval):
        super().__init__(name="sampler", daemon=True)
        self.gateway = gateway
        self.interval = interval
        self.stopping = threading.Event()
        self.samples = []
        self.crashed = threading.Event()

    def take(self):
        """One sample now; None (and `crashed` set) if the gateway is gone."""
        if not self.gateway.alive():
            self.crashed.set()
            return None
        try:
            sample = Sample(time.time(), *process_usage(self.gateway.pid))
        except OSError:  # exited between the check and the read
            self.crashed.set()
            return None
        self.samples.append(sample)
        return sample

    def stop(self):
        self.stopping.set()

    def run(self):
        while self.take() is not None and not self.stopping.wait(self.interval):
            pass


def settle(gateway, fds, timeout):
    """Waits until the gateway holds no more than `fds` descriptors; the last Sample, and
    whether it got there."""
    deadline = time.monotonic() + timeout
    while True:
        if not gateway.alive():
            return None, False
        sample = Sample(time.time(), *process_usage(gateway.pid))
        if sample.fds <= fds or time.monotonic() > deadline:
            return sample, sample.fds <= fds
        time.sleep(0.5)

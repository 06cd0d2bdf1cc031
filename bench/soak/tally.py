"""What one load saw: its answers counted by the second they arrived and by outcome, an outcome
being a status code ("200", "503") or a client-side error ("error:ConnectionResetError",
"socket:timeout", "bad-body")."""

import threading
from collections import Counter, defaultdict

SUCCESS = "200"
# What the gateway answers while a backend is away: no endpoint (503), a broken or refused
# connection (502), no response in time (504).
BACKEND_DOWN_STATUSES = {"502", "503", "504"}


class Tally:
    def __init__(self, name, description, meets_restarts):
        self.name = name
        self.description = description
        # Whether this load's backend is the one restarted: only then are errors expected, and
        # only within a restart window.
        self.meets_restarts = meets_restarts
        self._lock = threading.Lock()
        self._by_second = defaultdict(Counter)
        self._configs = Counter()

    def add(self, second, outcome, count=1, config=None):
        with self._lock:
            self._by_second[int(second)][outcome] += count
            if config:
                self._configs[config] += count

    def by_second(self):
        with self._lock:
            return {second: Counter(outcomes) for second, outcomes in self._by_second.items()}

    def configs(self):
        with self._lock:
            return Counter(self._configs)


def is_expected_failure(tally, outcome, in_restart_window):
    """A failure the soak provokes on purpose: the restarted backend's load, while it is away."""
    if not (tally.meets_restarts and in_restart_window):
        return False
    return outcome in BACKEND_DOWN_STATUSES or outcome.startswith("error:")

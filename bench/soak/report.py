"""The soak's judgement and what it prints: growth of memory and descriptors after warm-up, the
outcomes of every load (expected failures only while the restarted backend was away), a summary
table over time, and the samples as CSV."""

import csv
from collections import Counter
from dataclasses import dataclass

from tally import SUCCESS, is_expected_failure

MIB = 1024


@dataclass
class Bounds:
    warmup_fraction: float
    rss_slack_kib: int
    fd_slack: int


@dataclass
class LoadOutcome:
    tally: object
    outcomes: Counter  # outcome -> count, over the whole run
    expected: int  # failures while the restarted backend was away
    unexpected: Counter  # outcome -> count, failures the soak did not provoke
    successes_by_second: Counter

    @property
    def total(self):
        return sum(self.outcomes.values())


def restart_seconds(windows, grace):
    """Every whole second within a restart window: from the kill until `grace` seconds after the
    backend listened again (its endpoint may still be suspended or marked down until then)."""
    seconds = set()
    for killed, serving in windows:
        seconds.update(range(int(killed), int(serving + grace) + 1))
    return seconds


def judge_load(tally, in_window):
    outcomes = Counter()
    unexpected = Counter()
    successes = Counter()
    expected = 0
    for second, counted in tally.by_second().items():
        for outcome, count in counted.items():
            outcomes[outcome] += count
            if outcome == SUCCESS:
                successes[second] += count
            elif is_expected_failure(tally, outcome, second in in_window):
                expected += count
            else:
                unexpected[outcome] += count
    return LoadOutcome(tally, outcomes, expected, unexpected, successes)


def stalled_minutes(load, start, end):
    """Minutes of the run (whole ones) in which the load had not one success."""
    stalls = []
    minute = int(start)
    while minute + 60 <= end:
        if not any(load.successes_by_second[s] for s in range(minute, minute + 60)):
            stalls.append((minute - start) / 60)
        minute += 60
    return stalls


def growth(samples, warmup_end, field):
    """(max during warm-up, max after it) of a sample field."""
    warm = [getattr(s, field) for s in samples if s.time <= warmup_end]
    after = [getattr(s, field) for s in samples if s.time > warmup_end]
    return max(warm), max(after) if after else None


def trend_per_hour(samples, warmup_end, field):
    """Least-squares slope of a field after warm-up, per hour; None with fewer than 2 samples."""
    points = [(s.time, getattr(s, field)) for s in samples if s.time > warmup_end]
    if len(points) < 2:
        return None
    mean_t = sum(t for t, _ in points) / len(points)
    mean_v = sum(v for _, v in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread * 3600


def fmt_time(seconds):
    return "%d:%02d" % divmod(int(round(seconds)), 60)


def print_timeline(samples, loads, start, rows=15):
    """RSS, descriptors and each load's requests/s, over about `rows` equal stretches."""
    step = max(1, -(-len(samples) // rows))
    picked = samples[::step]
    if picked[-1] is not samples[-1]:
        picked.append(samples[-1])
    names = [load.tally.name for load in loads]
    print("%7s %9s %5s %4s  %s  %s" % ("time", "RSS MiB", "fds", "thr",
                                       " ".join("%9s" % n for n in names), "failed"))
    previous = start
    by_second = {load.tally.name: load.tally.by_second() for load in loads}
    for sample in picked:
        seconds = range(int(previous), int(sample.time))
        rates, failed = [], 0
        for load in loads:
            counted = Counter()
            for s in seconds:
                counted.update(by_second[load.tally.name].get(s, {}))
            rates.append(sum(counted.values()) / max(sample.time - previous, 1))
            failed += sum(n for outcome, n in counted.items() if outcome != SUCCESS)
        print("%7s %9.1f %5d %4d  %s  %6d" % (
            fmt_time(sample.time - start), sample.rss_kib / MIB, sample.fds, sample.threads,
            " ".join("%9.1f" % r for r in rates), failed))
        previous = sample.time


def print_loads(loads):
    print("Loads:")
    for load in loads:
        print("  %-8s %s" % (load.tally.name, load.tally.description))


def print_outcomes(loads, duration):
    """Each load's requests, its outcomes by status or error, the failures provoked by the
    backend's restarts and the others, and how many answers each config gave."""
    print("%-8s %9s %7s  %-34s %8s %10s  %s" % ("load", "requests", "req/s", "outcomes",
                                               "expected", "unexpected", "by config a / b"))
    for load in loads:
        outcomes = ", ".join("%s: %d" % item for item in sorted(load.outcomes.items()))
        configs = load.tally.configs()
        print("%-8s %9d %7.1f  %-34s %8d %10d  %d / %d" % (
            load.tally.name, load.total, load.total / duration, outcomes, load.expected,
            sum(load.unexpected.values()), configs["a"], configs["b"]))


def write_csv(path, samples, loads, start, reload_times, restart_windows):
    by_second = {load.tally.name: load.tally.by_second() for load in loads}
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        header = ["seconds", "rss_kib", "fds", "threads"]
        for load in loads:
            header += [load.tally.name + "_requests", load.tally.name + "_failed"]
        writer.writerow(header + ["reloads_applied", "backend_restarts"])
        previous = start
        for sample in samples:
            row = [round(sample.time - start, 1), sample.rss_kib, sample.fds, sample.threads]
            for load in loads:
                counted = Counter()
                for s in range(int(previous), int(sample.time)):
                    counted.update(by_second[load.tally.name].get(s, {}))
                row += [sum(counted.values()),
                        sum(n for outcome, n in counted.items() if outcome != SUCCESS)]
            row += [sum(1 for t in reload_times if t <= sample.time),
                    sum(1 for killed, _ in restart_windows if killed <= sample.time)]
            writer.writerow(row)
            previous = sample.time


def judge(samples, loads, start, end, bounds, failures):
    """Appends to `failures` what the samples and loads break; prints the figures."""
    warmup_end = start + bounds.warmup_fraction * (end - start)
    print()
    print("Gateway memory and descriptors (warm-up: the first %d%%, until %s)" % (
        round(bounds.warmup_fraction * 100), fmt_time(warmup_end - start)))
    for field, name, show, slack in (
            ("rss_kib", "RSS", lambda kib: "%.1f MiB" % (kib / MIB), bounds.rss_slack_kib),
            ("fds", "fds", lambda n: "%.0f" % n, bounds.fd_slack)):
        warm_max, after_max = growth(samples, warmup_end, field)
        values = [getattr(s, field) for s in samples]
        trend = trend_per_hour(samples, warmup_end, field)
        print("  %-3s start %s, warm-up max %s, end %s, max %s (bound: +%s); after warm-up %s "
              "an hour" % (name, show(values[0]), show(warm_max), show(values[-1]),
                           show(max(values)), show(slack),
                           "-" if trend is None else ("+" if trend >= 0 else "") + show(trend)))
        if after_max is None:
            failures.append("no sample after warm-up: the run is too short to judge growth")
        elif after_max > warm_max + slack:
            failures.append("%s grew after warm-up: max %s against %s during warm-up (bound +%s)"
                            % (name, show(after_max), show(warm_max), show(slack)))
    for load in loads:
        name = load.tally.name
        if load.total == 0:
            failures.append("load %s made no request" % name)
            continue
        if load.unexpected:
            should_succeed = load.total - load.expected
            failures.append("load %s: %d of the %d requests that should have succeeded failed "
                            "(%s)" % (name, sum(load.unexpected.values()), should_succeed,
                                      ", ".join("%s: %d" % item
                                                for item in sorted(load.unexpected.items()))))
        stalls = stalled_minutes(load, start, end)
        if stalls:
            failures.append("load %s: no success in the minute(s) starting at %s" % (
                name, ", ".join(fmt_time(m * 60) for m in stalls)))

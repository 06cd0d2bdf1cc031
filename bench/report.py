#!/usr/bin/env python3
"""Summarises the wrk runs of bench/run: median requests/s, p50 and p99 per peer over the
alternating rounds, and the ratios of Gatehouse to its reference peer.

Each ratio is given twice. Once as the ratio of the peers' medians, and once round by round: a
round runs every peer back to back, so the ratio within a round is taken while the machine is at
one speed. The median of those per-round ratios, with their lowest and highest, says how far a
ratio can be trusted on a machine whose speed drifts between rounds.

A round whose wrk run got any non-2xx/3xx response is invalid: it measured refusals or failures,
not the path under test. It is left out of the medians and the ratios, and the peer's row says so;
a peer with no valid round has no figures at all.

Input layout: DIR/<scenario>/<peer>.<round>.txt, each the output of `wrk --latency`. In the
throttling scenarios bench/run appends to it a line `gateway: cpu_seconds=S` (the gateway's CPU
time during the run) and, to the exact-mode runs, a line `redis: cmdstat_evalsha:calls=...,usec=...
cpu_seconds=S` (Redis's scripts during the run and its CPU time). They also hold
DIR/throttling-<workers>/redis-benchmark-c<clients>-P<pipeline>.<round>.csv, each the `--csv`
output of a redis-benchmark run of the exact-mode gateway's own EVALSHA, with the same `redis:`
line (bench/redis_evalsha.py).

Usage: report.py DIR [CORES], CORES the machine's core count, for the text of the throttling rows.
"""

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(text):
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    errors = re.search(r"Socket errors: (.*)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    requests = re.search(r"^\s*(\d+) requests in ", text, re.M)
    if not (rps and p50 and p99):
        return None
    return {
        "rps": float(rps.group(1)),
        "p50": float(p50.group(1)) * UNITS_MS[p50.group(2)],
        "p99": float(p99.group(1)) * UNITS_MS[p99.group(2)],
        "errors": errors.group(1).strip() if errors else "",
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "requests": int(requests.group(1)) if requests else None,
        "redis": parse_redis(text),
        "cpu": parse_gateway_cpu(text),
    }


def parse_gateway_cpu(text):
    """The `gateway: cpu_seconds=S` line bench/run appends (the gateway's CPU time during the
    run, user and system), or None."""
    found = re.search(r"^gateway: cpu_seconds=([\d.]+)", text, re.M)
    return float(found.group(1)) if found else None


def parse_redis(text):
    """The `redis: cmdstat_evalsha:calls=N,usec=U,...` line bench/run appends, or None."""
    found = re.search(
        r"^redis: cmdstat_evalsha:calls=(\d+),usec=(\d+)\S*(?: cpu_seconds=([\d.]+))?", text, re.M)
    if not found:
        return None
    return {"calls": int(found.group(1)), "usec": int(found.group(2)),
            "cpu": float(found.group(3)) if found.group(3) else None}


def parse_redis_benchmark(text):
    """redis-benchmark --csv: the requests per second of its one test, and the `redis:` line."""
    found = re.search(r'^"evalsha[^"]*","([\d.]+)"', text, re.M | re.I)
    if not found:
        return None
    return {"rps": float(found.group(1)), "redis": parse_redis(text)}


def load(directory, pattern="*/*.txt", parse=parse_wrk):
    runs = defaultdict(lambda: defaultdict(dict))  # scenario -> peer -> {round: result}
    for path in sorted(Path(directory).glob(pattern)):
        peer, round_number, _ = path.name.rsplit(".", 2)
        result = parse(path.read_text())
        if result is None:
            print("warning: could not parse %s" % path, file=sys.stderr)
            continue
        runs[path.parent.name][peer][int(round_number)] = result
    return runs


def valid_rounds(peers):
    """Each peer's rounds without a non-2xx/3xx response."""
    return {peer: {n: r for n, r in results.items() if not r["non_2xx"]}
            for peer, results in peers.items()}


def median(results, key):
    return statistics.median(r[key] for r in results.values())


def per_round(subject, reference, key):
    """The ratio subject/reference within each round both peers ran, in round order."""
    return [subject[n][key] / reference[n][key] for n in sorted(subject) if n in reference]


def spread(ratios):
    return "%.2f (%.2f-%.2f)" % (statistics.median(ratios), min(ratios), max(ratios))


def print_ratio(peers, subject, reference, note=""):
    """peers: the valid rounds only. A peer without one has no ratio."""
    if not peers.get(reference) or not peers.get(subject):
        if reference in peers and subject in peers:
            print("  ratio %s/%s: none, no valid round of %s" % (
                subject, reference, subject if not peers[subject] else reference))
        return
    ref, sub = peers[reference], peers[subject]
    print("  ratio %s/%s: req/s %.2f, p50 %.2f, p99 %.2f (below 1.0 is faster for p50/p99)%s" % (
        subject, reference, median(sub, "rps") / median(ref, "rps"),
        median(sub, "p50") / median(ref, "p50"), median(sub, "p99") / median(ref, "p99"), note))
    rps_by_round = per_round(sub, ref, "rps")
    if len(rps_by_round) > 1:
        print("    round by round, median (lowest-highest): req/s %s, p99 %s" % (
            spread(rps_by_round), spread(per_round(sub, ref, "p99"))))


def print_scenario(title, peers, ratios):
    """ratios: (subject, reference, note) triples, printed when both peers ran."""
    print(title)
    print("  %-22s %12s %10s %10s %7s  %s" % ("peer", "req/s", "p50 ms", "p99 ms", "rounds",
                                              "errors"))
    valid = valid_rounds(peers)
    for peer, results in peers.items():
        rounds = results.values()
        errors = sorted({r["errors"] for r in rounds if r["errors"]})
        invalid = sorted(r["non_2xx"] for r in rounds if r["non_2xx"])
        if invalid:
            errors.append("INVALID: %d of %d rounds got non-2xx responses (%s), left out" % (
                len(invalid), len(results), ", ".join(str(n) for n in invalid)))
        good = valid[peer]
        if good:
            print("  %-22s %12.0f %10.3f %10.3f %7d  %s" % (
                peer, median(good, "rps"), median(good, "p50"), median(good, "p99"),
                len(good), "; ".join(errors) or "-"))
        else:
            print("  %-22s %12s %10s %10s %7d  %s" % (peer, "invalid", "-", "-", 0,
                                                      "; ".join(errors)))
    for subject, reference, note in ratios:
        print_ratio(valid, subject, reference, note)
    print()


# Throttling: the secured API without throttling, and with a subscription tier, an application
# tier and an API policy counted on every request, in each way the gateway can count them, in
# bench/run's order; each mode's target for its req/s over the secured API's, or a note.
THROTTLING_REFERENCE = "secured"
THROTTLING_RATIOS = [("throttled-local", "; target req/s >= 0.97"),
                     ("throttled-exact", "; one Redis round trip each"),
                     ("throttled-lease", "; target req/s >= 0.95"),
                     ("throttled-fast", "; target req/s >= 0.90")]


def print_cpu_per_request(valid, reference, subjects):
    """The gateway's CPU per request (us, user and system) of each peer, and the reference's over
    the subject's, round by round: the request rate the subject would keep where the gateway's
    CPU is the limit. It drifts much less than requests/s when other processes share the cores."""
    per_request = {
        peer: {n: {"us": r["cpu"] * 1e6 / r["requests"]} for n, r in results.items()
               if r["cpu"] is not None and r["requests"]}
        for peer, results in valid.items()}
    ref = per_request.get(reference)
    if not ref:
        return False
    print("  Gateway CPU per request (user+system), median of rounds; then %s's CPU per request"
          % reference)
    print("  over the peer's, round by round, median (lowest-highest): the req/s ratio where the")
    print("  gateway's CPU is the limit; less swayed than req/s by other processes on the cores")
    print("    %-22s %7.1f us" % (reference, median(ref, "us")))
    for subject in subjects:
        sub = per_request.get(subject)
        if sub:
            by_round = per_round(ref, sub, "us")
            print("    %-22s %7.1f us  %s" % (subject, median(sub, "us"),
                                             spread(by_round) if by_round else "-"))
    return True


def redis_use(redis, rps):
    """Per run: Redis's microseconds per script, and its CPU time (user and system, scripts and
    networking) as a share of one core over the run, None when not recorded."""
    seconds = redis["calls"] / rps if rps else 0
    cpu = redis["cpu"] / seconds if redis["cpu"] is not None and seconds else None
    return {"us": redis["usec"] / max(1, redis["calls"]), "cpu": cpu}


def print_decisions(workers, valid, baselines, cores):
    """Decisions per second of the exact-mode gateway against redis-benchmark sending its call to
    the same Redis, round by round."""
    exact = valid.get("throttled-exact", {})
    print("Decisions per second: exact mode vs redis-benchmark sending the gateway's EVALSHA to "
          "the same Redis, %s worker(s)" % workers)
    print("  %-40s %12s %13s %12s %7s" % ("source", "decisions/s", "Redis us/call", "Redis CPU",
                                          "rounds"))
    rows, labels = {}, {}
    counted = {n: r for n, r in exact.items() if r["redis"] and r["requests"]}
    if counted:
        # Decisions: the scripts Redis ran during the wrk run, per second of it.
        rows["exact"] = {n: dict(rps=r["rps"] * r["redis"]["calls"] / r["requests"],
                                 **redis_use(r["redis"], r["rps"] * r["redis"]["calls"]
                                             / r["requests"]))
                         for n, r in counted.items()}
        labels["exact"] = "gatehouse exact (%.2f scripts/request)" % statistics.median(
            r["redis"]["calls"] / r["requests"] for r in counted.values())
    for name, runs in sorted(baselines.items(), key=lambda item: baseline_order(item[0])):
        rows[name] = {n: dict(rps=r["rps"], **redis_use(r["redis"], r["rps"]))
                      for n, r in runs.items() if r["redis"]}
        labels[name] = baseline_label(name)
    for name, runs in rows.items():
        if not runs:
            continue
        cpu = [r["cpu"] for r in runs.values() if r["cpu"] is not None]
        print("  %-40s %12.0f %13.1f %12s %7d" % (
            labels[name], median(runs, "rps"), median(runs, "us"),
            "%.0f%%" % (100 * statistics.median(cpu)) if cpu else "-", len(runs)))
    exact_rows = rows.get("exact")
    for name, runs in rows.items():
        if name == "exact" or not exact_rows or not runs:
            continue
        by_round = per_round(exact_rows, runs, "rps")
        print("  ratio gatehouse exact/%s: decisions/s %.2f%s" % (
            labels[name], median(exact_rows, "rps") / median(runs, "rps"),
            ", round by round %s" % spread(by_round) if len(by_round) > 1 else ""))
    if not exact_rows:
        print("  no valid exact-mode round with Redis's count of its scripts")
    if not any(rows.get(name) for name in baselines):
        print("  no redis-benchmark run (redis-benchmark missing, or its runs failed)")
    for line in DECISIONS_NOTE:
        print("  " + line.replace("@CORES@", cores))


DECISIONS_NOTE = """\
How to read it: each exact-mode request is one decision, one EVALSHA of the gateway's script
deciding its 3 counts (fixed windows: a GET, an INCR and a PEXPIREAT each) in one round trip;
Redis's count of its scripts during each wrk run gives the gateway's decisions/s.
redis-benchmark sends the very call the gateway sent for one request (taken from Redis: the
script's digest, the keys and the arguments) to the same Redis and does nothing else: its figure
is what this Redis decides on this machine (-P 1: one command in flight per client; -P 16: 16 in
flight each, nearer the gateway, which pipelines each worker's decisions on one connection). The
gateway's decisions are whole HTTP requests: wrk, the gateway (token check, routing, throttling,
proxying), the nginx backend and Redis share the same @CORES@ cores, so its figure is bounded by
the whole request, not by Redis, and a ratio below 1 is not a cost of the Redis client alone.
Redis us/call is the script's time inside Redis (the same on every row: the same work per
decision); Redis CPU is the whole redis-server (scripts and network) over the run, in % of one
core: well under 100% means Redis was not the limit.""".splitlines()


def baseline_order(name):
    found = re.fullmatch(r"redis-benchmark-c(\d+)-P(\d+)", name)
    return (0, int(found.group(2))) if found else (1, name)


def baseline_label(name):
    """redis-benchmark-c50-P16 -> redis-benchmark -c 50 -P 16"""
    found = re.fullmatch(r"redis-benchmark-c(\d+)-P(\d+)", name)
    return "redis-benchmark -c %s -P %s" % found.groups() if found else name


def print_throttling(scenario, peers, baselines, cores):
    workers = scenario.split("-", 1)[1]
    order = [THROTTLING_REFERENCE] + [peer for peer, _ in THROTTLING_RATIOS]
    peers = {peer: peers[peer] for peer in sorted(
        peers, key=lambda p: (order.index(p) if p in order else len(order), p))}
    print_scenario("Throttling: subscription, application and API limits on every request of the "
                   "secured API, %s worker(s), median of rounds" % workers, peers,
                   [(peer, THROTTLING_REFERENCE, note) for peer, note in THROTTLING_RATIOS])
    valid = valid_rounds(peers)
    if print_cpu_per_request(valid, THROTTLING_REFERENCE, order[1:]):
        print()
    if "throttled-exact" in peers or baselines:
        print_decisions(workers, valid, baselines, cores)
        print()


KEY_MANAGER_TITLES = {
    "keymanager-token": "Key manager: client_credentials tokens issued (RS256 JWT), one process "
                        "each, median of rounds",
    "keymanager-introspection": "Key manager: introspections of one access token (Gatehouse: JWT; "
                                "oidc-provider: opaque), one process each, median of rounds",
}


def main():
    directory = sys.argv[1]
    cores = sys.argv[2] if len(sys.argv) > 2 else "machine's"
    runs = load(directory)
    baselines = load(directory, "throttling-*/*.csv", parse_redis_benchmark)
    for scenario in sorted(runs):
        peers = runs[scenario]
        if scenario.startswith("proxy-"):
            workers = scenario.split("-", 1)[1]
            print_scenario("Reverse proxy, %s worker(s), median of rounds" % workers, peers,
                           [("gatehouse", "nginx", "")])
        elif scenario == "routing":
            print_scenario("Routing cost: Gatehouse with 10 APIs vs 10,000 APIs", peers,
                           [("gatehouse-10000-apis", "gatehouse-10-apis", "")])
        elif scenario.startswith("security-"):
            workers = scenario.split("-", 1)[1]
            print_scenario("Security: one valid OAuth2 JWT (RS256) on every request, %s worker(s), "
                           "median of rounds" % workers, peers,
                           [("gatehouse-secured", "gatehouse-plain", "; target req/s >= 0.95"),
                            ("gatehouse-secured", "nginx", "")])
        elif scenario.startswith("throttling-"):
            print_throttling(scenario, peers, baselines.get(scenario, {}), cores)
        elif scenario in KEY_MANAGER_TITLES:
            print_scenario(KEY_MANAGER_TITLES[scenario], peers,
                           [("gatehouse", "oidc-provider", "")])
        else:
            print_scenario(scenario, peers, [("gatehouse", "nginx", "")])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Summarises the wrk runs of bench/run: median requests/s, p50 and p99 per peer over the
alternating rounds, and the ratios of Gatehouse to its reference peer.

Each ratio is given twice. Once as the ratio of the peers' medians, and once round by round: a
round runs every peer back to back, so the ratio within a round is taken while the machine is at
one speed. The median of those per-round ratios, with their lowest and highest, says how far a
ratio can be trusted on a machine whose speed drifts between rounds.

Input layout: DIR/<scenario>/<peer>.<round>.txt, each the output of `wrk --latency`.
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
    if not (rps and p50 and p99):
        return None
    return {
        "rps": float(rps.group(1)),
        "p50": float(p50.group(1)) * UNITS_MS[p50.group(2)],
        "p99": float(p99.group(1)) * UNITS_MS[p99.group(2)],
        "errors": errors.group(1).strip() if errors else "",
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def load(directory):
    runs = defaultdict(lambda: defaultdict(dict))  # scenario -> peer -> {round: result}
    for path in sorted(Path(directory).glob("*/*.txt")):
        peer, round_number, _ = path.name.rsplit(".", 2)
        result = parse_wrk(path.read_text())
        if result is None:
            print("warning: could not parse %s" % path, file=sys.stderr)
            continue
        runs[path.parent.name][peer][int(round_number)] = result
    return runs


def median(results, key):
    return statistics.median(r[key] for r in results.values())


def per_round(subject, reference, key):
    """The ratio subject/reference within each round both peers ran, in round order."""
    return [subject[n][key] / reference[n][key] for n in sorted(subject) if n in reference]


def spread(ratios):
    return "%.2f (%.2f-%.2f)" % (statistics.median(ratios), min(ratios), max(ratios))


def print_ratio(peers, subject, reference, note=""):
    if reference not in peers or subject not in peers:
        return
    ref, sub = peers[reference], peers[subject]
    if any(r["non_2xx"] for r in list(ref.values()) + list(sub.values())):
        note += "; INVALID: non-2xx answers, this measured refusals"
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
    for peer, results in peers.items():
        rounds = results.values()
        errors = "; ".join(sorted({r["errors"] for r in rounds if r["errors"]} |
                                  {"%d non-2xx" % r["non_2xx"] for r in rounds if r["non_2xx"]}))
        print("  %-22s %12.0f %10.3f %10.3f %7d  %s" % (
            peer, median(results, "rps"), median(results, "p50"), median(results, "p99"),
            len(results), errors or "-"))
    for subject, reference, note in ratios:
        print_ratio(peers, subject, reference, note)
    print()


def main():
    directory = sys.argv[1]
    runs = load(directory)
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
            workers = scenario.split("-", 1)[1]
            print_scenario("Throttling: subscription, application and API limits on every "
                           "request of the secured API, %s worker(s), median of rounds" % workers,
                           peers,
                           [("throttled-local", "secured", "; target req/s >= 0.97"),
                            ("throttled-lease", "secured", "; target req/s >= 0.95"),
                            ("throttled-fast", "secured", "; target req/s >= 0.90"),
                            ("throttled-exact", "secured", "; one Redis round trip each")])
        else:
            print_scenario(scenario, peers, [("gatehouse", "nginx", "")])


if __name__ == "__main__":
    main()

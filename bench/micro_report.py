#!/usr/bin/env python3
"""Prints the security micro-benchmarks of bench/run next to their references and targets.

  micro_report.py verify JOSE_JSON OPENSSL_TXT
      jose_bench's verify/s (decode + signature + claims, one core) for RS256 and ES256, next to
      the bare signature verifications of `openssl speed -mr rsa2048 ecdsap256`, with the ratio.
  micro_report.py subscriptions STORE_JSON
      subscription_store_bench's build time and bytes per subscription, next to their targets.

The JSON files are Google Benchmark's --benchmark_out; targets are printed, never judged.
"""

import json
import re
import sys


def counters(json_path):
    """Benchmark family name (without /min_time:... suffixes) -> its counters."""
    with open(json_path) as f:
        runs = json.load(f)["benchmarks"]
    return {run["name"].split("/")[0]: run for run in runs if run.get("run_type") == "iteration"}


def openssl_verify_per_second(text):
    """From `openssl speed -mr`: +F2 (RSA) and +F4 (ECDSA) lines are `+Fn:i:bits:sign/s:verify/s`."""
    found = {}
    for kind, bits, verify in re.findall(r"^\+F([24]):\d+:(\d+):[\d.]+:([\d.]+)$", text, re.M):
        name = {("2", "2048"): "RS256", ("4", "256"): "ES256"}.get((kind, bits))
        if name:
            found[name] = float(verify)
    return found


def verify(jose_json, openssl_txt):
    ours = counters(jose_json)
    with open(openssl_txt) as f:
        reference = openssl_verify_per_second(f.read())
    print("Cold token verification, one core: jose_bench (decode + verify + claims) vs "
          "openssl speed (signature only)")
    print("  %-6s %14s %14s %7s" % ("alg", "gatehouse/s", "openssl/s", "ratio"))
    for alg, reference_name in (("RS256", "rsa2048"), ("ES256", "ecdsap256")):
        run = ours.get("BM_Verify" + alg)
        mine = run.get("verify/s") if run and not run.get("error_occurred") else None
        theirs = reference.get(alg)
        ratio = "%.2f" % (mine / theirs) if mine and theirs else "-"
        print("  %-6s %14s %14s %7s  (openssl %s)" % (
            alg, "%.0f" % mine if mine else "-", "%.0f" % theirs if theirs else "-", ratio,
            reference_name))
    print()


def subscriptions(store_json):
    run = counters(store_json).get("BM_SubscriptionStoreBuild")
    print("Subscription store at scale")
    if not run or run.get("error_occurred"):
        print("  build failed: %s" % (run or {}).get("error_message", "no result"))
    else:
        print("  %d subscriptions: build %.2f s (target < 10 s), %.0f B/subscription malloc, "
              "%.0f B/subscription RSS (target < 256 B)" % (
                  run["subscriptions"], run["build_s"], run["malloc_B/sub"], run["rss_B/sub"]))
    print()


def main():
    commands = {"verify": verify, "subscriptions": subscriptions}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The baseline of exact mode's decisions in bench/run: redis-benchmark sending a Redis server the
very call an exact-mode gateway sends it for one request, and nothing else.

`capture` watches the Redis server (MONITOR) while it sends one request to an exact-mode gateway,
and prints the EVALSHA the gateway sent for it as a JSON list: the digest of the gateway's decision
script (kDecideScript in src/throttling/shared_counts.cpp), the key count, the keys (for each count,
here a subscription, an application and an API one, the window's key and the previous window's)
and the arguments (seven per count). With --source it warns when that digest is not the one of the
script in that file: a gateway built from other sources, whose script the baseline then runs.

`run` sends that call with redis-benchmark: the script is the one in Redis's cache, put there by
the gateway, so the baseline runs what the gateway runs, with its keys and arguments. It prints
redis-benchmark's --csv output, then Redis's own count of the run's scripts and the CPU time it
took, as the line `redis: cmdstat_evalsha:calls=...,usec=...,... cpu_seconds=...` (Redis's stats
are reset first: nothing else may send that Redis scripts meanwhile)."""

import argparse
import ast
import hashlib
import json
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

SCRIPT = re.compile(r'kDecideScript = R"lua\((.*?)\)lua"', re.S)
# MONITOR prints each command as `<time> [<db> <client>] "arg" "arg" ...`, escaping as C does.
QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def redis_cli(port, *args):
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def capture(args):
    monitor = subprocess.Popen(["redis-cli", "-p", str(args.port), "monitor"],
                               stdout=subprocess.PIPE, text=True)
    # An exact-mode gateway sends its decision before it answers; past this, it sent none.
    timer = threading.Timer(args.timeout, monitor.kill)
    timer.start()
    call = None
    try:
        if monitor.stdout.readline().strip() != "OK":
            sys.exit("redis_evalsha: MONITOR refused on port %d" % args.port)
        headers = dict(header.split(": ", 1) for header in args.header)
        with urllib.request.urlopen(urllib.request.Request(args.url, headers=headers),
                                    timeout=args.timeout) as response:
            response.read()
        for line in monitor.stdout:
            words = [ast.literal_eval(word) for word in QUOTED.findall(line)]
            if words and words[0].upper() == "EVALSHA":
                call = words
                break
    finally:
        timer.cancel()
        monitor.kill()
        monitor.wait()
    if call is None:
        sys.exit("redis_evalsha: no EVALSHA from the gateway at %s within %g s" % (args.url,
                                                                                 args.timeout))
    if args.source:
        found = SCRIPT.search(args.source.read_text())
        if not found:
            sys.exit("redis_evalsha: no kDecideScript in %s" % args.source)
        if hashlib.sha1(found.group(1).encode()).hexdigest() != call[1].lower():
            print("redis_evalsha: warning: the gateway's script is not the one in %s (a build of "
                  "other sources); the baseline runs the gateway's" % args.source, file=sys.stderr)
    print(json.dumps(call))


def evalsha_stats(port):
    for line in redis_cli(port, "info", "commandstats").splitlines():
        if line.startswith("cmdstat_evalsha:"):
            return line.strip()
    return "cmdstat_evalsha:calls=0,usec=0"


def cpu_seconds(port):
    """The Redis process's CPU time so far, user and system."""
    total = 0.0
    for line in redis_cli(port, "info", "cpu").splitlines():
        name, _, value = line.strip().partition(":")
        if name in ("used_cpu_sys", "used_cpu_user"):
            total += float(value)
    return total


def run(args):
    call = json.loads(args.call.read_text())
    if redis_cli(args.port, "script", "exists", call[1]) != "1":
        sys.exit("redis_evalsha: script %s is not in the cache of the Redis on port %d" % (
            call[1], args.port))
    redis_cli(args.port, "config", "resetstat")
    cpu_before = cpu_seconds(args.port)
    result = subprocess.run(
        ["redis-benchmark", "-p", str(args.port), "-n", str(args.requests), "-c", str(args.clients),
         "-P", str(args.pipeline), "--csv", *call], capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(result.returncode)
    print("redis: %s cpu_seconds=%.3f" % (evalsha_stats(args.port),
                                          cpu_seconds(args.port) - cpu_before))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("capture", help="print the EVALSHA a gateway sends for a request")
    take.add_argument("--port", type=int, required=True, help="the Redis server's, on loopback")
    take.add_argument("--url", required=True, help="a URL of the exact-mode gateway")
    take.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    take.add_argument("--source", type=Path,
                      help="src/throttling/shared_counts.cpp, to compare the script with")
    take.add_argument("--timeout", type=float, default=5.0, help="seconds")
    send = commands.add_parser("run", help="send a captured EVALSHA with redis-benchmark")
    send.add_argument("--port", type=int, required=True, help="the Redis server's, on loopback")
    send.add_argument("--call", type=Path, required=True, help="the output of `capture`")
    send.add_argument("--requests", type=int, default=200000)
    send.add_argument("--clients", type=int, default=50)
    send.add_argument("--pipeline", type=int, default=1)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args)
    else:
        run(args)


if __name__ == "__main__":
    main()

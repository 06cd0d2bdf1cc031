"""bench/report.py, the summary `make bench` prints: medians per peer and Gatehouse/nginx ratios,
both of the medians and round by round; rounds with non-2xx responses left out as invalid; the
throttling rows, the gateway's CPU per request, and exact mode's decisions per second against
redis-benchmark sending the gateway's call."""

import subprocess
import sys
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "bench" / "report.py"

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:1/bench/1.0.0/menu
  1 threads and 50 connections
  Latency Distribution
     50%  {p50}ms
     75%    2.00ms
     90%    2.50ms
     99%  {p99}ms
  100000 requests in 10.00s, 20.00MB read
Requests/sec:  {rps}
Transfer/sec:      2.00MB
"""


def write_round(directory, peer, round_number, rps, p50, p99, scenario="proxy-2", non_2xx=0):
    path = directory / scenario / ("%s.%d.txt" % (peer, round_number))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = WRK_OUTPUT.format(rps=rps, p50=p50, p99=p99)
    if non_2xx:
        # Where wrk writes it: after the totals, before Requests/sec.
        text = text.replace("Requests/sec:", "  Non-2xx or 3xx responses: %d\nRequests/sec:" % non_2xx)
    path.write_text(text)


def report(directory, *arguments):
    return subprocess.run([sys.executable, str(REPORT), str(directory), *arguments],
                          capture_output=True, text=True, check=True).stdout


def test_ratios_of_medians_and_round_by_round(tmp_path):
    # The machine halves its speed in round 2 and recovers in round 3 (rounds 10 and 11 check
    # that rounds are told apart by number, not by sorting their file names). Within each round
    # Gatehouse does 10% better than nginx, whatever the speed.
    speeds = {1: 1.0, 2: 0.5, 3: 1.0, 10: 1.0, 11: 0.5}
    for number, speed in speeds.items():
        write_round(tmp_path, "gatehouse", number, 11000 * speed, 1.5, 3.0 / speed)
        write_round(tmp_path, "nginx", number, 10000 * speed, 1.5, 4.0 / speed)

    out = report(tmp_path)

    assert "Reverse proxy, 2 worker(s), median of rounds" in out
    assert "gatehouse                     11000      1.500      3.000       5  -" in out
    assert "ratio gatehouse/nginx: req/s 1.10, p50 1.00, p99 0.75" in out
    assert ("round by round, median (lowest-highest): req/s 1.10 (1.10-1.10), "
            "p99 0.75 (0.75-0.75)") in out


def test_round_by_round_shows_the_spread(tmp_path):
    for number, (gatehouse_rps, nginx_rps) in enumerate([(9000, 10000), (12000, 10000),
                                                         (10500, 10000)], start=1):
        write_round(tmp_path, "gatehouse", number, gatehouse_rps, 1.5, 3.0)
        write_round(tmp_path, "nginx", number, nginx_rps, 1.5, 3.0)

    out = report(tmp_path)

    assert "round by round, median (lowest-highest): req/s 1.05 (0.90-1.20), p99 1.00" in out


def test_a_single_round_has_no_round_by_round_line(tmp_path):
    write_round(tmp_path, "gatehouse", 1, 11000, 1.5, 3.0)
    write_round(tmp_path, "nginx", 1, 10000, 1.5, 3.0)

    out = report(tmp_path)

    assert "ratio gatehouse/nginx: req/s 1.10" in out
    assert "round by round" not in out


def row(out, peer):
    return next(line for line in out.splitlines() if line.startswith("  %s " % peer))


def test_a_round_with_non_2xx_responses_is_invalid_and_left_out(tmp_path):
    # Round 2 of Gatehouse got 429s: its 50000 req/s measured refusals and must not count.
    for number, rps in [(1, 11000), (2, 50000), (3, 11000)]:
        write_round(tmp_path, "gatehouse", number, rps, 1.5, 3.0,
                    non_2xx=123456 if number == 2 else 0)
        write_round(tmp_path, "nginx", number, 10000, 1.5, 3.0)

    out = report(tmp_path)

    line = row(out, "gatehouse")
    assert "11000" in line and "50000" not in line
    assert line.split()[4] == "2"  # rounds counted
    assert "INVALID: 1 of 3 rounds got non-2xx responses (123456), left out" in line
    assert "ratio gatehouse/nginx: req/s 1.10" in out
    assert "round by round, median (lowest-highest): req/s 1.10 (1.10-1.10)" in out


def test_a_peer_without_a_valid_round_has_no_figures(tmp_path):
    for number in (1, 2):
        write_round(tmp_path, "gatehouse", number, 30000, 1.5, 3.0, scenario="proxy-1",
                    non_2xx=123)
        write_round(tmp_path, "nginx", number, 10000, 1.5, 3.0, scenario="proxy-1")

    out = report(tmp_path)

    line = row(out, "gatehouse")
    assert line.split()[1:5] == ["invalid", "-", "-", "0"]
    assert "30000" not in out
    assert "ratio gatehouse/nginx: none, no valid round of gatehouse" in out


# Fractions of the secured API's requests/s (WRK_OUTPUT: 100000 requests a run) and the gateway's
# CPU time per request, in microseconds, of each throttling peer.
THROTTLING = {"secured": (1.0, 10.0), "throttled-local": (0.98, 11.0),
              "throttled-exact": (0.4, 20.0), "throttled-lease": (0.96, 12.5),
              "throttled-fast": (0.93, 11.0)}

REDIS_BENCHMARK_CSV = (
    '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms",'
    '"p99_latency_ms","max_latency_ms"\n'
    # The call as bench/redis_evalsha.py takes it from MONITOR: the command as the gateway wrote it.
    '"EVALSHA b7cb6d6249a16d1f58566f729307cf50adbff584 6 gh:0123456789abcdef:1h:493000 '
    'gh:0123456789abcdef:1h:492999 r 1000000000000 0.000000 1 1775000000000 1000 1",'
    '"{rps}","2.6","0.1","1.6","6.4","9.7","166.9"\n'
    "redis: cmdstat_evalsha:calls={calls},usec={usec},usec_per_call=15.00,rejected_calls=0,"
    "failed_calls=0 cpu_seconds={cpu}\n")


def write_throttling(directory, non_2xx_peer=None, baseline=True):
    """Three rounds of the throttling scenario, 1 worker, as bench/run leaves them: the modes at
    fixed fractions of the secured API; the gateway's CPU time appended to each run, 1.5 times as
    much per request in round 2 (a busier machine) for every peer; Redis's count of its scripts
    appended to each exact-mode run; with `baseline`, redis-benchmark's runs of the same call."""
    scenario = "throttling-1"
    for number in (1, 2, 3):
        slower = 1.5 if number == 2 else 1.0
        for peer, (fraction, cpu_us) in THROTTLING.items():
            write_round(directory, peer, number, 20000 * fraction, 1.5, 3.0, scenario=scenario,
                        non_2xx=1234 if peer == non_2xx_peer and number == 2 else 0)
            path = directory / scenario / ("%s.%d.txt" % (peer, number))
            extra = "gateway: cpu_seconds=%.2f\n" % (cpu_us * slower * 100000 / 1e6)
            if peer == "throttled-exact":
                # 100000 requests at 8000/s: 12.5 s; one script each, 15 us in Redis, Redis busy
                # 5 s of CPU: 40% of a core.
                extra += ("redis: cmdstat_evalsha:calls=100000,usec=1500000,usec_per_call=15.00,"
                          "rejected_calls=0,failed_calls=0 cpu_seconds=5.000\n")
            path.write_text(path.read_text() + extra)
        if baseline:
            for pipeline, rps in [(1, 16000), (16, 40000)]:
                # 200000 scripts: 12.5 s at 16000/s, 5 s at 40000/s.
                path = directory / scenario / ("redis-benchmark-c50-P%d.%d.csv" % (pipeline,
                                                                                   number))
                path.write_text(REDIS_BENCHMARK_CSV.format(rps=rps, calls=200000, usec=3000000,
                                                           cpu=5.0 if pipeline == 1 else 4.5))


def test_throttling_rows_against_the_secured_api(tmp_path):
    write_throttling(tmp_path)

    out = report(tmp_path, "2")

    assert ("Throttling: subscription, application and API limits on every request of the "
            "secured API, 1 worker(s), median of rounds") in out
    peers = [line.split()[0] for line in out.splitlines()
             if line.startswith(("  secured ", "  throttled-"))]
    assert peers == ["secured", "throttled-local", "throttled-exact", "throttled-lease",
                     "throttled-fast"]
    assert "throttled-local               19600      1.500      3.000       3  -" in out
    assert ("ratio throttled-local/secured: req/s 0.98, p50 1.00, p99 1.00 (below 1.0 is faster "
            "for p50/p99); target req/s >= 0.97\n") in out
    assert "ratio throttled-lease/secured: req/s 0.96" in out
    assert "ratio throttled-fast/secured: req/s 0.93" in out
    assert "ratio throttled-exact/secured: req/s 0.40" in out
    assert "; one Redis round trip each\n" in out
    assert "INVALID" not in out


def test_the_gateways_cpu_per_request_round_by_round(tmp_path):
    # Round 2 costs every peer 1.5 times the CPU: the ratio within each round stays.
    write_throttling(tmp_path)

    out = report(tmp_path)

    assert "Gateway CPU per request (user+system)" in out
    assert "    secured                   10.0 us\n" in out
    assert "    throttled-local           11.0 us  0.91 (0.91-0.91)\n" in out
    assert "    throttled-exact           20.0 us  0.50 (0.50-0.50)\n" in out
    assert "    throttled-lease           12.5 us  0.80 (0.80-0.80)\n" in out


def test_exact_mode_decisions_against_redis_benchmark(tmp_path):
    write_throttling(tmp_path)

    out = report(tmp_path, "2")

    assert "Decisions per second: exact mode vs redis-benchmark sending the gateway's EVALSHA" in out
    exact = row(out, "gatehouse exact (1.00 scripts/request)")
    assert exact.split()[4:] == ["8000", "15.0", "40%", "3"]
    baseline = row(out, "redis-benchmark -c 50 -P 1")
    assert baseline.split()[5:] == ["16000", "15.0", "40%", "3"]
    pipelined = row(out, "redis-benchmark -c 50 -P 16")
    assert pipelined.split()[5:] == ["40000", "15.0", "90%", "3"]
    assert ("ratio gatehouse exact/redis-benchmark -c 50 -P 1: decisions/s 0.50, round by round "
            "0.50 (0.50-0.50)") in out
    assert "ratio gatehouse exact/redis-benchmark -c 50 -P 16: decisions/s 0.20" in out
    assert "How to read it" in out
    assert "share the same 2 cores" in out


def test_exact_mode_without_redis_benchmark_still_counts_its_decisions(tmp_path):
    write_throttling(tmp_path, baseline=False)

    out = report(tmp_path)

    assert row(out, "gatehouse exact (1.00 scripts/request)").split()[4] == "8000"
    assert "redis-benchmark -c" not in out
    assert "no redis-benchmark run" in out


def test_a_throttled_run_with_refusals_is_invalid(tmp_path):
    # A run that answered 429 measured refusals, not throttling: its row says so and it is left
    # out of the figures; the other modes' ratios stand.
    write_throttling(tmp_path, non_2xx_peer="throttled-local")

    out = report(tmp_path)

    local = row(out, "throttled-local")
    assert local.split()[1:5] == ["19600", "1.500", "3.000", "2"]
    assert local.endswith("INVALID: 1 of 3 rounds got non-2xx responses (1234), left out")
    assert "ratio throttled-local/secured: req/s 0.98" in out
    # Its CPU per request counts the valid rounds only: rounds 1 and 3.
    assert "    throttled-local           11.0 us  0.91 (0.91-0.91)\n" in out
    assert "INVALID" not in row(out, "throttled-lease")


def test_invalid_exact_rounds_are_left_out_of_the_decisions(tmp_path):
    write_throttling(tmp_path, non_2xx_peer="throttled-exact")

    out = report(tmp_path)

    assert row(out, "gatehouse exact (1.00 scripts/request)").split()[4:] == [
        "8000", "15.0", "40%", "2"]
    # Round by round only where both ran validly: rounds 1 and 3.
    assert "decisions/s 0.50, round by round 0.50 (0.50-0.50)" in out


def test_throttling_without_redis_has_no_decisions(tmp_path):
    write_round(tmp_path, "secured", 1, 20000, 1.5, 3.0, scenario="throttling-2")
    write_round(tmp_path, "throttled-local", 1, 19800, 1.5, 3.0, scenario="throttling-2")

    out = report(tmp_path)

    assert "ratio throttled-local/secured: req/s 0.99" in out
    assert "throttled-lease" not in out
    assert "Decisions per second" not in out
    assert "Gateway CPU per request" not in out  # no CPU recorded

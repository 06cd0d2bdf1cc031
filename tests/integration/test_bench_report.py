"""bench/report.py, the summary `make bench` prints: medians per peer and Gatehouse/nginx ratios,
both of the medians and round by round."""

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


def report(directory):
    return subprocess.run([sys.executable, str(REPORT), str(directory)], capture_output=True,
                          text=True, check=True).stdout


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


def write_throttling(directory, non_2xx_peer=None):
    """Three rounds of the throttling scenario, 1 worker: the modes at fixed fractions of the
    secured API without throttling."""
    fractions = {"secured": 1.0, "throttled-local": 0.98, "throttled-exact": 0.5,
                 "throttled-lease": 0.96, "throttled-fast": 0.92}
    for number in (1, 2, 3):
        for peer, fraction in fractions.items():
            write_round(directory, peer, number, 10000 * fraction, 1.5, 3.0,
                        scenario="throttling-1",
                        non_2xx=1234 if peer == non_2xx_peer and number == 2 else 0)


def test_throttling_rows_against_the_secured_api(tmp_path):
    write_throttling(tmp_path)

    out = report(tmp_path)

    assert ("Throttling: subscription, application and API limits on every request of the "
            "secured API, 1 worker(s), median of rounds") in out
    assert "throttled-local                9800      1.500      3.000       3  -" in out
    assert ("ratio throttled-local/secured: req/s 0.98, p50 1.00, p99 1.00 (below 1.0 is faster "
            "for p50/p99); target req/s >= 0.97\n") in out
    assert "ratio throttled-lease/secured: req/s 0.96" in out
    assert "ratio throttled-fast/secured: req/s 0.92" in out
    assert "ratio throttled-exact/secured: req/s 0.50" in out
    assert "INVALID" not in out


def test_a_throttled_run_with_refusals_is_invalid(tmp_path):
    # A run that answered 429 measured refusals, not throttling: its row says so, and so does
    # its ratio; the other modes' ratios stand.
    write_throttling(tmp_path, non_2xx_peer="throttled-local")

    out = report(tmp_path)

    assert "throttled-local                9800      1.500      3.000       3  1234 non-2xx" in out
    local = [line for line in out.splitlines() if "ratio throttled-local/secured" in line]
    assert len(local) == 1
    assert local[0].endswith("; target req/s >= 0.97; INVALID: non-2xx answers, this measured "
                             "refusals")
    lease = [line for line in out.splitlines() if "ratio throttled-lease/secured" in line]
    assert "INVALID" not in lease[0]

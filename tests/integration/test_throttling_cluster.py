"""Throttling across a cluster: three gateway processes count one quota in one real redis-server
(throttling.cluster), under wrk's load on all three at once. `exact` admits exactly the quota;
`lease` never more, and at most a slice per node less. With Redis killed, each node falls back as
configured: `local` admits its share of the quota (quota / nodes) and adds what it admitted to
Redis once it is back; `open` admits uncounted; `closed` refuses with 503."""

import re
import subprocess
import time

import pytest
import requests

from harness import api, wait_until
from redis_support import RedisSentinel, RedisServer
from security_support import assert_wso2_error
from test_throttling import within_one_window

NODES = 3


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def cluster(gateway_factory, backend, redis_server, quota, mode, started=NODES, redis=None,
            **extra):
    """`started` of the NODES gateways sharing an API policy of `quota` requests per hour
    through Redis (`redis_server`, or the `redis` settings). An hour, not the usual minute: the
    tests must stay within one window, and wait for the next one less often."""
    shared = api(name="Shared", version="1.0", context="/shared",
                 endpoints=[backend.url + "/echo"], throttling="Quota")
    # A generous bound on Redis' answers: a late one (a loaded machine, a sanitized build) is a
    # failure, which these tests of the modes' accuracy must not meet.
    settings = {"mode": mode,
                "redis": redis or {"address": redis_server.address, "command_timeout": "2s",
                                   "dead_after": "5s"},
                "nodes": NODES}
    settings.update(extra)
    throttling = {"api_policies": [{"name": "Quota", "requests": quota, "per": "1h"}], "cluster": settings}
    return [gateway_factory([shared], throttling=throttling) for _ in range(started)]


def load_all(gateways, seconds=2, connections=16):
    """wrk on every gateway at once; returns the requests per second of all together."""
    runs = [subprocess.Popen(["wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds,
                              g.url("/shared/1.0/menu")], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True) for g in gateways]
    rate = 0.0
    for run in runs:
        output, _ = run.communicate(timeout=seconds + 60)
        assert run.returncode == 0, output
        rate += float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate


def admitted(gateway):
    """The 200s of the shared API in the gateway's access log, once it stops growing."""
    last = -1
    while True:
        count = sum(1 for e in gateway.access_log() if e["api"] == "Shared" and e["status"] == 200)
        if count == last:
            return count
        last = count
        time.sleep(1.0)


def metric(gateway, name):
    text = requests.get(gateway.admin_url("/metrics"), timeout=10).text
    found = re.search(r"^%s (\d+)$" % name, text, re.M)
    assert found, text
    return int(found.group(1))


def test_exact_mode_admits_exactly_the_quota_across_three_nodes(gateway_factory, backend,
                                                                redis_server):
    within_one_window(30)
    gateways = cluster(gateway_factory, backend, redis_server, 600, "exact")
    load_all(gateways)
    counts = [admitted(g) for g in gateways]
    assert sum(counts) == 600, counts
    assert all(count > 0 for count in counts), counts  # each node took part
    refused = requests.get(gateways[0].url("/shared/1.0/menu"), timeout=10)
    assert_wso2_error(refused, 429, 900800)
    assert refused.headers["RateLimit"].startswith('"api";r=0;')


def test_lease_mode_never_admits_more_than_the_quota_and_at_most_a_slice_per_node_less(
        gateway_factory, backend, redis_server):
    within_one_window(30)
    quota, slice_share = 600, 0.05
    gateways = cluster(gateway_factory, backend, redis_server, quota, "lease",
                       lease_slice=slice_share)
    load_all(gateways)
    counts = [admitted(g) for g in gateways]
    bound = int(quota * slice_share) * NODES
    assert quota - bound <= sum(counts) <= quota, counts
    assert all(count > 0 for count in counts), counts


def test_fast_mode_stays_within_rate_times_two_sync_intervals_of_the_quota(
        gateway_factory, backend, redis_server):
    within_one_window(30)
    quota, interval = 600, 0.1
    gateways = cluster(gateway_factory, backend, redis_server, quota, "fast",
                       sync_interval="100ms")
    rate = load_all(gateways)
    counts = [admitted(g) for g in gateways]
    # A node learns of the others' counts one sync of theirs and one of its own late.
    bound = rate * 2 * interval
    assert quota <= sum(counts) <= quota + bound, (counts, rate)
    # Once synchronised, every node refuses.
    time.sleep(3 * interval)
    for gateway in gateways:
        assert_wso2_error(requests.get(gateway.url("/shared/1.0/menu"), timeout=10), 429, 900800)


def burst(gateway, count):
    """Statuses of `count` requests, one after another."""
    return [requests.get(gateway.url("/shared/1.0/menu"), timeout=10).status_code
            for _ in range(count)]


def test_redis_down_falls_back_to_each_nodes_share_and_reconciles_when_it_is_back(
        gateway_factory, backend, redis_server):
    within_one_window(40)
    gateways = cluster(gateway_factory, backend, redis_server, 300, "exact",
                       on_redis_failure="local")
    assert burst(gateways[0], 30) == [200] * 30  # counted in Redis
    redis_server.stop()
    # Each node admits its share, 300 / 3, counted in its own process.
    for gateway in gateways:
        statuses = burst(gateway, 130)
        assert statuses.count(200) == 100, statuses
        assert set(statuses[100:]) == {429}
        assert metric(gateway, "gatehouse_throttling_redis_failures_total") >= 130
    redis_server.start()
    # Redis kept its 30 (append-only file). Each node adds what it admitted meanwhile once Redis
    # answers one of its requests again (after its reconnect back-off).
    def shared_count():
        keys = redis_server.cli("--scan", "--pattern", "gh:*").split()
        return sum(int(redis_server.cli("GET", key) or 0) for key in keys)

    def reconciled():
        for gateway in gateways:
            requests.get(gateway.url("/shared/1.0/menu"), timeout=10)
        return shared_count() >= 330

    assert wait_until(reconciled, timeout=30, interval=0.2), shared_count()
    # The quota is spent for the whole cluster.
    for gateway in gateways:
        assert_wso2_error(requests.get(gateway.url("/shared/1.0/menu"), timeout=10), 429, 900800)


def test_redis_down_with_open_admits_and_with_closed_refuses_with_503(gateway_factory, backend,
                                                                      redis_server):
    within_one_window(20)
    open_nodes = cluster(gateway_factory, backend, redis_server, 5, "lease", started=1,
                         on_redis_failure="open")
    closed_nodes = cluster(gateway_factory, backend, redis_server, 5, "lease", started=1,
                           on_redis_failure="closed")
    redis_server.stop()
    admitted_open = [requests.get(open_nodes[0].url("/shared/1.0/menu"), timeout=10)
                     for _ in range(10)]
    assert [r.status_code for r in admitted_open] == [200] * 10
    assert "RateLimit" not in admitted_open[0].headers
    refused = requests.get(closed_nodes[0].url("/shared/1.0/menu"), timeout=10)
    assert_wso2_error(refused, 503, 900809)
    log = closed_nodes[0].wait_for_access_log(lambda e: e["status"] == 503)
    assert log and log[0]["throttled_by"] == "redis_unavailable"


def test_a_sentinel_failover_mid_load_moves_the_counts_to_the_new_master(gateway_factory, backend,
                                                                         tmp_path):
    within_one_window(40)
    master = RedisServer(tmp_path, "master").start()
    replica = RedisServer(tmp_path, "replica", replica_of=master).start()
    sentinel = RedisSentinel(tmp_path, master).start()
    try:
        assert wait_until(lambda: replica.cli("INFO", "replication").find(
            "master_link_status:up") >= 0 and str(replica.port) in sentinel.cli(
                "SENTINEL", "REPLICAS", "gatehouse"), timeout=20)
        # While the masters change hands, a decision Redis cannot make is refused (503): every
        # request admitted is one a master counted. The quota is not reached.
        gateways = cluster(gateway_factory, backend, None, 1_000_000, "exact",
                           redis={"sentinels": [sentinel.address], "master_name": "gatehouse",
                                  "command_timeout": "200ms"},
                           on_redis_failure="closed")
        runs = [subprocess.Popen(["wrk", "-t1", "-c8", "-d4s", g.url("/shared/1.0/menu")],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for g in gateways]
        time.sleep(1)
        assert sentinel.cli("SENTINEL", "FAILOVER", "gatehouse") == "OK"
        rate = 0.0
        for run in runs:
            output, _ = run.communicate(timeout=60)
            rate += float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        assert wait_until(lambda: sentinel.master_port() == replica.port, timeout=20)
        # Every node now counts on the new master.
        for gateway in gateways:
            assert wait_until(lambda: requests.get(gateway.url("/shared/1.0/menu"), timeout=10)
                              .status_code == 200, timeout=20)
        counts = [admitted(g) for g in gateways]
        assert all(count > 0 for count in counts), counts
        # Counts the old master took after the replica took over are lost with it: at most
        # what the cluster admits while the nodes move, a second's worth at the most.
        keys = replica.cli("--scan", "--pattern", "gh:*").split()
        assert len(keys) == 1, keys
        lost = sum(counts) - int(replica.cli("GET", keys[0]))
        assert lost <= rate * 1.0, (counts, lost, rate)
    finally:
        sentinel.stop()
        replica.stop()
        master.stop()

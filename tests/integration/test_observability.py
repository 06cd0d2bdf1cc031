"""Access log lines, Prometheus /metrics, /healthz and /readyz on the admin listener."""

import json
import re
import time

import requests

from harness import api, free_port, wait_until

ACCESS_LOG_KEYS = {"time", "api", "api_version", "resource", "method", "path", "status",
                   "bytes_in", "bytes_out", "latency_ms", "backend_latency_ms", "request_id",
                   "client_ip", "upstream", "subject", "application", "auth_error"}


def test_healthz_and_readyz(gateway):
    assert requests.get(gateway.admin_url("/healthz"), timeout=10).status_code == 200
    assert requests.get(gateway.admin_url("/readyz"), timeout=10).status_code == 200


def test_admin_unknown_path_is_404(gateway):
    assert requests.get(gateway.admin_url("/nope"), timeout=10).status_code == 404


def test_admin_is_not_served_on_the_traffic_listener(gateway):
    assert requests.get(gateway.url("/metrics"), timeout=10).status_code == 404


def test_access_log_line_for_a_proxied_request(gateway, backend):
    body = b'{"pizza": "Spicy Italian"}'
    response = requests.post(gateway.url("/pizzashack/1.0.0/order"), data=body, timeout=10,
                             headers={"X-Request-ID": "log-me-1",
                                      "Content-Type": "application/json"})
    assert response.status_code == 201
    entries = gateway.wait_for_access_log(lambda e: e.get("request_id") == "log-me-1")
    assert len(entries) == 1, gateway.access_log()
    entry = entries[0]
    assert ACCESS_LOG_KEYS <= set(entry), set(entry)
    assert entry["api"] == "PizzaShack"
    assert entry["api_version"] == "1.0.0"
    assert entry["resource"] == "/order"
    assert entry["method"] == "POST"
    assert entry["path"] == "/pizzashack/1.0.0/order"
    assert entry["status"] == 201
    assert entry["bytes_in"] == len(body)
    assert entry["bytes_out"] == len(response.content)
    assert entry["client_ip"] == "127.0.0.1"
    assert entry["upstream"] == "127.0.0.1:%d" % backend.port
    assert 0 <= entry["backend_latency_ms"] <= entry["latency_ms"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", entry["time"])


def test_access_log_backend_latency_is_measured(gateway):
    requests.get(gateway.url("/test/1.0.0/delay/300"), headers={"X-Request-ID": "slow-1"},
                 timeout=10)
    entry, = gateway.wait_for_access_log(lambda e: e.get("request_id") == "slow-1")
    assert entry["backend_latency_ms"] >= 290
    assert entry["latency_ms"] >= entry["backend_latency_ms"]


def test_access_log_line_for_a_404(gateway):
    requests.get(gateway.url("/unknown/path"), headers={"X-Request-ID": "lost-1"}, timeout=10)
    entry, = gateway.wait_for_access_log(lambda e: e.get("request_id") == "lost-1")
    assert entry["status"] == 404
    assert entry["path"] == "/unknown/path"
    assert entry["method"] == "GET"


def test_access_log_has_a_generated_request_id(gateway):
    seen = requests.get(gateway.url("/echo/1.0.0/gen"), timeout=10).json()
    generated = seen["headers"]["x-request-id"]
    assert gateway.wait_for_access_log(lambda e: e.get("request_id") == generated)


def test_access_log_one_line_per_request(gateway):
    with requests.Session() as session:
        for i in range(20):
            session.get(gateway.url("/echo/1.0.0/n"), headers={"X-Request-ID": "many-%d" % i},
                        timeout=10)
    entries = gateway.wait_for_access_log(
        lambda e: str(e.get("request_id", "")).startswith("many-") and e["request_id"] == "many-19")
    assert entries
    ids = [e["request_id"] for e in gateway.access_log()
           if str(e.get("request_id", "")).startswith("many-")]
    assert sorted(ids) == sorted("many-%d" % i for i in range(20))


def metrics_text(gateway):
    response = requests.get(gateway.admin_url("/metrics"), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return response.text


def samples(text, name_part, **labels):
    """Values of the samples whose metric name contains name_part and whose labels include
    all of `labels`. An `api` label matches the API's name alone or "name:version"."""
    found = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = re.match(r"([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)", line)
        if not match or name_part not in match.group(1):
            continue
        got = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        if all(got.get(k) == str(v) or (k == "api" and got.get(k, "").startswith(str(v) + ":"))
               for k, v in labels.items()):
            found.append((match.group(1), got, float(match.group(4))))
    return found


def metrics_once(gateway, counted):
    """The metrics text once `counted(text)` holds: an exchange is counted when it ends, after
    its response went out, so a client can read /metrics before its last request shows."""
    texts = []

    def shows():
        texts.append(metrics_text(gateway))
        return counted(texts[-1])

    wait_until(shows, timeout=10, interval=0.05)
    return texts[-1]


def test_metrics_count_requests_by_api_and_status(gateway):
    for _ in range(3):
        requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10)
    requests.get(gateway.url("/test/1.0.0/status/503"), timeout=10)

    def total(text, api_name, status):
        found = [s[2] for s in samples(text, "request", api=api_name, status=status)
                 if s[0].endswith("_total")]
        return found[0] if found else 0

    text = metrics_once(gateway, lambda t: total(t, "PizzaShack", "200") >= 3
                        and total(t, "Test", "503") >= 1)
    assert total(text, "PizzaShack", "200") == 3, text
    assert total(text, "Test", "503") == 1, text


def test_metrics_have_a_latency_histogram(gateway):
    requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10)

    def counted(text):
        return [s for s in samples(text, "_bucket", api="PizzaShack")
                if s[1].get("le") == "+Inf" and s[2] >= 1]

    text = metrics_once(gateway, counted)
    assert re.search(r"^# TYPE \S+ histogram$", text, re.M), text
    assert counted(text), text
    assert samples(text, "_count", api="PizzaShack")
    assert samples(text, "_sum", api="PizzaShack")


def test_metrics_count_upstream_failures(gateway_factory):
    dead = "http://127.0.0.1:%d" % free_port()
    gw = gateway_factory([api(name="Dead", context="/dead", endpoints=[dead])])
    for _ in range(2):
        assert requests.get(gw.url("/dead/1.0.0/x"), timeout=10).status_code == 503
    text = metrics_text(gw)
    failures = [s for s in samples(text, "upstream") if "fail" in s[0] or "error" in s[0]]
    assert failures and max(s[2] for s in failures) >= 1, text


def test_metrics_report_upstream_connections(gateway):
    requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10)
    text = metrics_text(gateway)
    connections = [s for s in samples(text, "upstream") if "connection" in s[0]]
    assert connections and max(s[2] for s in connections) >= 1, text


def test_metrics_are_valid_prometheus_text(gateway):
    requests.get(gateway.url("/pizzashack/1.0.0/menu"), timeout=10)
    for line in metrics_text(gateway).splitlines():
        if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        assert re.fullmatch(r'[a-zA-Z_:][\w:]*(\{(\w+="(?:[^"\\]|\\.)*",?)*\})? [-+0-9.eEInfa]+', line), line


def test_access_log_to_stdout(gateway_factory, backend):
    gw = gateway_factory([api(name="Out", context="/out", endpoints=[backend.url])],
                         access_log={"path": "stdout"})
    requests.get(gw.url("/out/1.0.0/echo"), headers={"X-Request-ID": "to-stdout"}, timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "to-stdout" not in gw.stdout_path.read_text():
        time.sleep(0.05)
    line = next(l for l in gw.stdout_path.read_text().splitlines() if "to-stdout" in l)
    assert json.loads(line)["api"] == "Out"

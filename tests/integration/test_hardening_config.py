"""Hostile and huge configuration files against the real binary: repeats reported once each with
the error count capped, memory bounded in `validate` and across a live reload, aliases that would
expand a small file into billions of values, the size limit, strings with NUL or invalid UTF-8,
contexts a normalised request could never reach, and the admin listener's exposure rules."""

import re
import subprocess

import pytest
import requests

import harness
from harness import api, wait_until

MAX_SHOWN = 100
COPIES = 2000


def validate(path):
    """`gatehouse validate`: its exit status, stdout and stderr."""
    result = subprocess.run([harness.GATEHOUSE_BIN, "validate", "-c", str(path)],
                            capture_output=True, text=True, errors="replace", timeout=120)
    return result.returncode, result.stdout, result.stderr


def peak_rss_kib(path, tmp_path):
    """Peak RSS of `gatehouse validate -c path`, in KiB, as GNU time reports it. (The kernel's
    count for a child of this process would include the test process's own pages, which the
    child shares until it runs the gatehouse binary.)"""
    report = tmp_path / "time.txt"
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(report), harness.GATEHOUSE_BIN,
                    "validate", "-c", str(path)], capture_output=True, timeout=120)
    return int(report.read_text().split()[-1])


def extra_rss_kib(path, tmp_path):
    """How much more memory validating `path` takes than validating a one-line file. Sandboxes
    count a process's peak differently (11 MiB for the small file on one machine, 100 MiB on
    another), so the tests bound the growth the hostile file causes, not the absolute figure."""
    small = tmp_path / "small.yaml"
    small.write_text("listeners: [{name: http, address: '127.0.0.1:1'}]\n")
    baseline = min(peak_rss_kib(small, tmp_path) for _ in range(3))
    return peak_rss_kib(path, tmp_path) - baseline


def duplicate_laden(backend_url, listener_port, admin_port):
    """A 64 KB file: one API whose resource is written 2,000 times, plus repeated APIs, users,
    listeners and roles. Returns the text and the line of each repeat -> the line it repeats."""
    lines = [
        "listeners:",
        "  - {name: http, address: '127.0.0.1:%d'}" % listener_port,
        "  - {name: http, address: '127.0.0.1:%d'}" % (listener_port + 1),
        "admin: {address: '127.0.0.1:%d'}" % admin_port,
        "users:",
    ]
    hash_ = "$2b$10$abcdefghijklmnopqrstuu5f7hUaQ4Aul3yY3eShW7cDLZ9Nz1Qbq"
    lines += ["  - {name: ops, password_hash: '%s'}" % hash_] * 3
    lines += ["roles: {r: [a], r: [b]}", "apis:"]
    for _ in range(3):
        lines += ["  - name: Dup", "    version: v1", "    context: /dup",
                  "    endpoints: {production: ['%s']}" % backend_url,
                  "    resources: [{method: GET, path: /x}]"]
    lines += ["  - name: Big", "    version: v1", "    context: /big",
              "    endpoints: {production: ['%s']}" % backend_url, "    resources:"]
    first_resource = len(lines) + 1
    lines += ["      - {method: GET, path: /menu/items}"] * COPIES
    return "\n".join(lines) + "\n", first_resource


def test_each_duplicate_is_reported_once_and_the_report_is_capped(tmp_path, backend):
    text, first_resource = duplicate_laden(backend.url, harness.free_port(), harness.free_port())
    path = tmp_path / "dup.yaml"
    path.write_text(text)
    assert 60_000 < len(text.encode()) < 100_000

    code, stdout, stderr = validate(path)
    assert code == 1 and stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == MAX_SHOWN + 1, stderr[-2000:]
    errors, summary = lines[:-1], lines[-1]
    located = [re.match(r"%s:(\d+):(\d+): (.*)" % re.escape(str(path)), line) for line in errors]
    assert all(located), errors
    # In file order, each place once: no repeat is reported against more than its first.
    places = [(int(m.group(1)), int(m.group(2))) for m in located]
    assert places == sorted(places) and len(set(places)) == len(places)
    messages = [m.group(3) for m in located]
    assert "listener name 'http' is already used at line 2" in messages
    assert "user 'ops' is already defined at line 6" in messages
    assert messages.count("user 'ops' is already defined at line 6") == 2
    assert "role 'r' is already defined at line 9" in messages
    assert messages.count("API 'Dup' version v1 is already defined at line 11") == 2
    repeats = [m for m in located if "resource GET /menu/items" in m.group(3)]
    assert repeats and all(m.group(3) == "resource GET /menu/items is already defined at line %d"
                           % first_resource for m in repeats)
    assert [int(m.group(1)) for m in repeats] == \
        list(range(first_resource + 1, first_resource + 1 + len(repeats)))
    # 1 listener + 2 users + 1 role + 2 APIs + 1,999 resources: one error per repeat.
    total = 1 + 2 + 1 + 2 + (COPIES - 1)
    assert summary == "%s: ... and %d more errors (only the first %d are shown)" % (
        path, total - MAX_SHOWN, MAX_SHOWN)


def test_validating_the_duplicates_takes_little_memory(tmp_path, backend):
    # 474 MB and two million error lines before repeats were reported once each.
    text, _ = duplicate_laden(backend.url, harness.free_port(), harness.free_port())
    path = tmp_path / "dup.yaml"
    path.write_text(text)
    assert extra_rss_kib(path, tmp_path) < 24 * 1024


def test_a_live_reload_of_the_duplicates_is_refused_cheaply(gateway_factory, backend, tmp_path):
    gateway = gateway_factory([api(name="Menu", context="/menu", endpoints=[backend.url])])
    url = gateway.url("/menu/1.0.0/echo")
    assert requests.get(url, timeout=10).status_code == 200
    rss_before = gateway.rss_kib()
    text, _ = duplicate_laden(backend.url, gateway.port, gateway.admin_port)
    gateway.reload(text)
    assert wait_until(lambda: "reload failed" in gateway.logs()), gateway.output()
    # The old configuration keeps serving; the log holds the capped report, not two million lines.
    assert requests.get(url, timeout=10).status_code == 200
    assert gateway.logs().count("is already defined at line") <= MAX_SHOWN
    assert "more errors (only the first 100 are shown)" in gateway.logs()
    # 351 MB before; now the reload costs a few MB at most.
    assert gateway.rss_kib() < rss_before + 32 * 1024, (rss_before, gateway.rss_kib())
    gateway.reload(gateway.config)  # a valid file again, so that the fixture's stop is clean


def test_aliases_that_would_expand_to_billions_of_values_are_refused(tmp_path):
    lines = ["listeners: [{name: http, address: '127.0.0.1:%d'}]" % harness.free_port(),
             "a0: &a0 [x, x]"]
    lines += ["a%d: &a%d [*a%d, *a%d]" % (i, i, i - 1, i - 1) for i in range(1, 40)]
    path = tmp_path / "aliases.yaml"
    path.write_text("\n".join(lines) + "\n")  # 2^40 values in 1 KB
    code, _, stderr = validate(path)
    assert code == 1
    assert re.fullmatch(r"%s:\d+:\d+: with its aliases expanded the file would hold more than "
                        r"1000000 values; repeat less through aliases\n" % re.escape(str(path)),
                        stderr), stderr
    assert extra_rss_kib(path, tmp_path) < 24 * 1024


def test_a_file_over_16_mib_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "w") as out:
        out.write("listeners: [{name: http, address: '127.0.0.1:1'}]\n")
        for _ in range(170):
            out.write(("# " + "x" * 98 + "\n") * 1024)
    size = path.stat().st_size
    code, _, stderr = validate(path)
    assert code == 1
    assert stderr == ("%s:0:0: the file is too large: %d bytes, over the 16777216 (16 MiB) a "
                      "configuration file may hold\n" % (path, size))
    assert extra_rss_kib(path, tmp_path) < 8 * 1024  # not even read whole


@pytest.mark.parametrize("field, value, shown", [
    ("context", '"/shop\\0admin"', "'/shop\\x00admin'"),  # a NUL by YAML escape
    ("name", '"Pizza\\x01Shack"', "'Pizza\\x01Shack'"),
    ("name", b"Pizza\xffShack", "'Pizza\\xffShack'"),   # a raw byte that is not UTF-8
    ("name", b"Caf\xc3", "'Caf\\xc3'"),                # UTF-8 cut short
    ("host", '"api.example.com\\r\\nX-Injected: 1"', "'api.example.com\\x0d\\x0aX-Injected: 1'"),
])
def test_strings_with_control_characters_or_broken_utf8_are_refused(tmp_path, field, value,
                                                                    shown):
    api_entry = {"name": "'PizzaShack'", "version": "v1", "context": "/shop"}
    api_entry[field] = value
    body = b"listeners: [{name: http, address: '127.0.0.1:1'}]\napis:\n  - "
    body += b"\n    ".join((key + ": ").encode() + (v if isinstance(v, bytes) else v.encode())
                           for key, v in api_entry.items())
    body += b"\n    endpoints: {production: ['http://127.0.0.1:9']}\n"
    body += b"    resources: [{method: GET, path: /x}]\n"
    path = tmp_path / "bad.yaml"
    path.write_bytes(body)
    code, _, stderr = validate(path)
    assert code == 1
    assert ("'%s' must be UTF-8 text without control characters" % field) in stderr, stderr
    assert stderr.rstrip().endswith("got " + shown), stderr
    assert "\0" not in stderr and "\r" not in stderr


@pytest.mark.parametrize("context, rule", [
    ("/a/../admin", "must not have '.' or '..' segments"),
    ("/./shop", "must not have '.' or '..' segments"),
    ("/%61dmin", "must write letters, digits and '-._~' as they are, not percent-encoded"),
    ("/shop%2", "must write '%' only as a percent-encoded octet like %20"),
    ("/shop\\\\admin", "must hold only letters, digits, percent-encoded octets"),
    ("/shop//admin", "must not have an empty segment"),
])
def test_contexts_are_paths_a_normalised_request_can_reach(tmp_path, context, rule):
    path = tmp_path / "context.yaml"
    path.write_text("listeners: [{name: http, address: '127.0.0.1:1'}]\napis:\n"
                    "  - {name: A, version: v1, context: \"%s\", endpoints: {production: "
                    "['http://127.0.0.1:9']}, resources: [{method: GET, path: /x}]}\n" % context)
    code, _, stderr = validate(path)
    assert code == 1
    assert "'context' " + rule in stderr, stderr


def admin_config(tmp_path, admin):
    path = tmp_path / "admin.yaml"
    path.write_text(harness.to_yaml({
        "listeners": [{"name": "http", "address": "127.0.0.1:%d" % harness.free_port()}],
        "admin": admin}))
    return path


def test_a_network_admin_address_without_authentication_is_refused(tmp_path):
    path = admin_config(tmp_path, {"address": "0.0.0.0:%d" % harness.free_port()})
    code, _, stderr = validate(path)
    assert code == 1
    assert "is not loopback, and the admin API would let anyone who reaches it issue API keys" \
        in stderr
    started = subprocess.run([harness.GATEHOUSE_BIN, "run", "-c", str(path)],
                             capture_output=True, text=True, timeout=60)
    assert started.returncode == 1
    assert "is not loopback" in started.stderr + started.stdout


def test_a_network_admin_address_without_tls_is_a_warning(tmp_path):
    path = admin_config(tmp_path, {"address": "0.0.0.0:%d" % harness.free_port(),
                                   "allow_unauthenticated": True})
    code, stdout, stderr = validate(path)
    assert code == 0, stderr
    assert stdout.endswith(": OK (0 API(s))\n")
    assert re.fullmatch(r"%s:\d+:\d+: warning: the admin address 0\.0\.0\.0:\d+ is not loopback "
                        r"and has no TLS: credentials and the API keys it issues cross the "
                        r"network in clear; configure admin 'tls'\n" % re.escape(str(path)),
                        stderr), stderr

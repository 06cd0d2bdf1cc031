"""The command line: run, validate, version, --help, and config errors as FILE:LINE:COL."""

import json
import re
import subprocess
import textwrap

import pytest
import requests

import harness
from harness import Gateway, api, base_config

GOOD_CONFIG = """\
workers: 1
listeners:
  - name: http
    address: 127.0.0.1:{port}
admin:
  address: 127.0.0.1:{admin}
apis:
  - name: PizzaShack
    version: 1.0.0
    context: /pizzashack
    endpoints:
      production: [http://127.0.0.1:9000]
    resources:
      - {{method: GET, path: /menu}}
      - {{method: POST, path: /order}}
      - {{method: GET, path: "/order/{{orderId}}"}}
"""


def gatehouse(*args, timeout=30):
    return subprocess.run([harness.GATEHOUSE_BIN, *args], capture_output=True, text=True,
                          timeout=timeout)


def write(tmp_path, text, name="config.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def good_config():
    return GOOD_CONFIG.format(port=0, admin=0)


def with_line(text, after, line):
    """Inserts `line` after the first line that contains `after`; returns text and its line no."""
    lines = text.splitlines()
    index = next(i for i, l in enumerate(lines) if after in l) + 1
    lines.insert(index, line)
    return "\n".join(lines) + "\n", index + 1


def assert_error_at(result, path, line, col=None, words=()):
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    pattern = re.escape(str(path)) + r":%d:%s: \S" % (line, col if col is not None else r"\d+")
    assert re.search(pattern, output), "no %s:%d:... error in:\n%s" % (path, line, output)
    for word in words:
        assert word.lower() in output.lower(), output


def test_version_prints_a_version_and_exits_zero():
    result = gatehouse("version")
    assert result.returncode == 0, result.stderr
    assert re.search(r"\d+\.\d+", result.stdout), result.stdout


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["validate", "--help"],
                                  ["version", "--help"]])
def test_help_exits_zero_and_describes_usage(args):
    result = gatehouse(*args)
    assert result.returncode == 0, result.stderr
    text = (result.stdout + result.stderr).lower()
    assert "usage" in text or "gatehouse" in text
    if args[0] in ("run", "validate"):
        assert "-c" in text


def test_top_level_help_lists_the_commands():
    text = gatehouse("--help").stdout
    for command in ("run", "validate", "version"):
        assert command in text


def test_unknown_command_fails():
    result = gatehouse("frobnicate")
    assert result.returncode == 2


def test_validate_accepts_a_good_config(tmp_path):
    path = write(tmp_path, good_config())
    result = gatehouse("validate", "-c", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_accepts_the_quickstart_example():
    subprocess.run([str(harness.REPO / "scripts" / "quickstart-key")], check=True)
    result = gatehouse("validate", "-c", str(harness.REPO / "examples" / "quickstart.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_missing_file_fails_naming_it(tmp_path):
    path = tmp_path / "nope.yaml"
    result = gatehouse("validate", "-c", str(path))
    assert result.returncode == 1
    assert "nope.yaml" in result.stdout + result.stderr


def test_unknown_top_level_key_is_an_error_at_its_position(tmp_path):
    text, line = with_line(good_config(), "workers: 1", "wrokers: 2")
    path = write(tmp_path, text)
    assert_error_at(gatehouse("validate", "-c", str(path)), path, line, 1, ["wrokers"])


def test_unknown_nested_key_is_an_error_at_its_position(tmp_path):
    text, line = with_line(good_config(), "context: /pizzashack", "    contxt: /typo")
    path = write(tmp_path, text)
    assert_error_at(gatehouse("validate", "-c", str(path)), path, line, 5, ["contxt"])


def test_yaml_syntax_error_has_a_position(tmp_path):
    text, line = with_line(good_config(), "workers: 1", "listeners: [unclosed")
    path = write(tmp_path, text)
    result = gatehouse("validate", "-c", str(path))
    assert result.returncode == 1
    assert re.search(re.escape(str(path)) + r":\d+:\d+: \S", result.stdout + result.stderr)


@pytest.mark.parametrize("after, bad_line", [
    ("workers: 1", "shutdown_timeout: 5 parsecs"),
    ("production:", "      connect_timeout: soon"),
    ("context: /pizzashack", "    max_body_size: 12 furlongs"),
])
def test_bad_values_are_errors_at_their_line(tmp_path, after, bad_line):
    text, line = with_line(good_config(), after, bad_line)
    path = write(tmp_path, text)
    key_col = len(bad_line) - len(bad_line.lstrip()) + 1
    value_col = bad_line.index(":") + 3
    result = gatehouse("validate", "-c", str(path))
    assert_error_at(result, path, line, "(%d|%d)" % (key_col, value_col))


def test_workers_must_be_a_number(tmp_path):
    path = write(tmp_path, good_config().replace("workers: 1", "workers: many"))
    assert_error_at(gatehouse("validate", "-c", str(path)), path, 1, "(1|10)")


def test_every_error_is_reported_not_just_the_first(tmp_path):
    text, first = with_line(good_config(), "workers: 1", "bogus_one: 1")
    text, second = with_line(text, "context: /pizzashack", "    bogus_two: 2")
    path = write(tmp_path, text)
    result = gatehouse("validate", "-c", str(path))
    assert_error_at(result, path, first, words=["bogus_one"])
    assert_error_at(result, path, second, words=["bogus_two"])


def test_invalid_listener_address_is_an_error(tmp_path):
    text = good_config().replace("address: 127.0.0.1:", "address: 127.0.0.1-", 1)
    path = write(tmp_path, text)
    assert_error_at(gatehouse("validate", "-c", str(path)), path, 4)


def test_resource_path_must_be_a_valid_template(tmp_path):
    text = good_config().replace('"/order/{orderId}"', '"/order/{orderId"')
    path = write(tmp_path, text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "/order/{orderId" in l)
    assert_error_at(gatehouse("validate", "-c", str(path)), path, line)


def test_unknown_policy_type_is_an_error_at_the_policy(tmp_path):
    text = good_config().replace(
        "      - {method: GET, path: /menu}\n",
        "      - method: GET\n"
        "        path: /menu\n"
        "        policies: [{type: no-such-policy}]\n")
    path = write(tmp_path, text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "no-such-policy" in l)
    assert_error_at(gatehouse("validate", "-c", str(path)), path, line, words=["no-such-policy"])


def test_policy_config_errors_point_into_the_policy(tmp_path):
    text = good_config().replace(
        "      - {method: GET, path: /menu}\n",
        "      - method: GET\n"
        "        path: /menu\n"
        "        policies:\n"
        "          - type: headers\n"
        "            request:\n"
        "              sett: {X-A: b}\n")
    path = write(tmp_path, text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "sett:" in l)
    assert_error_at(gatehouse("validate", "-c", str(path)), path, line, words=["sett"])


def test_duplicate_routes_are_an_error(tmp_path):
    text = good_config().replace("- {method: POST, path: /order}", "- {method: GET, path: /menu}")
    path = write(tmp_path, text)
    result = gatehouse("validate", "-c", str(path))
    assert result.returncode == 1
    assert re.search(re.escape(str(path)) + r":1[45]:\d+: \S", result.stdout + result.stderr), \
        result.stdout + result.stderr


def test_run_with_an_invalid_config_exits_non_zero_with_the_error(tmp_path):
    text, line = with_line(good_config(), "workers: 1", "wrokers: 2")
    path = write(tmp_path, text)
    result = gatehouse("run", "-c", str(path))
    assert_error_at(result, path, line, 1, ["wrokers"])


def test_run_refuses_a_port_already_in_use(tmp_path):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        path = write(tmp_path, GOOD_CONFIG.format(port=port, admin=0))
        result = gatehouse("run", "-c", str(path), timeout=30)
    assert result.returncode == 1
    assert str(port) in result.stdout + result.stderr


def listening_sockets(port):
    """How many sockets listen on this IPv4 port (one per worker with SO_REUSEPORT)."""
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return sum(1 for row in rows if row[1].endswith(":%04X" % port) and row[3] == "0A")


def test_port_zero_binds_free_ports_and_reports_them(tmp_path, backend):
    config = base_config(tmp_path, [api(name="Menu", context="/menu", endpoints=[backend.url])],
                         workers=3, listeners=[{"name": "http", "address": "127.0.0.1:0"},
                                               {"name": "second", "address": "127.0.0.1:0"}])
    gateway = Gateway(tmp_path, config)
    try:
        reported = json.loads(gateway.ports_path.read_text())
        assert set(reported) == {"listeners", "admin"}
        assert set(reported["listeners"]) == {"http", "second"}
        addresses = list(reported["listeners"].values()) + [reported["admin"]]
        ports = [harness.port_of(address) for address in addresses]
        assert all(address.startswith("127.0.0.1:") for address in addresses), addresses
        assert 0 not in ports and len(set(ports)) == 3, addresses
        logs = gateway.logs()
        for name, address in reported["listeners"].items():
            assert "listening on %s (%s)" % (address, name) in logs, logs
        assert "listening on %s (admin)" % reported["admin"] in logs, logs

        # Every worker joined the port the first one got, instead of binding a port of its own.
        for port in ports[:2]:
            assert listening_sockets(port) == 3, port
            reply = requests.get("http://127.0.0.1:%d/menu/1.0.0/menu" % port, timeout=10)
            assert reply.status_code == 200 and reply.headers["X-Backend"] == "b1"
        assert requests.get(gateway.admin_url("/readyz"), timeout=10).status_code == 200

        # Listeners are fixed at start: a reload keeps the ports and the file.
        gateway.reload()
        assert harness.wait_until(lambda: "reloaded" in gateway.logs()), gateway.output()
        assert json.loads(gateway.ports_path.read_text()) == reported
        assert requests.get("http://127.0.0.1:%d/menu/1.0.0/menu" % ports[0],
                            timeout=10).status_code == 200
    finally:
        assert gateway.stop() == 0, gateway.output()
    assert not gateway.ports_path.exists(), "the ports file outlived the gateway"


def test_ports_file_of_an_earlier_run_never_stays(tmp_path):
    ports_file = tmp_path / "ports.json"
    ports_file.write_text('{"listeners": {"http": "127.0.0.1:1"}}')
    text, _ = with_line(good_config(), "workers: 1", "wrokers: 2")
    path = write(tmp_path, text)
    result = gatehouse("run", "-c", str(path), "--ports-file", str(ports_file))
    assert result.returncode == 1, result.stdout + result.stderr
    assert not ports_file.exists()


def test_ports_file_that_cannot_be_written_stops_the_gateway(tmp_path):
    path = write(tmp_path, good_config())
    result = gatehouse("run", "-c", str(path), "--ports-file", str(tmp_path / "no" / "ports.json"))
    assert result.returncode == 1
    assert "ports file: cannot write %s" % (tmp_path / "no" / "ports.json.tmp") in \
        result.stdout + result.stderr


@pytest.mark.parametrize("args, message", [
    (["run", "-c", "x.yaml", "--ports-file"], "--ports-file needs a value"),
    (["run", "-c", "x.yaml", "--ports-file="], "--ports-file needs a value"),
    (["validate", "-c", "x.yaml", "--ports-file", "p.json"], "unexpected argument '--ports-file'"),
    (["run", "--ports-file", "p.json"], "a config file is required"),
])
def test_run_arguments_are_checked(args, message):
    result = gatehouse(*args)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr

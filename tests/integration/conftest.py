"""Fixtures of the black-box suite: free ports, demo backends, the gateway binary, certificates."""

import shutil
import subprocess
from pathlib import Path

import pytest

import harness
from harness import Backend, Gateway, base_config, echo_api, passthrough_api, pizzashack_api
from security_support import rsa_signing_key
# Fixtures of the helper modules, made available to every test module.
from framing_backends import framed  # noqa: F401
from nginx_backend import nginx_backend, nginx_factory  # noqa: F401


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: long-running (1 GiB transfers); run last")


def pytest_collection_modifyitems(config, items):
    # Slow tests still run in `make test`, but after everything else, so that a quick failure
    # shows up first.
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)


def pytest_report_header(config):
    return "gatehouse binary: %s" % harness.GATEHOUSE_BIN


@pytest.fixture(scope="session", autouse=True)
def gatehouse_binary():
    path = Path(harness.GATEHOUSE_BIN)
    if not path.is_file():
        pytest.exit("GATEHOUSE_BIN %s does not exist; build the gatehouse target first" % path, 2)
    return path


@pytest.fixture
def backend_factory(tmp_path):
    started = []

    def make(name="b1", tls=None, port=None):
        backend = Backend(tmp_path, name, port=port, tls=tls).start()
        started.append(backend)
        return backend

    yield make
    for backend in started:
        backend.stop()


@pytest.fixture
def backend(backend_factory):
    return backend_factory("b1")


@pytest.fixture
def gateway_factory(tmp_path):
    """Starts gatehouse with a config built from `apis` and overrides; on teardown, stops it with
    SIGTERM and checks that it exited 0."""
    started = []

    def make(apis=None, config=None, **overrides):
        workdir = tmp_path / ("gw%d" % len(started))
        workdir.mkdir()
        if config is None:
            config = base_config(workdir, apis or [], **overrides)
        gateway = Gateway(workdir, config)
        started.append(gateway)
        return gateway

    yield make
    failures = []
    for gateway in started:
        code = gateway.stop()
        if code != 0:
            failures.append("gatehouse exited with %s after SIGTERM\n%s" % (code, gateway.output()))
    assert not failures, "\n".join(failures)


@pytest.fixture
def config_for(tmp_path):
    """Builds a config dict like the gateway fixture does, for tests that write their own file."""
    return lambda apis, **overrides: base_config(tmp_path, apis, **overrides)


@pytest.fixture
def gateway(gateway_factory, backend):
    """The usual gateway: PizzaShack, an echo API and a pass-through test API on one backend."""
    return gateway_factory([pizzashack_api(backend.url), echo_api(backend.url),
                            passthrough_api(backend.url)])


# -- certificates ------------------------------------------------------------------------------

def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


class Pki:
    """A CA, a server certificate for 127.0.0.1/localhost, a client certificate, and a second,
    unrelated CA with its own client certificate for the negative cases."""

    def __init__(self, directory):
        self.dir = Path(directory)
        self.make_ca("ca", "Gatehouse Test CA")
        self.make_ca("other-ca", "Unrelated CA")
        self.make_leaf("server", "ca", "localhost",
                       "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        self.make_leaf("client", "ca", "test-client",
                       "extendedKeyUsage=clientAuth\n")
        self.make_leaf("stranger", "other-ca", "stranger",
                       "extendedKeyUsage=clientAuth\n")

    def path(self, name):
        return self.dir / name

    def make_ca(self, name, cn):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "30",
                "-subj", "/O=Gatehouse Tests/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=self.dir)

    def make_leaf(self, name, ca, cn, extensions):
        (self.dir / (name + ".ext")).write_text(extensions)
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/O=Gatehouse Tests/CN=" + cn, cwd=self.dir)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "30",
                "-extfile", name + ".ext", cwd=self.dir)


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command line tool is required")
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def signing_key(tmp_path_factory):
    """The gateway's RSA signing key (API keys, backend JWTs), made by openssl."""
    return rsa_signing_key(tmp_path_factory.mktemp("keys") / "gateway.pem")

"""The credential commands: `hash-password` checked by the reference argon2 tool, `api-key`
checked by PyJWT with the public half of a key made by `openssl genpkey`."""

import base64
import subprocess
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

import harness

CONFIG = """\
workers: 1
listeners:
  - name: http
    address: 127.0.0.1:0
{signing_key}
apis:
  - name: PizzaShack
    version: 1.0.0
    context: /pizzashack
    endpoints:
      production: [http://127.0.0.1:9000]
    resources:
      - {{method: GET, path: /menu}}
  - name: Orders
    version: "2.0"
    context: /orders
    endpoints:
      production: [http://127.0.0.1:9000]
    resources:
      - {{method: GET, path: /list}}
applications:
  - {{id: app-1, name: Shop, owner: alice, tier: 50PerMin}}
  - {{id: app-2, owner: bob}}
subscriptions:
  - {{application: app-1, api: "PizzaShack:1.0.0", tier: Silver}}
  - {{application: app-1, api: "Orders:2.0"}}
  - {{application: app-2, api: "Orders:2.0"}}
"""


def gatehouse(*args, stdin=None):
    return subprocess.run([harness.GATEHOUSE_BIN, *args], capture_output=True, text=True,
                          input=stdin, timeout=30)


def make_key(tmp_path, algorithm_args):
    path = tmp_path / "gateway.key.pem"
    subprocess.run(["openssl", "genpkey", *algorithm_args, "-out", str(path)], check=True,
                   capture_output=True)
    return path


def public_key(path):
    return serialization.load_pem_private_key(path.read_bytes(), None).public_key()


def write_config(tmp_path, key_path):
    signing_key = f"signing_key: {key_path}" if key_path else ""
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG.format(signing_key=signing_key))
    return path


@pytest.fixture
def rsa_key(tmp_path):
    return make_key(tmp_path, ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])


def test_api_key_verifies_with_the_gateway_key_and_lists_the_subscriptions(tmp_path, rsa_key):
    config = write_config(tmp_path, rsa_key)
    before = int(time.time())
    result = gatehouse("api-key", "-c", str(config), "--application", "app-1", "--key-type",
                       "sandbox", "--validity", "30d", "--ip", "10.0.0.0/8", "--ip",
                       "192.0.2.7", "--referrer", "*.example.com/*")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()

    header = jwt.get_unverified_header(token)
    # Typed and addressed as an API key, so that no backend takes it for a backend JWT.
    assert header["alg"] == "RS256" and header["typ"] == "apikey+jwt" and header["kid"]
    claims = jwt.decode(token, public_key(rsa_key), algorithms=["RS256"],
                        audience="urn:gatehouse:api-key")
    assert claims["token_type"] == "apiKey"
    assert claims["keytype"] == "SANDBOX"
    assert claims["sub"] == "alice"
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 30 * 86400
    assert claims["application"] == {"id": "app-1", "uuid": "app-1", "name": "Shop",
                                     "tier": "50PerMin", "owner": "alice"}
    assert claims["subscribedAPIs"] == [
        {"name": "PizzaShack", "version": "1.0.0", "context": "/pizzashack/1.0.0",
         "publisher": "", "subscriptionTier": "Silver"},
        {"name": "Orders", "version": "2.0", "context": "/orders/2.0", "publisher": "",
         "subscriptionTier": "Unlimited"}]
    assert claims["permittedIP"] == "10.0.0.0/8,192.0.2.7"
    assert claims["permittedReferer"] == "*.example.com/*"


def test_api_key_defaults_production_for_a_year_and_ec_keys_sign_es256(tmp_path):
    key = make_key(tmp_path, ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
    result = gatehouse("api-key", "--config", str(write_config(tmp_path, key)),
                       "--application=app-2")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    claims = jwt.decode(token, public_key(key), algorithms=["ES256"],
                        audience="urn:gatehouse:api-key")
    assert claims["keytype"] == "PRODUCTION"
    assert claims["exp"] - claims["iat"] == 365 * 86400
    assert [api["name"] for api in claims["subscribedAPIs"]] == ["Orders"]
    assert claims["permittedIP"] == "" and claims["permittedReferer"] == ""


def test_api_key_does_not_verify_with_another_key(tmp_path, rsa_key):
    result = gatehouse("api-key", "-c", str(write_config(tmp_path, rsa_key)), "--application",
                       "app-1")
    other = tmp_path / "other"
    other.mkdir()
    other_key = make_key(other, ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(result.stdout.strip(), public_key(other_key), algorithms=["RS256"])


# Exit status 2: the command line is wrong (with the usage text); 1: the key cannot be issued.
@pytest.mark.parametrize("args, status, words", [
    (["--application", "nobody"], 1, ["no application 'nobody'"]),
    (["--application", "app-1", "--key-type", "staging"], 2, ["production or sandbox"]),
    (["--application", "app-1", "--validity", "30"], 2, ["--validity"]),
    (["--application", "app-1", "--ip", "10.0.0.300"], 1, ["10.0.0.300"]),
    ([], 2, ["--application"]),
])
def test_api_key_errors_are_clear(tmp_path, rsa_key, args, status, words):
    result = gatehouse("api-key", "-c", str(write_config(tmp_path, rsa_key)), *args)
    assert result.returncode == status, result.stderr
    assert result.stdout == ""
    for word in words:
        assert word in result.stderr, result.stderr


def test_api_key_needs_a_signing_key(tmp_path):
    result = gatehouse("api-key", "-c", str(write_config(tmp_path, None)), "--application",
                       "app-1")
    assert result.returncode == 1
    assert "signing_key" in result.stderr and result.stdout == ""


def test_api_key_reports_config_errors_with_their_location(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("workers: 1\nlisteners: []\nbogus: 1\n")
    result = gatehouse("api-key", "-c", str(path), "--application", "app-1")
    assert result.returncode == 1
    assert f"{path}:3:" in result.stderr


def argon2_reference(password, encoded):
    """The hash the reference tool makes from `password` with the salt and costs of `encoded`."""
    _, variant, version, costs, salt, _ = encoded.split("$")
    params = dict(item.split("=") for item in costs.split(","))
    raw_salt = base64.b64decode(salt + "=" * (-len(salt) % 4))
    result = subprocess.run(
        [b"argon2", raw_salt, b"-id", b"-t", params["t"].encode(), b"-k", params["m"].encode(),
         b"-p", params["p"].encode(), b"-l", b"32", b"-e"],
        input=password.encode(), capture_output=True, check=True)
    return result.stdout.decode().strip()


def test_hash_password_is_the_argon2id_of_the_line_read():
    password = "correct horse battery staple"
    # The reference tool takes the salt as an argument, which cannot hold a NUL byte: hash again
    # until the random salt has none (1 in 16 salts has one).
    for _ in range(20):
        result = gatehouse("hash-password", stdin=password + "\n")
        assert result.returncode == 0, result.stderr
        encoded = result.stdout.strip()
        assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        if b"\0" not in base64.b64decode(encoded.split("$")[4] + "=="):
            break
    assert argon2_reference(password, encoded) == encoded
    assert gatehouse("hash-password", stdin=password + "\n").stdout.strip() != encoded  # new salt


def test_hash_password_refuses_an_empty_password():
    result = gatehouse("hash-password", stdin="\n")
    assert result.returncode == 1 and "empty" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("command", ["hash-password", "api-key"])
def test_key_commands_have_help(command):
    result = gatehouse(command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: gatehouse " + command)
    assert command in gatehouse("--help").stdout

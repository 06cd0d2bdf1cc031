"""The soak's two gateway configurations, and the credentials their secured APIs take.

Both serve the same four APIs, so that every load succeeds under either; they differ in what a
reload must replace: the X-Soak-Config response header every API sets (how the soak sees that a
reload applied), the token cache size, the health-check interval of the restarted backend, and
FILLER_APIS more APIs in "b" (a snapshot and router that hold noticeably more memory: a snapshot
that is never freed would show in the RSS)."""

import json
import subprocess
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://idp.soak"
CLIENT_ID = "soak-client"
APPLICATION = "soak-app"
FILLER_APIS = 300
VARIANTS = ("a", "b")

# Fewer cache entries than distinct tokens in rotation (TOKENS + API_KEYS): the cache keeps
# evicting and verifying, the path where an entry that is never freed would show.
TOKEN_CACHE_ENTRIES = {"a": 64, "b": 96}
TOKENS = 150
API_KEYS = 16


def api_lines(name, context, backend, resources, security=None, variant="a", extra=()):
    lines = [
        "  - name: %s" % name,
        "    version: 1.0.0",
        "    context: %s" % context,
        "    endpoints:",
        "      production: [\"%s\"]" % backend,
    ]
    lines += ["      " + line for line in extra]
    if security:
        lines.append("    security: {schemes: [%s]}" % security)
    lines += [
        "    policies:",
        "      - {type: headers, response: {set: {X-Soak-Config: %s}}}" % variant,
        "    resources:",
    ]
    lines += ["      - %s" % resource for resource in resources]
    return lines


def config_text(variant, listen_port, admin_port, stable_url, restarted_url, workdir, workers):
    """The YAML of variant "a" or "b"."""
    lines = [
        "workers: %d" % workers,
        "listeners:",
        "  - {name: http, address: \"127.0.0.1:%d\"}" % listen_port,
        "admin: {address: \"127.0.0.1:%d\"}" % admin_port,
        # Every request is formatted and handed to the log thread; SIGHUP reopens the file.
        "access_log: {path: /dev/null}",
        "signing_key: \"%s\"" % (workdir / "gateway-key.pem"),
        "token_cache: {entries: %d}" % TOKEN_CACHE_ENTRIES[variant],
        "limits: {max_body_size: 64MiB}",
        "key_managers:",
        "  - {name: soak-idp, issuer: \"%s\", jwks_file: \"%s\"}" % (ISSUER,
                                                                    workdir / "jwks.json"),
        "applications:",
        "  - {id: %s, name: SoakApp, owner: soak, keys: [{key_manager: soak-idp, "
        "consumer_key: %s}]}" % (APPLICATION, CLIENT_ID),
        "subscriptions:",
        "  - {application: %s, api: \"OAuth:1.0.0\"}" % APPLICATION,
        "  - {application: %s, api: \"Keyed:1.0.0\"}" % APPLICATION,
        "apis:",
    ]
    lines += api_lines("Open", "/open", stable_url, ["{method: GET, path: /menu}"],
                       variant=variant)
    lines += api_lines("OAuth", "/oauth", stable_url,
                       ["{method: GET, path: /menu, scopes: [read]}"], "oauth2", variant)
    lines += api_lines("Keyed", "/keyed", stable_url, ["{method: GET, path: /menu}"], "api_key",
                       variant)
    # The restarted backend: suspension kept short so that it serves again soon after its
    # restart; the health check marks it down while it is away.
    interval = "2s" if variant == "a" else "3s"
    lines += api_lines(
        "Upload", "/upload", restarted_url, ["{method: POST, path: /upload}"], variant=variant,
        extra=["suspension: {failures: 3, initial: 1s, max: 4s}",
               "health_check: {path: /health, interval: %s, timeout: 1s}" % interval])
    if variant == "b":
        for i in range(FILLER_APIS):
            lines += [
                "  - name: Filler%d" % i,
                "    version: 1.0.0",
                "    context: /filler%d" % i,
                "    endpoints: {production: [\"%s\"]}" % stable_url,
                "    resources:",
                "      - {method: GET, path: /menu}",
                "      - {method: GET, path: \"/order/{orderId}\"}",
                "      - {methods: [POST, PUT], path: \"/items/*\"}",
            ]
    return "\n".join(lines) + "\n"


def run_tool(command):
    """The standard output of a command that must succeed."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("%s exited with %d:\n%s" % (" ".join(command[:2]), done.returncode,
                                                       done.stderr[-2000:]))
    return done.stdout


def make_signing_key(workdir):
    """The gateway's own key, which signs the API keys."""
    run_tool(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
              "-out", str(workdir / "gateway-key.pem")])


def make_access_tokens(workdir, lifetime):
    """Writes the key manager's JWKS and returns TOKENS distinct RS256 access tokens, made by
    PyJWT, never by the gateway's own code."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.get_algorithm_by_name("RS256").to_jwk(key.public_key()))
    jwk.update({"kid": "soak", "use": "sig", "alg": "RS256"})
    (workdir / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    now = int(time.time())
    return [jwt.encode({"iss": ISSUER, "sub": "soak-user-%d" % i, "client_id": CLIENT_ID,
                        "scope": "read", "iat": now, "exp": now + lifetime,
                        "jti": "soak-%d-%d" % (now, i)}, key, algorithm="RS256",
                       headers={"kid": "soak"})
            for i in range(TOKENS)]


def issue_api_keys(gatehouse, config_path, validity_seconds):
    """API_KEYS keys of the soak's application, issued by `gatehouse api-key`."""
    return [run_tool([gatehouse, "api-key", "-c", str(config_path), "--application", APPLICATION,
                      "--validity", "%ds" % validity_seconds]).strip()
            for _ in range(API_KEYS)]

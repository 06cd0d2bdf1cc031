"""An independent OAuth2 / OpenID Connect server for the black-box tests: oidc-provider (npm),
run by oidc/server.mjs on a loopback port of its choosing (or a given one).

    with OidcServer(tmp_path) as oidc:
        token = oidc.token(scope="read", resource=OidcServer.JWT_RESOURCE)
        oidc.introspect(token)  # {"active": True, "client_id": "app-client", ...}
        oidc.rotate_keys()      # new signing keys; the old ones leave the JWKS
        oidc.settings(clock_skew=-7200)  # the server's clock two hours behind from now on
        oidc.requests_received("POST /token/introspection")  # how often it was asked so far

Clients: `app-client`/`app-secret` gets tokens (client credentials, scopes read write admin);
`gateway-client`/`gateway-secret` is the one a gateway uses for introspection.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import requests

import harness

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
NODE = shutil.which("node") or "node"

APP_CLIENT = ("app-client", "app-secret")
GATEWAY_CLIENT = ("gateway-client", "gateway-secret")


class OidcServer:
    JWT_RESOURCE = "urn:gatehouse:jwt"  # JWT access tokens signed with RS256
    JWT_ES256_RESOURCE = "urn:gatehouse:jwt-es256"  # JWT access tokens signed with ES256
    OPAQUE_RESOURCE = "urn:gatehouse:opaque"  # opaque tokens with this audience

    def __init__(self, workdir, port=None, jwks=None, token_ttl=None, tls=None):
        """`jwks`: a private JWKS (dict) to sign with instead of generated keys; `token_ttl`:
        access token lifetime in seconds (default 3600); `tls`: (certificate, key, CA) PEM paths
        to serve HTTPS with, the CA being what this helper verifies the server with."""
        self.workdir = Path(workdir)
        self.port = port  # None until the first start binds one
        self.tls = tls
        self.verify = str(tls[2]) if tls else True
        self.log_path = self.workdir / "oidc-provider.log"
        self.jwks_path = None
        if jwks is not None:
            self.jwks_path = self.workdir / "oidc-jwks.json"
            self.jwks_path.write_text(json.dumps(jwks))
        self.token_ttl = token_ttl
        self.process = None

    @property
    def issuer(self):
        return "%s://127.0.0.1:%d" % ("https" if self.tls else "http", self.port)

    @property
    def discovery_url(self):
        return self.issuer + "/.well-known/openid-configuration"

    @property
    def jwks_uri(self):
        return self.issuer + "/jwks"

    @property
    def token_endpoint(self):
        return self.issuer + "/token"

    @property
    def introspection_endpoint(self):
        return self.issuer + "/token/introspection"

    @property
    def revocation_endpoint(self):
        return self.issuer + "/token/revocation"

    # -- process --------------------------------------------------------------------------------

    def start(self):
        harness.install_npm_test_tools()
        env = dict(os.environ)
        if self.jwks_path:
            env["OIDC_JWKS_FILE"] = str(self.jwks_path)
        if self.token_ttl is not None:
            env["OIDC_TOKEN_TTL"] = str(self.token_ttl)
        if self.tls:
            env["OIDC_TLS_CERT"], env["OIDC_TLS_KEY"] = str(self.tls[0]), str(self.tls[1])
        log = open(self.log_path, "ab")
        offset = log.tell()  # a restart appends: read this start's lines only
        self.process = subprocess.Popen([NODE, str(OIDC_DIR / "server.mjs"), str(self.port or 0)],
                                        cwd=OIDC_DIR, env=env, stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()
        try:
            listening = harness.wait_for_line(self.log_path, r"listening on https?://\S+:(\d+)",
                                              self.process, "oidc-provider", offset)
        except (RuntimeError, TimeoutError):
            self.stop()
            raise
        self.port = int(listening.group(1))
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + harness.START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("oidc-provider exited with %s:\n%s"
                                   % (self.process.returncode, self.log()))
            try:
                ready = requests.get(self.discovery_url, timeout=1, verify=self.verify)
                if ready.status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        self.stop()
        raise TimeoutError("oidc-provider not ready after %ss:\n%s"
                           % (harness.START_TIMEOUT, self.log()))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- OAuth2 ---------------------------------------------------------------------------------

    def token_response(self, scope=None, resource=None, client=APP_CLIENT):
        """The raw token endpoint response for a client-credentials grant."""
        form = {"grant_type": "client_credentials"}
        if scope is not None:
            form["scope"] = scope
        if resource is not None:
            form["resource"] = resource
        return requests.post(self.token_endpoint, data=form, auth=client, timeout=10,
                             verify=self.verify)

    def token(self, scope=None, resource=None):
        """An access token for app-client: a JWT for JWT_RESOURCE (or JWT_ES256_RESOURCE), opaque
        otherwise."""
        response = self.token_response(scope, resource)
        response.raise_for_status()
        return response.json()["access_token"]

    def introspect(self, token, client=GATEWAY_CLIENT):
        """RFC 7662 introspection as the gateway would do it; the response as a dict."""
        response = requests.post(self.introspection_endpoint, data={"token": token}, auth=client,
                                 timeout=10, verify=self.verify)
        response.raise_for_status()
        return response.json()

    def revoke(self, token, client=APP_CLIENT):
        """RFC 7009 revocation by the client the token was issued to."""
        response = requests.post(self.revocation_endpoint, data={"token": token}, auth=client,
                                 timeout=10, verify=self.verify)
        response.raise_for_status()

    def jwks(self):
        """The published (public) JWKS."""
        response = requests.get(self.jwks_uri, timeout=10, verify=self.verify)
        response.raise_for_status()
        return response.json()

    def rotate_keys(self, jwks=None, keep_previous=False):
        """New signing keys from now on: `jwks` (a private JWKS dict) or freshly generated ones.
        The old keys stay published only with `keep_previous`. Returns the new public JWKS.
        Tokens issued before stay valid for introspection."""
        body = dict(jwks or {})
        body["keep_previous"] = keep_previous
        response = requests.post(self.issuer + "/test/rotate", json=body, timeout=30,
                                 verify=self.verify)
        response.raise_for_status()
        return response.json()

    def requests_received(self, what):
        """How many requests the server received so far for `what`, "METHOD /path" (for example
        "POST /token/introspection", "GET /jwks")."""
        response = requests.get(self.issuer + "/test/requests", timeout=10, verify=self.verify)
        response.raise_for_status()
        return response.json().get(what, 0)

    def settings(self, clock_skew=None, token_ttl=None):
        """Changes, from now on, how far the server's clock is off (seconds; negative: behind) and
        the lifetime in seconds of the access tokens it issues. Returns the settings in force."""
        body = {name: value for name, value in (("clock_skew", clock_skew),
                                                ("token_ttl", token_ttl)) if value is not None}
        response = requests.post(self.issuer + "/test/settings", json=body, timeout=10,
                                 verify=self.verify)
        response.raise_for_status()
        return response.json()

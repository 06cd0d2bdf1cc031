"""Keys and tokens for the security tests, made by an independent implementation (PyJWT and
cryptography), never by the gateway's own code."""

import base64
import hashlib
import hmac
import http.server
import json
import subprocess
import threading
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

ISSUER = "https://idp.test"


class KeySet:
    """Private keys by kid, and the public JWKS that publishes them."""

    def __init__(self):
        self.keys = {
            "rs": ("RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
            "es": ("ES256", ec.generate_private_key(ec.SECP256R1())),
            "ed": ("EdDSA", ed25519.Ed25519PrivateKey.generate()),
        }

    def jwks(self):
        keys = []
        for kid, (alg, key) in self.keys.items():
            if alg == "ES256":
                jwk = ec_jwk(key.public_key())
            else:
                jwk = json.loads(jwt.get_algorithm_by_name(alg).to_jwk(key.public_key()))
            jwk.update({"kid": kid, "use": "sig"})
            keys.append(jwk)
        return {"keys": keys}

    def public_pem(self, kid):
        return self.keys[kid][1].public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def token(self, kid="rs", issuer=ISSUER, client_id="client-1", scope="read", lifetime=300,
              headers=None, **claims):
        alg, key = self.keys[kid]
        now = int(time.time())
        payload = {"iss": issuer, "sub": "alice", "client_id": client_id, "scope": scope,
                   "iat": now, "exp": now + lifetime, "jti": "jti-%d-%s" % (now, client_id)}
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid, **(headers or {})})


def ec_jwk(key):
    """The JWK of an EC key (public, or private with "d"). Each coordinate is exactly the curve's
    size, leading zero bytes kept, as RFC 7518 section 6.2.1.2 requires: Debian 12's PyJWT (2.6)
    drops them, and one key in about 128 then made a JWK Set the gateway rightly refuses."""
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    size = (public.curve.key_size + 7) // 8
    numbers = public.public_numbers()
    jwk = {"kty": "EC", "crv": {"secp256r1": "P-256", "secp384r1": "P-384",
                                "secp521r1": "P-521"}[public.curve.name],
           "x": b64url(numbers.x.to_bytes(size, "big")),
           "y": b64url(numbers.y.to_bytes(size, "big"))}
    if public is not key:
        jwk["d"] = b64url(key.private_numbers().private_value.to_bytes(size, "big"))
    return jwk


def b64url(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made_token(header, payload, signature=b""):
    """A compact JWS built byte by byte, for tokens no library will make (alg none, key
    confusion, duplicated members)."""
    head = header if isinstance(header, str) else json.dumps(header)
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return "%s.%s.%s" % (b64url(head), b64url(body), b64url(signature))


def hs256_with_public_key(keys, payload):
    """The classic key-confusion forgery: HS256 signed with the RSA public key as the secret."""
    header = {"alg": "HS256", "typ": "JWT", "kid": "rs"}
    signing_input = "%s.%s" % (b64url(json.dumps(header)), b64url(json.dumps(payload)))
    signature = hmac.new(keys.public_pem("rs"), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def assert_wso2_error(response, status, code, challenge_error=None):
    """A refusal as the gateway documents it: the status, WSO2's JSON error with this code, and
    the RFC 6750 challenge (`challenge_error`: its error="..." value; None: no error attribute).
    Returns the JSON body."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json"), response.headers
    body = response.json()
    assert body["code"] == code, body
    assert body["message"] and body["description"], body
    challenge = response.headers.get("WWW-Authenticate")
    if challenge_error is None:
        assert challenge is None or "error=" not in challenge, challenge
    else:
        assert challenge.startswith('Bearer realm="gatehouse"'), challenge
        assert 'error="%s"' % challenge_error in challenge, challenge
    return body


def rsa_signing_key(path):
    """A fresh RSA private key (PEM) at `path`, made by the openssl command, for `signing_key`."""
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", str(path)], check=True, capture_output=True)
    return path


def wso2_api_key(private_pem, application_id, apis, key_type="PRODUCTION", lifetime=3600,
                 **claims):
    """An API key in WSO2 API Manager's layout (a JWT listing its subscribed APIs), signed with
    `private_pem` (RS256) the way WSO2 would sign it; `apis` as "Name:version" labels."""
    now = int(time.time())
    payload = {
        "iss": "https://localhost:9443/oauth2/token", "sub": "alice@carbon.super",
        "iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4()),
        "keytype": key_type, "token_type": "apiKey",
        "application": {"id": 1, "uuid": application_id, "name": application_id,
                        "tier": "Unlimited", "owner": "alice"},
        "subscribedAPIs": [{"name": label.split(":")[0], "version": label.split(":")[1],
                            "context": "/%s/%s" % (label.split(":")[0].lower(),
                                                   label.split(":")[1]),
                            "publisher": "admin", "subscriptionTier": "Unlimited"}
                           for label in apis],
    }
    payload.update(claims)
    return jwt.encode(payload, private_pem, algorithm="RS256", headers={"typ": "JWT"})


class JwksServer:
    """An identity provider's jwks_uri, served by the test itself: it counts the fetches, and the
    test can change the keys it publishes (`jwks`)."""

    def __init__(self, jwks):
        self.jwks = jwks
        self.fetches = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                owner.fetches += 1
                body = json.dumps(owner.jwks).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d/jwks" % self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

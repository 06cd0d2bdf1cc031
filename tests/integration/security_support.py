"""Keys and tokens for the security tests, made by an independent implementation (PyJWT and
cryptography), never by the gateway's own code."""

import base64
import hashlib
import hmac
import json
import time

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

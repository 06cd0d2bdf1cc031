"""An independent JWT implementation (PyJWT and cryptography) for the tokens tests.

  pyjwt_tool.py keys DIR
      writes rsa.key.pem, other_rsa.key.pem, p256.key.pem and ed25519.key.pem into DIR
  pyjwt_tool.py verify TOKEN_FILE JWKS_FILE
      verifies the token with the key of the JWKS its kid names (its alg only, exp checked) and
      prints {"header": ..., "claims": ...}; exits 1 if PyJWT refuses it
  pyjwt_tool.py backend-accepts TOKEN_FILE JWKS_FILE [AUDIENCE]
      verifies the token as docs/config.md tells a backend to verify a backend JWT: the key of
      the JWKS its kid names, PyJWT's default claim checks (aud must be AUDIENCE if one is given,
      and a token with an aud is refused if none is) and the header's typ "JWT"; exits 1 if not
  pyjwt_tool.py sign PRIVATE_PEM ALG KID CLAIMS_FILE
      prints a JWT with header {"alg", "typ": "JWT", "kid"} signed by PyJWT
  pyjwt_tool.py hs256 PRIVATE_PEM KID CLAIMS_FILE
      prints an HS256 JWT whose HMAC secret is the PEM of the key's public half: the
      key-confusion attack (made by hand, as PyJWT refuses to use a PEM public key as a secret)
"""

import base64
import hashlib
import hmac
import json
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa


def write_key(path, key):
    with open(path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


def keys(directory):
    write_key(f"{directory}/rsa.key.pem", rsa.generate_private_key(65537, 2048))
    write_key(f"{directory}/other_rsa.key.pem", rsa.generate_private_key(65537, 2048))
    write_key(f"{directory}/p256.key.pem", ec.generate_private_key(ec.SECP256R1()))
    write_key(f"{directory}/ed25519.key.pem", ed25519.Ed25519PrivateKey.generate())


def verify(token_file, jwks_file):
    token = open(token_file).read().strip()
    header = jwt.get_unverified_header(token)
    key_set = jwt.PyJWKSet.from_json(open(jwks_file).read())
    key = next(k for k in key_set.keys if k.key_id == header["kid"])
    claims = jwt.decode(token, key.key, algorithms=[key._jwk_data["alg"]],
                        options={"require": ["exp", "iat"], "verify_aud": False})
    print(json.dumps({"header": header, "claims": claims}))


def backend_accepts(token_file, jwks_file, audience=None):
    token = open(token_file).read().strip()
    header = jwt.get_unverified_header(token)
    key_set = jwt.PyJWKSet.from_json(open(jwks_file).read())
    key = next(k for k in key_set.keys if k.key_id == header["kid"])
    jwt.decode(token, key.key, algorithms=[key._jwk_data["alg"]], audience=audience)
    if header.get("typ") != "JWT":
        sys.exit(1)


def sign(private_pem, alg, kid, claims_file):
    key = open(private_pem, "rb").read()
    claims = json.load(open(claims_file))
    print(jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"}))


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256(private_pem, kid, claims_file):
    private_key = serialization.load_pem_private_key(open(private_pem, "rb").read(), None)
    secret = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = b64(open(claims_file, "rb").read().strip())
    signing_input = f"{header}.{payload}".encode()
    print(f"{header}.{payload}." + b64(hmac.new(secret, signing_input, hashlib.sha256).digest()))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"keys": keys, "verify": verify, "backend-accepts": backend_accepts, "sign": sign,
     "hs256": hs256}[command](*args)

#!/usr/bin/python3
"""Test vectors for the JOSE layer, made with an independent implementation (PyJWT, cryptography).

  make_vectors.py OUT_DIR
      writes keys (PEM files, jwks.json), thumbprints.json and cases.json: every token the C++
      tests verify, each with the outcome expected ("ok" or the error reason).
  make_vectors.py verify TOKEN_FILE PUBLIC_PEM ALG
      verifies a token made by our signer; prints its claims as JSON, exits 1 if it is rejected.
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import sys

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

NOW = 1_700_000_000
ISSUER = "https://issuer.test"
AUDIENCE = "gateway"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64_int(value):
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def pem_private(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def pem_public(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_jwk(key):
    """The public JWK of a private key, written from RFC 7517/7518/8037, not by a JOSE library."""
    pub = key.public_key()
    if isinstance(pub, rsa.RSAPublicKey):
        numbers = pub.public_numbers()
        return {"kty": "RSA", "n": b64_int(numbers.n), "e": b64_int(numbers.e)}
    if isinstance(pub, ec.EllipticCurvePublicKey):
        size = (pub.curve.key_size + 7) // 8
        numbers = pub.public_numbers()
        crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[pub.curve.name]
        return {"kty": "EC", "crv": crv, "x": b64(numbers.x.to_bytes(size, "big")),
                "y": b64(numbers.y.to_bytes(size, "big"))}
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    crv = "Ed25519" if isinstance(pub, ed25519.Ed25519PublicKey) else "Ed448"
    return {"kty": "OKP", "crv": crv, "x": b64(raw)}


def thumbprint(jwk):
    """RFC 7638: SHA-256 of the required members, sorted, without whitespace."""
    required = {"RSA": ["e", "kty", "n"], "EC": ["crv", "kty", "x", "y"], "OKP": ["crv", "kty", "x"],
                "oct": ["k", "kty"]}[jwk["kty"]]
    canonical = json.dumps({name: jwk[name] for name in required}, separators=(",", ":"),
                           sort_keys=True)
    return b64(hashlib.sha256(canonical.encode()).digest())


def claims(**changes):
    body = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "jti": "id-1", "iat": NOW - 10,
            "nbf": NOW - 10, "exp": NOW + 3600, "scope": "read write"}
    body.update(changes)
    return {name: value for name, value in body.items() if value is not None}


def raw_token(header, payload_bytes, sign):
    """A token assembled by hand, for what PyJWT refuses to make."""
    head = b64(json.dumps(header).encode() if isinstance(header, dict) else header)
    signing_input = head + "." + b64(payload_bytes)
    return signing_input + "." + b64(sign(signing_input.encode()))


def make(out):
    keys = {
        "rsa": rsa.generate_private_key(65537, 2048),
        "rsa_other": rsa.generate_private_key(65537, 2048),
        "rsa_1024": rsa.generate_private_key(65537, 1024),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "p384": ec.generate_private_key(ec.SECP384R1()),
        "p521": ec.generate_private_key(ec.SECP521R1()),
        "ed25519": ed25519.Ed25519PrivateKey.generate(),
        "ed448": ed448.Ed448PrivateKey.generate(),
        "attacker": rsa.generate_private_key(65537, 2048),
    }
    secrets = {"hs256": os.urandom(32), "hs384": os.urandom(48), "hs512": os.urandom(64)}

    jwks = []
    for name in ["rsa", "rsa_other", "rsa_1024", "p256", "p384", "p521", "ed25519", "ed448"]:
        jwks.append(dict(public_jwk(keys[name]), kid=name, use="sig"))
    jwks.append(dict(public_jwk(keys["rsa"]), kid="rsa_rs384_only", alg="RS384"))
    for name, secret in secrets.items():
        jwks.append({"kty": "oct", "k": b64(secret), "kid": name})
    # Keys a verifier must skip without losing the rest of the set.
    jwks.append(dict(public_jwk(keys["rsa_other"]), kid="encryption_key", use="enc"))
    jwks.append({"kty": "XYZ", "kid": "unknown_type"})
    off_curve = dict(public_jwk(keys["p256"]), kid="off_curve")
    off_curve["y"] = b64(bytes(32 - 1) + b"\x01")
    jwks.append(off_curve)
    with open(os.path.join(out, "jwks.json"), "w") as f:
        json.dump({"keys": jwks}, f)

    for name in ["rsa", "p256", "ed25519"]:
        with open(os.path.join(out, name + ".key.pem"), "w") as f:
            f.write(pem_private(keys[name]))
        with open(os.path.join(out, name + ".pub.pem"), "w") as f:
            f.write(pem_public(keys[name]))
    with open(os.path.join(out, "rsa_1024.pub.pem"), "w") as f:
        f.write(pem_public(keys["rsa_1024"]))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer.test")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(keys["rsa"].public_key()).serial_number(1)
            .not_valid_before(datetime.datetime(2020, 1, 1))
            .not_valid_after(datetime.datetime(2040, 1, 1))
            .sign(keys["rsa"], hashes.SHA256()))
    with open(os.path.join(out, "rsa.cert.pem"), "w") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM).decode())
    with open(os.path.join(out, "thumbprints.json"), "w") as f:
        json.dump({name: thumbprint(public_jwk(keys[name])) for name in ["rsa", "p256", "ed25519"]},
                  f)

    cases = []

    def case(name, token, expect, **extra):
        cases.append(dict(name=name, token=token, expect=expect, **extra))

    def signed(alg, kid, payload=None, headers=None, key=None):
        if key is None:
            key = secrets[kid] if kid in secrets else keys[kid]
        header = {"kid": kid}
        header.update(headers or {})
        return jwt.encode(payload or claims(), key, algorithm=alg, headers=header)

    for alg, kid in [("RS256", "rsa"), ("RS384", "rsa"), ("RS512", "rsa"), ("PS256", "rsa"),
                     ("PS384", "rsa"), ("PS512", "rsa"), ("ES256", "p256"), ("ES384", "p384"),
                     ("ES512", "p521"), ("EdDSA", "ed25519"), ("EdDSA", "ed448"),
                     ("HS256", "hs256"), ("HS384", "hs384"), ("HS512", "hs512")]:
        case("valid_%s_%s" % (alg, kid), signed(alg, kid), "ok", sub="alice",
             scopes=["read", "write"])
    case("key_alg_allows_token_alg", signed("RS384", "rsa_rs384_only", key=keys["rsa"]), "ok", sub="alice")
    case("key_alg_differs_from_token_alg", signed("RS256", "rsa_rs384_only", key=keys["rsa"]), "key_alg_mismatch")
    case("scp_array", signed("ES256", "p256", claims(scope=None, scp=["a", "b c"])), "ok",
         sub="alice", scopes=["a", "b c"], scope_claim="scp")
    case("aud_array_any_match", signed("RS256", "rsa", claims(aud=["other", AUDIENCE])), "ok",
         sub="alice")
    case("expired_within_leeway", signed("RS256", "rsa", claims(exp=NOW - 20)), "ok", sub="alice")
    case("no_kid_in_multi_key_set", jwt.encode(claims(), keys["ed448"], algorithm="EdDSA"),
         "unknown_kid")

    # The negative matrix.
    payload = json.dumps(claims()).encode()
    case("alg_none", raw_token({"alg": "none", "kid": "rsa"}, payload, lambda s: b""), "alg_none")
    case("alg_none_capitalised", raw_token({"alg": "None", "kid": "rsa"}, payload, lambda s: b""),
         "alg_unsupported")
    case("alg_unknown", raw_token({"alg": "RS1", "kid": "rsa"}, payload, lambda s: b"x"),
         "alg_unsupported")
    rsa_public_pem = pem_public(keys["rsa"]).encode()
    case("rs256_to_hs256_key_confusion",
         raw_token({"alg": "HS256", "typ": "JWT", "kid": "rsa"}, payload,
                   lambda s: hmac.new(rsa_public_pem, s, hashlib.sha256).digest()),
         "key_type_mismatch")
    case("unknown_kid", signed("RS256", "attacker"), "unknown_kid")
    case("injected_jwk", signed("RS256", "rsa", key=keys["attacker"],
                                headers={"jwk": public_jwk(keys["attacker"])}), "bad_signature")
    case("injected_jku", signed("RS256", "rsa", key=keys["attacker"],
                                headers={"jku": "https://attacker.test/jwks.json"}),
         "bad_signature")
    case("expired", signed("RS256", "rsa", claims(exp=NOW - 31)), "expired")
    case("exp_equals_now_without_leeway", signed("RS256", "rsa", claims(exp=NOW - 30)), "expired")
    case("not_yet_valid", signed("ES256", "p256", claims(nbf=NOW + 31)), "not_yet_valid")
    case("wrong_issuer", signed("RS256", "rsa", claims(iss="https://issuer.test/")), "wrong_issuer")
    case("missing_issuer", signed("RS256", "rsa", claims(iss=None)), "wrong_issuer")
    case("wrong_audience", signed("RS256", "rsa", claims(aud=["other", "gateway2"])),
         "wrong_audience")
    case("exp_not_a_number", signed("RS256", "rsa", claims(exp=str(NOW + 3600))), "bad_claim")
    case("nbf_not_a_number", signed("RS256", "rsa", claims(nbf=True)), "bad_claim")
    case("iat_not_a_number", signed("RS256", "rsa", claims(iat="now")),
         "bad_claim")
    good = signed("RS256", "rsa")
    head, body, sig = good.split(".")
    tampered = json.loads(base64.urlsafe_b64decode(body + "=="))
    tampered["sub"] = "admin"
    case("tampered_payload", ".".join([head, b64(json.dumps(tampered).encode()), sig]),
         "bad_signature")
    flipped = bytearray(base64.urlsafe_b64decode(sig + "=="))
    flipped[10] ^= 1
    case("tampered_signature", ".".join([head, body, b64(bytes(flipped))]), "bad_signature")
    case("wrong_hmac_secret", signed("HS256", "hs256", key=os.urandom(32)), "bad_signature")
    case("bad_base64_char", ".".join([head, body[:5] + "*" + body[6:], sig]), "bad_base64")
    case("base64_padding", ".".join([head + "=" * (-len(head) % 4 or 4), body, sig]),
         "bad_base64")
    case("standard_base64_alphabet", ".".join([head, body, sig[:-1] + "+"]), "bad_base64")
    case("two_parts", head + "." + body, "malformed")
    case("four_parts", good + ".x", "malformed")
    case("empty_signature", head + "." + body + ".", "bad_signature")
    case("one_mebibyte", signed("RS256", "rsa", claims(pad="a" * (1 << 20))), "too_large")

    def rsa_sign(signing_input):
        return keys["rsa"].sign(signing_input, padding.PKCS1v15(), hashes.SHA256())

    case("duplicate_header_member",
         raw_token(b'{"alg":"RS256","kid":"attacker","kid":"rsa"}', payload, rsa_sign),
         "duplicate_key")
    dup_payload = payload[:-1] + b', "sub": "admin"}'
    case("duplicate_payload_member", raw_token({"alg": "RS256", "kid": "rsa"}, dup_payload,
                                                rsa_sign), "duplicate_key")
    nested_dup = payload[:-1] + b', "ctx": {"a": 1, "a": 2}}'
    case("duplicate_nested_member", raw_token({"alg": "RS256", "kid": "rsa"}, nested_dup,
                                               rsa_sign), "duplicate_key")
    case("crit_header", signed("RS256", "rsa", headers={"crit": ["exp"], "exp": 1}),
         "crit_unsupported")
    case("b64_false", raw_token({"alg": "RS256", "kid": "rsa", "b64": False}, payload, rsa_sign),
         "b64_unsupported")
    case("header_not_object", raw_token(b'["RS256"]', payload, rsa_sign), "bad_json")
    case("payload_not_object", raw_token({"alg": "RS256", "kid": "rsa"}, b'"claims"', rsa_sign),
         "bad_json")
    case("header_not_json", raw_token(b'{"alg":"RS256",', payload, rsa_sign), "bad_json")
    case("header_without_alg", raw_token({"kid": "rsa"}, payload, rsa_sign), "malformed")
    case("es256_with_p384_key", signed("ES256", "p384", key=keys["p256"]), "key_type_mismatch")
    case("es256_der_signature",
         raw_token({"alg": "ES256", "kid": "p256"}, payload,
                   lambda s: keys["p256"].sign(s, ec.ECDSA(hashes.SHA256()))), "bad_signature")
    case("rsa_1024_key", signed("RS256", "rsa_1024"), "unknown_kid")
    case("rsa_key_for_eddsa", signed("EdDSA", "rsa", key=keys["ed25519"]), "key_type_mismatch")
    case("hmac_key_for_rs256", signed("RS256", "hs256", key=keys["rsa"]), "key_type_mismatch")
    case("encryption_key", signed("RS256", "encryption_key", key=keys["rsa_other"]),
         "unknown_kid")
    case("off_curve_key", signed("ES256", "off_curve", key=keys["p256"]), "unknown_kid")

    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump({"now": NOW, "issuer": ISSUER, "audience": AUDIENCE, "leeway": 30,
                   "cases": cases}, f)


def verify(token_file, public_pem_file, alg):
    with open(token_file) as f:
        token = f.read()
    with open(public_pem_file, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    header = jwt.get_unverified_header(token)
    try:
        decoded = jwt.decode(token, key, algorithms=[alg], options={"verify_aud": False})
    except jwt.PyJWTError as error:
        print("rejected: %s" % error, file=sys.stderr)
        return 1
    print(json.dumps({"header": header, "claims": decoded}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "verify":
        sys.exit(verify(*sys.argv[2:]))
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    make(sys.argv[1])

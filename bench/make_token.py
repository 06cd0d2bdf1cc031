#!/usr/bin/python3
"""Makes the key pair of the security benchmark: writes the public JWKS to a file and prints one
RS256 access token it verifies, with scope `read`, issued to the application of make_config.py.
PyJWT and cryptography sign it, never the gateway's own code. Needs /usr/bin/python3 (PyJWT)."""

import argparse
import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from make_config import CLIENT_ID, ISSUER


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jwks", required=True, help="file to write the public JWKS to")
    parser.add_argument("--lifetime", type=int, default=86400, help="seconds; outlives the run")
    args = parser.parse_args()

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.get_algorithm_by_name("RS256").to_jwk(key.public_key()))
    jwk.update({"kid": "bench", "use": "sig", "alg": "RS256"})
    with open(args.jwks, "w") as out:
        json.dump({"keys": [jwk]}, out)

    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "bench-user", "client_id": CLIENT_ID,
              "scope": "read", "iat": now, "exp": now + args.lifetime, "jti": "bench-%d" % now}
    print(jwt.encode(claims, key, algorithm="RS256", headers={"kid": "bench"}))


if __name__ == "__main__":
    main()

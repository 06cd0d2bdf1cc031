#!/usr/bin/env python3
"""Writes a Gatehouse config for the benchmark: COUNT APIs in front of one backend, each with a
few resources, access log off. API number `i` is served at /api<i>/1.0.0/...; with COUNT 1 the
single API is /bench/1.0.0/... instead.

With --jwks, every API is secured by `oauth2` (JWTs of the key manager `bench-idp` whose keys are in
that file), GET /menu needs scope `read`, and one application (consumer key `bench-client`) is
subscribed to every API: the setup bench/make_token.py makes a token for.

With --throttling as well, every request is counted at three levels, with quotas no run reaches:
the subscriptions' tier, the application's tier and each API's advanced policy; counted in this
process (`local`) or shared through the Redis at --redis (`exact`, `lease`, `fast`).

With --oauth2-server, the gateway serves its own key manager (issuer: the listener's URL, store:
that SQLite file) with one confidential client, `bench-km-client` (secret `bench-km-secret`),
allowed client_credentials with scope `read`."""

import argparse
import hashlib

ISSUER = "https://idp.bench"
CLIENT_ID = "bench-client"
KEY_MANAGER_CLIENT_ID = "bench-km-client"
KEY_MANAGER_CLIENT_SECRET = "bench-km-secret"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apis", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--listen", required=True, help="host:port of the traffic listener")
    parser.add_argument("--admin", required=True, help="host:port of the admin listener")
    parser.add_argument("--backend", required=True, help="http://host:port")
    parser.add_argument("--jwks", help="secure the APIs with oauth2, keys from this JWKS file")
    parser.add_argument("--throttling", choices=["local", "exact", "lease", "fast"],
                        help="count every request (needs --jwks)")
    parser.add_argument("--redis", help="host:port of the Redis of the shared modes")
    parser.add_argument("--oauth2-server", metavar="STORE",
                        help="serve the built-in key manager, its store in this file")
    args = parser.parse_args()
    if args.throttling and not args.jwks:
        parser.error("--throttling needs --jwks (tiers apply to subscriptions)")
    if args.throttling not in (None, "local") and not args.redis:
        parser.error("--throttling %s needs --redis" % args.throttling)
    throttled = args.throttling is not None
    secured = args.jwks is not None

    out = [
        "workers: %d" % args.workers,
        "listeners:",
        "  - {name: http, address: \"%s\"}" % args.listen,
        "admin: {address: \"%s\"}" % args.admin,
        "access_log: {path: \"off\"}",
        "apis:",
    ]
    for i in range(args.apis):
        context = "/bench" if args.apis == 1 else "/api%d" % i
        out += [
            "  - name: Api%d" % i,
            "    version: 1.0.0",
            "    context: %s" % context,
            "    endpoints: {production: [\"%s\"]}" % args.backend,
        ]
        if throttled:
            out.append("    throttling: BenchApi")
        if secured:
            out.append("    security: {schemes: [oauth2]}")
        out += [
            "    resources:",
            "      - {method: GET, path: /menu%s}" % (", scopes: [read]" if secured else ""),
            "      - {method: GET, path: \"/order/{orderId}\"}",
            "      - {methods: [GET, POST], path: \"/items/*\"}",
        ]
    if secured:
        out += [
            "key_managers:",
            "  - {name: bench-idp, issuer: \"%s\", jwks_file: \"%s\"}" % (ISSUER, args.jwks),
            "applications:",
            "  - {id: bench-app, keys: [{key_manager: bench-idp, consumer_key: %s}]%s}" % (
                CLIENT_ID, ", tier: BenchApplication" if throttled else ""),
            "subscriptions:",
        ]
        tier = ", tier: BenchSubscription" if throttled else ""
        out += ["  - {application: bench-app, api: \"Api%d:1.0.0\"%s}" % (i, tier)
                for i in range(args.apis)]
    if throttled:
        never = "requests: 1000000000000, per: 1h"
        out += [
            "throttling:",
            "  subscription_tiers: [{name: BenchSubscription, %s}]" % never,
            "  application_tiers: [{name: BenchApplication, %s}]" % never,
            "  api_policies: [{name: BenchApi, %s}]" % never,
        ]
        if args.throttling != "local":
            # Slices of a thousand requests: lease mode goes back to Redis as a real quota would
            # make it, not once per window.
            out.append("  cluster: {mode: %s, redis: {address: \"%s\"}, lease_slice: 1.0e-9}" %
                       (args.throttling, args.redis))
    if args.oauth2_server:
        secret_hash = hashlib.sha256(KEY_MANAGER_CLIENT_SECRET.encode()).hexdigest()
        out += [
            "oauth2_server:",
            "  issuer: \"http://%s\"" % args.listen,
            "  store: \"%s\"" % args.oauth2_server,
            "  clients:",
            "    - {client_id: %s, secret_hash: \"sha256:%s\", grant_types: [client_credentials],"
            " scopes: [read]}" % (KEY_MANAGER_CLIENT_ID, secret_hash),
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()

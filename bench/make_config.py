#!/usr/bin/env python3
"""Writes a Gatehouse config for the benchmark: COUNT APIs in front of one backend, each with a
few resources, access log off. API number `i` is served at /api<i>/1.0.0/...; with COUNT 1 the
single API is /bench/1.0.0/... instead."""

import argparse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apis", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--listen", required=True, help="host:port of the traffic listener")
    parser.add_argument("--admin", required=True, help="host:port of the admin listener")
    parser.add_argument("--backend", required=True, help="http://host:port")
    args = parser.parse_args()

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
            "    resources:",
            "      - {method: GET, path: /menu}",
            "      - {method: GET, path: \"/order/{orderId}\"}",
            "      - {methods: [GET, POST], path: \"/items/*\"}",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Opens COUNT keep-alive connections to a server, sends one request on each and keeps them all
idle; prints how much the server's resident memory grew, per connection.

The server is given by its PIDs: their VmRSS, and that of their child processes (nginx workers),
is summed before the first connection and after the last one has been answered.
"""

import argparse
import asyncio
import json
import resource
import time
from pathlib import Path


def rss_kib(pids):
    total = 0
    seen = set()
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path("/proc/%d/status" % pid).read_text()
            children = Path("/proc/%d/task/%d/children" % (pid, pid)).read_text().split()
        except FileNotFoundError:
            continue
        total += next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmRSS:"))
        todo += [int(c) for c in children]
    return total


async def open_one(host, port, request, held):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError("unexpected response: %r" % head[:80])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    held.append(writer)


async def run(args):
    request = ("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (args.path, args.host)).encode()
    held = []
    before = rss_kib(args.pid)
    started = time.monotonic()
    for first in range(0, args.count, args.batch):
        batch = range(first, min(first + args.batch, args.count))
        await asyncio.gather(*(open_one(args.host, args.port, request, held) for _ in batch))
    await asyncio.sleep(args.settle)
    after = rss_kib(args.pid)
    print(json.dumps({
        "connections": len(held),
        "open_seconds": round(time.monotonic() - started, 1),
        "rss_before_kib": before,
        "rss_after_kib": after,
        "bytes_per_connection": round((after - before) * 1024 / max(len(held), 1)),
    }))
    for writer in held:
        writer.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500, help="connections opened at once")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--pid", type=int, action="append", required=True,
                        help="server process to measure (children included); repeatable")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(run(args))


if __name__ == "__main__":
    main()

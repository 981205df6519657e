#!/usr/bin/python3
"""Twin of dev.aio4j.bench.streams.EchoBenchmark.

TCP echo over loopback with asyncio streams, server and clients on one loop. Each client writes a
64-byte message, drains, and reads 64 bytes back with readexactly; the server's handler reads
exactly 64 bytes, writes them back and drains. One operation is one round trip; --size (20,000)
round trips per run. --clients 1: one connection, sequential round trips (workload "echo_1");
--clients 50: 50 connections, each its own task doing size/50 round trips, gathered ("echo_50").
The server and connections are opened in the first (unmeasured) run and reused, as the JMH
benchmark opens them once per trial.
"""
import argparse
import asyncio
import sys

from _harness import main

MESSAGE = bytes(range(64))

pre = argparse.ArgumentParser(add_help=False)
pre.add_argument("--clients", type=int, default=1)
_opts, _rest = pre.parse_known_args()
sys.argv = [sys.argv[0]] + _rest
CLIENTS = _opts.clients

_server = None
_conns = None


async def handle(reader, writer):
    try:
        while True:
            m = await reader.readexactly(len(MESSAGE))
            writer.write(m)
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass
    writer.close()


async def round_trips(conn, n):
    reader, writer = conn
    ok = 0
    for _ in range(n):
        writer.write(MESSAGE)
        await writer.drain()
        back = await reader.readexactly(len(MESSAGE))
        if back[-1] == MESSAGE[-1]:
            ok += 1
    return ok


async def workload(n):
    global _server, _conns
    if _server is None:
        _server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = _server.sockets[0].getsockname()[1]
        _conns = [await asyncio.open_connection("127.0.0.1", port) for _ in range(CLIENTS)]
    if CLIENTS == 1:
        ok = await round_trips(_conns[0], n)
    else:
        each = n // CLIENTS
        ok = sum(await asyncio.gather(*(round_trips(c, each) for c in _conns)))
        n = each * CLIENTS
    assert ok == n, ok
    return n, ok


if __name__ == "__main__":
    main(f"echo_{CLIENTS}", workload, default_size=20_000)

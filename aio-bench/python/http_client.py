#!/usr/bin/python3
"""Twin of dev.aio4j.bench.http.HttpKeepAliveBenchmark: aiohttp's ClientSession.

HTTP/1.1 GETs over keep-alive with aiohttp.ClientSession against a local server on the same loop:
a minimal asyncio.start_server server that reads each request head up to the blank line and
answers the same fixed keep-alive response (200, 13-byte body), as the Java FixedResponseServer
does. Each request reads the whole body (await r.read()) inside `async with`, which returns the
connection to the pool. One operation is one request; --size (5,000) requests per run, made by
--concurrency tasks (1, 10 or 50; workload "http_<concurrency>") each doing its share
sequentially. The server and the session are created in the first (unmeasured) run and reused.

aiohttp comes from Debian (apt-get install python3-aiohttp); when it is missing the script says
so, prints a "skipped" line and exits 0. There is no uvloop variant of the aiohttp figure
unless --loop uvloop is given (the harness supports it).
"""
import argparse
import asyncio
import sys

from _harness import emit, main

BODY = b"Hello, World!"
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: keep-alive\r\n\r\n"
            % len(BODY)) + BODY

pre = argparse.ArgumentParser(add_help=False)
pre.add_argument("--concurrency", type=int, default=1)
_opts, _rest = pre.parse_known_args()
sys.argv = [sys.argv[0]] + _rest
CONCURRENCY = _opts.concurrency
NAME = f"http_{CONCURRENCY}"

try:
    import aiohttp
except ImportError as e:  # pragma: no cover
    aiohttp = None
    _missing = f"aiohttp is not installed for {sys.executable} ({e}); on Debian: apt-get install python3-aiohttp"

_server = None
_session = None
_url = None


async def serve(reader, writer):
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()


async def get(n):
    ok = 0
    for _ in range(n):
        async with _session.get(_url) as r:
            body = await r.read()
            if r.status == 200 and len(body) == len(BODY):
                ok += 1
    return ok


async def workload(n):
    global _server, _session, _url
    if _server is None:
        _server = await asyncio.start_server(serve, "127.0.0.1", 0)
        _url = "http://127.0.0.1:%d/" % _server.sockets[0].getsockname()[1]
        _session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    each = n // CONCURRENCY
    if CONCURRENCY == 1:
        ok = await get(each)
    else:
        ok = sum(await asyncio.gather(*(get(each) for _ in range(CONCURRENCY))))
    total = each * CONCURRENCY
    assert ok == total, ok
    return total, ok


if __name__ == "__main__":
    if aiohttp is None:
        print(f"{NAME}: skipping: {_missing}", file=sys.stderr)
        emit({"workload": NAME, "impl": "aiohttp", "skipped": _missing})
        sys.exit(0)
    main(NAME, workload, default_size=5_000)

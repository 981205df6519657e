#!/usr/bin/python3
"""Twin of dev.aio4j.bench.http.WebSocketEchoBenchmark: aiohttp's WebSockets, both ends.

Echo of 32-byte text messages: aiohttp's client (session.ws_connect) against aiohttp's server
(web.WebSocketResponse echoing text and binary), both on the same loop. One operation is one
message sent and its echo received; --size (10,000) messages per run, over --connections
WebSockets (1 or 100; workload "ws_echo_<connections>"), a task each doing its share one at a
time. The server and the connections are created in the first (unmeasured) run and reused.

aiohttp comes from Debian (apt-get install python3-aiohttp); when it is missing the script says
so, prints a "skipped" line and exits 0. --loop uvloop runs it on uvloop.
"""
import argparse
import sys

from _harness import emit, main

MESSAGE = "0123456789abcdef0123456789abcdef"

pre = argparse.ArgumentParser(add_help=False)
pre.add_argument("--connections", type=int, default=1)
_opts, _rest = pre.parse_known_args()
sys.argv = [sys.argv[0]] + _rest
CONNECTIONS = _opts.connections
NAME = f"ws_echo_{CONNECTIONS}"

try:
    import aiohttp
    from aiohttp import web
except ImportError as e:  # pragma: no cover
    aiohttp = None
    _missing = f"aiohttp is not installed for {sys.executable} ({e}); on Debian: apt-get install python3-aiohttp"

_runner = None
_session = None
_sockets = []


async def echo_handler(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        if msg.type == aiohttp.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type == aiohttp.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    return ws


async def echo(ws, n):
    ok = 0
    for _ in range(n):
        await ws.send_str(MESSAGE)
        if len(await ws.receive_str()) == len(MESSAGE):
            ok += 1
    return ok


async def workload(n):
    global _runner, _session
    import asyncio
    if _runner is None:
        app = web.Application()
        app.router.add_get("/ws", echo_handler)
        _runner = web.AppRunner(app, access_log=None)
        await _runner.setup()
        site = web.TCPSite(_runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        _session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        for _ in range(CONNECTIONS):
            _sockets.append(await _session.ws_connect(f"http://127.0.0.1:{port}/ws"))
    each = n // CONNECTIONS
    if CONNECTIONS == 1:
        ok = await echo(_sockets[0], each)
    else:
        ok = sum(await asyncio.gather(*(echo(ws, each) for ws in _sockets)))
    total = each * CONNECTIONS
    assert ok == total, ok
    return total, ok


if __name__ == "__main__":
    if aiohttp is None:
        print(f"{NAME}: skipping: {_missing}", file=sys.stderr)
        emit({"workload": NAME, "impl": "aiohttp", "skipped": _missing})
        sys.exit(0)
    main(NAME, workload, default_size=10_000)

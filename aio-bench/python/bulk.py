#!/usr/bin/python3
"""Twin of dev.aio4j.bench.streams.BulkTransferBenchmark.

Bulk transfer through one loopback TCP connection with asyncio streams, both ends on one loop:
the client writes --size MiB (1,024 = 1 GiB) in 64 KiB write + drain steps; the server's
handler reads with read(65536) until it has the whole amount, then answers one byte, which the
client awaits. One operation is one MiB, so ns_per_op is ns per MiB (MiB/s = 1e9 / ns_per_op).
The connection is opened in the first (unmeasured) run and reused.
"""
import asyncio

from _harness import main

MIB = 1 << 20
CHUNK = 64 * 1024

_conn = None
_server = None
_per_run = None


async def sink(reader, writer):
    got = 0
    while True:
        b = await reader.read(CHUNK)
        if not b:
            break
        got += len(b)
        if got >= _per_run:
            assert got == _per_run, got
            got = 0
            writer.write(b"\x01")
            await writer.drain()
    writer.close()


async def workload(mib):
    global _conn, _server, _per_run
    if _conn is None:
        _per_run = mib * MIB
        _server = await asyncio.start_server(sink, "127.0.0.1", 0)
        port = _server.sockets[0].getsockname()[1]
        _conn = await asyncio.open_connection("127.0.0.1", port)
    reader, writer = _conn
    chunk = bytes((i * 31) & 0xFF for i in range(CHUNK))
    total = mib * MIB
    sent = 0
    while sent < total:
        writer.write(chunk)
        await writer.drain()
        sent += CHUNK
    ack = await reader.readexactly(1)
    assert ack == b"\x01", ack
    return mib, sent


if __name__ == "__main__":
    main("bulk", workload, default_size=1024, default_repeat=5, default_warmup=1)

#!/usr/bin/python3
"""Twin of dev.aio4j.bench.streams.TlsBenchmark.

TLS over loopback with asyncio streams, client and server on one loop. The certificate is a
self-signed ECDSA P-256 one (``--key ec``, the default) or an RSA 2048 one (``--key rsa``) for
127.0.0.1, made with the openssl command line at start; the client verifies it and the host name.

--mode handshake: --size connections (default 1,000) one after the other; each opens a TLS
  connection, writes one byte, the server's handler echoes it and closes, the client reads it,
  closes and waits for the close. One operation is one connection. asyncio never passes a
  session to resume, so every handshake is a full one (the server still issues OpenSSL's
  default two TLS 1.3 session tickets, unused).
--mode bulk: --size MiB (default 100) in 64 KiB write + drain steps over one TLS connection,
  the server reading with read(65536) and answering one byte at the end; one operation is one MiB.
"""
import asyncio
import os
import ssl
import subprocess
import sys
import tempfile

import _harness

CHUNK = 64 * 1024
MIB = 1 << 20

_state = {}


def make_contexts(key):
    d = tempfile.mkdtemp(prefix="aio4j-tls-py")
    cert, pkey = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    newkey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"] if key == "ec" else ["-newkey", "rsa:2048"]
    subprocess.run(["openssl", "req", "-x509", *newkey, "-nodes", "-keyout", pkey, "-out", cert, "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, pkey)
    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cert)
    for f in (cert, pkey):
        os.unlink(f)
    os.rmdir(d)
    return server, client


async def echo_one(reader, writer):
    b = await reader.readexactly(1)
    writer.write(b)
    await writer.drain()
    writer.close()


async def handshake(n):
    if "server" not in _state:
        _state["server"] = await asyncio.start_server(echo_one, "127.0.0.1", 0, ssl=_state["sctx"])
    port = _state["server"].sockets[0].getsockname()[1]
    for _ in range(n):
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=_state["cctx"])
        _state.setdefault("cipher", writer.get_extra_info("cipher"))
        writer.write(b"\x07")
        b = await reader.readexactly(1)
        assert b == b"\x07", b
        writer.close()
        await writer.wait_closed()
    return n, n


async def sink(reader, writer):
    got = 0
    while True:
        b = await reader.read(CHUNK)
        if not b:
            break
        got += len(b)
        if got >= _state["per_run"]:
            assert got == _state["per_run"], got
            got = 0
            writer.write(b"\x01")
            await writer.drain()
    writer.close()


async def bulk(mib):
    if "conn" not in _state:
        _state["per_run"] = mib * MIB
        _state["server"] = await asyncio.start_server(sink, "127.0.0.1", 0, ssl=_state["sctx"])
        port = _state["server"].sockets[0].getsockname()[1]
        _state["conn"] = await asyncio.open_connection("127.0.0.1", port, ssl=_state["cctx"])
        _state["cipher"] = _state["conn"][1].get_extra_info("cipher")
    reader, writer = _state["conn"]
    chunk = bytes((i * 31) & 0xFF for i in range(CHUNK))
    sent = 0
    while sent < mib * MIB:
        writer.write(chunk)
        await writer.drain()
        sent += CHUNK
    ack = await reader.readexactly(1)
    assert ack == b"\x01", ack
    return mib, sent


def main():
    mode, key = "handshake", "ec"
    argv = [sys.argv[0]]
    it = iter(sys.argv[1:])
    for a in it:
        if a == "--mode":
            mode = next(it)
        elif a == "--key":
            key = next(it)
        else:
            argv.append(a)
    sys.argv = argv
    _state["sctx"], _state["cctx"] = make_contexts(key)
    extra = lambda _runs: {"key": key, "cipher": _state.get("cipher"), "openssl": ssl.OPENSSL_VERSION}  # noqa: E731
    if mode == "handshake":
        _harness.main("tls_handshake", handshake, default_size=1000, default_repeat=5, default_warmup=1, extra=extra)
    else:
        _harness.main("tls_bulk", bulk, default_size=100, default_repeat=5, default_warmup=1, extra=extra)


if __name__ == "__main__":
    main()

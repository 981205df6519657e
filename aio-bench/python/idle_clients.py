"""Opens N keep-alive connections to a server, sends one GET /plaintext on each, reads the
answer, and holds them all open; prints 'held N' when done and waits for stdin to close.
For aio-bench/web-compare.sh's idle-connection memory measurement."""
import asyncio
import sys


async def one(port, conns):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    w.write(b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    await w.drain()
    head = await r.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await r.readexactly(length)
    conns.append((r, w))


async def main(port, n):
    conns = []
    sem = asyncio.Semaphore(200)

    async def guarded():
        async with sem:
            await one(port, conns)

    await asyncio.gather(*(guarded() for _ in range(n)))
    print(f"held {len(conns)}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))

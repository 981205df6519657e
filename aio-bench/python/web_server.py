"""aiohttp.web twin of aio4j's BenchServer for aio-bench/web-compare.sh: /plaintext and /json on
uvloop (or asyncio with --loop asyncio); prints 'serving on http://127.0.0.1:PORT' when ready."""
import argparse
import asyncio
import sys

from aiohttp import web


async def plaintext(request):
    return web.Response(text="Hello, World!")


async def json_handler(request):
    return web.Response(body=b'{"message":"Hello, World!"}', content_type="application/json")


async def main(port):
    app = web.Application()
    app.router.add_get("/plaintext", plaintext)
    app.router.add_get("/json", json_handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(f"serving on http://127.0.0.1:{port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    a = p.parse_args()
    if a.loop == "uvloop":
        import uvloop
        uvloop.install()
    try:
        asyncio.run(main(a.port))
    except KeyboardInterrupt:
        sys.exit(0)

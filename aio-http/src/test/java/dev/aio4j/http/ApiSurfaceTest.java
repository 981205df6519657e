package dev.aio4j.http;

import dev.aio4j.loop.test.ApiSurfaceContract;

import java.util.List;

/** aio-http's public surface (see {@link ApiSurfaceContract}). aio4j-only. */
class ApiSurfaceTest extends ApiSurfaceContract {
    @Override
    protected String moduleName() {
        return "dev.aio4j.http";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.http";
    }

    @Override
    protected String artifact() {
        return "aio-http";
    }

    @Override
    protected List<String> originWords() {
        return List.of("aiohttp", "asyncio", "aio4j-only");
    }
}

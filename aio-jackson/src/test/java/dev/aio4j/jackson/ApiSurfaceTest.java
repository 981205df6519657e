package dev.aio4j.jackson;

import dev.aio4j.loop.test.ApiSurfaceContract;

/** aio-jackson's public surface (see {@link ApiSurfaceContract}). aio4j-only. */
class ApiSurfaceTest extends ApiSurfaceContract {
    @Override
    protected String moduleName() {
        return "dev.aio4j.jackson";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.jackson";
    }

    @Override
    protected java.util.List<String> originWords() {
        return java.util.List.of("aiohttp", "aio4j-only");
    }

    @Override
    protected String artifact() {
        return "aio-jackson";
    }
}

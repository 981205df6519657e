package dev.aio4j.streams;

import dev.aio4j.loop.test.ApiSurfaceContract;

/** aio-streams's public surface (see {@link ApiSurfaceContract}). aio4j-only. */
class ApiSurfaceTest extends ApiSurfaceContract {
    @Override
    protected String moduleName() {
        return "dev.aio4j.streams";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.streams";
    }

    @Override
    protected String artifact() {
        return "aio-streams";
    }
}

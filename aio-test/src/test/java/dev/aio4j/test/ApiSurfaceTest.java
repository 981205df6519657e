package dev.aio4j.test;

import dev.aio4j.loop.test.ApiSurfaceContract;

/** aio-test's public surface (see {@link ApiSurfaceContract}). aio4j-only. */
class ApiSurfaceTest extends ApiSurfaceContract {
    @Override
    protected String moduleName() {
        return "dev.aio4j.test";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.test";
    }

    @Override
    protected String artifact() {
        return "aio-test";
    }
}

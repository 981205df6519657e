package dev.aio4j.loop;

import dev.aio4j.loop.test.ApiSurfaceContract;

import java.util.Set;

/** aio-loop's public surface (see {@link ApiSurfaceContract}). aio4j-only. */
class ApiSurfaceTest extends ApiSurfaceContract {
    @Override
    protected String moduleName() {
        return "dev.aio4j.loop";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.loop";
    }

    @Override
    protected String artifact() {
        return "aio-loop";
    }

    @Override
    protected Set<String> designedForExtension() {
        return Set.of("Future"); // extended by Task; package-private constructor
    }
}

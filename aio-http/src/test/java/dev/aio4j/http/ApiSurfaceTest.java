package dev.aio4j.http;

import dev.aio4j.loop.test.ApiSurfaceContract;

import java.util.List;

/**
 * aio-http's public surface (see {@link ApiSurfaceContract}). aio-http exports two packages, the
 * client ({@code dev.aio4j.http}) and aiohttp.web ({@code dev.aio4j.http.web}); the contract
 * checks both. aio4j-only.
 */
class ApiSurfaceTest extends ApiSurfaceContract {
    private static final String WEB = "dev.aio4j.http.web";

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

    @Override
    protected List<String> exportedPackages() {
        return List.of(exportedPackage(), WEB);
    }
}

package dev.aio4j.streams;

import dev.aio4j.loop.test.ApiSurfaceContract;

import java.util.List;

/**
 * aio-streams's public surface (see {@link ApiSurfaceContract}). aio-streams exports its public
 * package and, since 0.2, the network seam {@code dev.aio4j.streams.spi}; the contract checks
 * both. aio4j-only.
 */
class ApiSurfaceTest extends ApiSurfaceContract {
    private static final String SPI = "dev.aio4j.streams.spi";

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

    @Override
    protected List<String> exportedPackages() {
        return List.of(exportedPackage(), SPI);
    }
}

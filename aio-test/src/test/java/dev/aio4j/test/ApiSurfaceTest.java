package dev.aio4j.test;

import dev.aio4j.loop.test.ApiSurfaceContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio-test's public surface (see {@link ApiSurfaceContract}). aio-test exports two packages, the
 * loop helpers ({@code dev.aio4j.test}) and the aiohttp.web test utilities
 * ({@code dev.aio4j.test.web}); the contract checks both. aio4j-only.
 */
class ApiSurfaceTest extends ApiSurfaceContract {
    private static final String WEB = "dev.aio4j.test.web";

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

    @Override
    protected List<String> originWords() {
        return List.of("aiohttp", "asyncio", "aio4j-only");
    }

    @Override
    protected List<String> exportedPackages() {
        return List.of(exportedPackage(), WEB);
    }

    /** aio-http is optional: only dev.aio4j.test.web needs it. */
    @Test
    void webSupportRequiresAioHttpStatically() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target/classes")).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in target/classes")).descriptor();
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("dev.aio4j.http")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), "requires static dev.aio4j.http: " + d.requires());
    }
}

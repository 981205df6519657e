package dev.aio4j.test;

import dev.aio4j.loop.test.ApiSurfaceContract;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio-test's public surface (see {@link ApiSurfaceContract}). aio-test exports three packages, the
 * loop helpers ({@code dev.aio4j.test}), the aiohttp.web test utilities ({@code dev.aio4j.test.web})
 * and the simulated network ({@code dev.aio4j.test.net}); the contract checks all three. aio4j-only.
 */
class ApiSurfaceTest extends ApiSurfaceContract {
    private static final String WEB = "dev.aio4j.test.web";
    private static final String NET = "dev.aio4j.test.net";

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
        return List.of(exportedPackage(), WEB, NET);
    }

    /** aio-http and aio-streams are optional: only dev.aio4j.test.web and dev.aio4j.test.net need them. */
    @Test
    void webAndNetworkSupportRequireTheirModulesStatically() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target/classes")).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in target/classes")).descriptor();
        for (String m : List.of("dev.aio4j.http", "dev.aio4j.streams")) {
            assertTrue(d.requires().stream().anyMatch(r -> r.name().equals(m)
                    && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), "requires static " + m + ": " + d.requires());
        }
    }
}

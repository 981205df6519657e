package dev.aio4j.http.internal;

import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Sets {@link OffLoopFile}'s package-private test hook for tests in other packages. */
public final class OffLoopFileHook {
    private OffLoopFileHook() {}

    /**
     * Installs {@code hook} (null removes it): called with "open", "close" or "size" and the path.
     *
     * @param hook the hook, or null
     */
    public static void set(BiConsumer<String, Path> hook) {
        OffLoopFile.eventsForTests = hook;
    }
}

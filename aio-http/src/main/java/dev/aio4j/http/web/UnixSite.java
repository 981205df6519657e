package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves an {@link AppRunner} on a Unix domain socket.
 *
 * <p><b>aiohttp:</b> {@code web.UnixSite(runner, path)}.
 *
 * @since 0.2
 */
public final class UnixSite extends BaseSite {
    private final Path path;

    /**
     * A site on a socket file (a stale one is replaced; the file is removed at stop).
     *
     * @param runner a set-up runner
     * @param path the socket file
     */
    public UnixSite(AppRunner runner, Path path) {
        super(runner);
        this.path = Checks.notNull(path, "path");
    }

    @Override
    Server listen(WebServer ws) throws IOException {
        return Streams.createUnixServer(ws::newConnection, path);
    }

    @Override
    public String name() {
        return "http://unix:" + path + ":";
    }
}

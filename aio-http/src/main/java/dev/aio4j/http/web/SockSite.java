package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.ServerOptions;
import dev.aio4j.streams.Streams;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

/**
 * Serves an {@link AppRunner} on a listening socket bound elsewhere (inherited from a
 * supervisor, or bound before dropping privileges).
 *
 * <p><b>aiohttp:</b> {@code web.SockSite(runner, sock)}.
 *
 * @since 0.2
 */
public final class SockSite extends BaseSite {
    private final ServerSocketChannel sock;

    /**
     * A site on a bound socket; the site owns it from now on.
     *
     * @param runner a set-up runner
     * @param sock an open, bound server socket channel
     */
    public SockSite(AppRunner runner, ServerSocketChannel sock) {
        super(runner);
        this.sock = Checks.notNull(sock, "sock");
    }

    @Override
    Server listen(WebServer ws) throws IOException {
        return Streams.createServer(ws::newConnection, sock, ServerOptions.defaults());
    }

    @Override
    public String name() {
        try {
            return "http://" + sock.getLocalAddress();
        } catch (IOException e) {
            return "http://(closed socket)";
        }
    }
}

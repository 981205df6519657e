package dev.aio4j.http;

import java.net.URI;

/**
 * The server closed the connection before the response was complete.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ServerDisconnectedError}. <b>Differences:</b> the message
 * says how far the response had got (for example "before any response byte"); an idempotent
 * request that meets it before its response head is complete is sent once more (as aiohttp's
 * session does); there is no {@code message}
 * attribute beyond {@link #getMessage()}.
 *
 * @since 0.1
 */
public class ServerDisconnectedError extends ServerConnectionError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param what how far the response had got, e.g. {@code "server disconnected before any response byte"}
     * @param url the URL of the request, or {@code null}
     */
    public ServerDisconnectedError(String what, URI url) {
        super(what, url, null);
    }
}

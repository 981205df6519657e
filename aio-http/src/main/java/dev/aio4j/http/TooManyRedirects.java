package dev.aio4j.http;

import java.net.URI;
import java.util.List;

/**
 * Following redirects stopped: more than the allowed number, or a redirect loop.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.TooManyRedirects}. <b>Differences:</b> also raised, before the
 * limit is reached, when the same redirect (same method, from the same URL to the same URL) comes
 * a second time, which can only be a loop; the message says which. {@link #history()} holds the
 * chain of URLs.
 *
 * @since 0.1
 */
public class TooManyRedirects extends ClientResponseError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param status the status of the last redirect response
     * @param message why following stopped, e.g. {@code "more than 10 redirects"}
     * @param url the URL of the last redirect response
     * @param history the URLs of the redirect responses, oldest first
     */
    public TooManyRedirects(int status, String message, URI url, List<URI> history) {
        super(status, message, url, history, null, null);
    }
}

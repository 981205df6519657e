package dev.aio4j.http;

import java.net.URI;
import java.util.List;

/**
 * Following redirects stopped: more than the allowed number, or a redirect loop.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.TooManyRedirects}. <b>Differences:</b> also raised, before the
 * limit is reached, when the same redirect (same method, from the same URL to the same URL) comes
 * a second time, which can only be a loop; the message says which. {@link #history()} holds the
 * chain of URLs. {@link #requestInfo()} is the first request's, as aiohttp's
 * {@code history[0].request_info}; {@link #url()} (and the message) name the URL of the last
 * redirect response, where aiohttp's {@code str()} names the first request's.
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

    /**
     * Creates the error for a known chain of requests, as aiohttp's
     * {@code TooManyRedirects(history[0].request_info, tuple(history))}.
     *
     * @param requestInfo the first request of the chain (the caller's), its {@link #requestInfo()}
     * @param status the status of the last redirect response
     * @param message why following stopped, e.g. {@code "more than 10 redirects"}
     * @param url the URL of the last redirect response
     * @param history the URLs of the redirect responses, oldest first
     * @throws NullPointerException if {@code requestInfo} is null
     * @since 0.2
     */
    public TooManyRedirects(RequestInfo requestInfo, int status, String message, URI url, List<URI> history) {
        super(dev.aio4j.loop.internal.Checks.notNull(requestInfo, "requestInfo"), url, status, message, history, null, null);
    }
}

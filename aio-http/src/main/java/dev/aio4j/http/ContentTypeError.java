package dev.aio4j.http;

import java.net.URI;
import java.util.List;

/**
 * {@link ClientResponse#json()} was called on a response whose {@code Content-Type} is not JSON
 * ({@code application/json} or a {@code +json} type). The status is the response's.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ContentTypeError}, raised by {@code ClientResponse.json()}.
 * <b>Differences:</b> none beyond those of {@link ClientResponseError}.
 *
 * @since 0.1
 */
public class ContentTypeError extends ClientResponseError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param status the response's status
     * @param message what was wrong, naming the content type
     * @param url the URL of the response
     * @param history the URLs of the redirects that led there
     * @param headers the response headers
     */
    public ContentTypeError(int status, String message, URI url, List<URI> history, Headers headers) {
        super(status, message, url, history, headers, null);
    }

    /**
     * Creates the error for a known request.
     *
     * @param requestInfo the request the response answers
     * @param status the response's status
     * @param message what was wrong, naming the content type
     * @param history the URLs of the redirects that led there
     * @param headers the response headers
     * @throws NullPointerException if {@code requestInfo} is null
     * @since 0.2
     */
    public ContentTypeError(RequestInfo requestInfo, int status, String message, List<URI> history, Headers headers) {
        super(requestInfo, status, message, history, headers, null);
    }
}

package dev.aio4j.http;

import java.net.URI;

/**
 * The response body could not be read completely or correctly: the connection closed before the
 * declared length, the chunked framing was broken, or the content encoding could not be decoded.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientPayloadError} (and its {@code ContentLengthError},
 * {@code TransferEncodingError}, {@code ContentEncodingError} causes). <b>Differences:</b> the
 * cause is a {@link BadHttpMessage} whose {@link BadHttpMessage#kind()} says which of those it
 * was.
 *
 * @since 0.1
 */
public class ClientPayloadError extends ClientError {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param what what was wrong with the body
     * @param url the URL of the request
     * @param cause the parser's or decoder's error, or {@code null}
     */
    public ClientPayloadError(String what, URI url, Throwable cause) {
        super(what, url, cause);
    }
}

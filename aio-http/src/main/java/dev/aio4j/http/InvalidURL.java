package dev.aio4j.http;

/**
 * A URL the client cannot use: unparseable, not absolute, not {@code http} or {@code https}, or
 * without a host. Raised for a request's URL and for the {@code Location} of a redirect.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.InvalidURL} (also a {@code ValueError}), and the
 * {@code InvalidUrlRedirectClientError}/{@code NonHttpUrlRedirectClientError} of aiohttp 3.10.
 * <b>Differences:</b> a {@link ClientError} only; {@link #invalidUrl()} is the text as given,
 * since it may not parse as a {@link java.net.URI}.
 *
 * @since 0.1
 */
public class InvalidURL extends ClientError {
    private static final long serialVersionUID = 1L;

    /** The URL as the caller or the {@code Location} header gave it; it may not parse. */
    private final String invalidUrl;

    /**
     * Creates the error.
     *
     * @param invalidUrl the URL as given
     * @param why what is wrong with it
     */
    public InvalidURL(String invalidUrl, String why) {
        super("invalid URL " + invalidUrl + ": " + why, null);
        this.invalidUrl = invalidUrl;
    }

    /**
     * Returns the URL as given (it may not parse).
     *
     * @return the URL as given (it may not parse)
     */
    public String invalidUrl() {
        return invalidUrl;
    }
}

package dev.aio4j.http;

import dev.aio4j.loop.internal.Checks;

import java.net.URI;

/**
 * The request a response answers, as {@link ClientResponse#requestInfo()} and
 * {@link ClientResponseError#requestInfo()} give it: its URL, method and the header fields it was
 * sent with.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.RequestInfo(url, method, headers, real_url)}, the named tuple
 * of {@code response.request_info} and {@code ClientResponseError.request_info}.
 * <b>Differences:</b> {@link #headers()} are the fields the client put in the head (the caller's
 * and the session's, {@code Host}, {@code Accept}, {@code User-Agent}, {@code Cookie} from the
 * jar, {@code Proxy-Authorization} through an http proxy), but not the body's framing field
 * ({@code Content-Length} or {@code Transfer-Encoding}), which the serializer adds.
 *
 * <p>Two infos are equal when their URLs, methods, headers and real URLs are equal (headers as
 * {@link Headers#equals(Object)} compares them: the same fields in the same order, names without
 * regard to case); a response gives the same info each time, and its {@link ClientResponseError}
 * carries that one.
 *
 * <p><b>Threading:</b> immutable.
 *
 * @param url the URL requested, without a fragment; after redirects, the last one
 * @param method the method, e.g. {@code GET} (after a redirect, possibly changed to {@code GET})
 * @param headers the request's header fields, read-only
 * @param realUrl the same URL with the fragment the caller gave, if any
 * @since 0.2
 */
public record RequestInfo(URI url, String method, Headers headers, URI realUrl) {
    /**
     * Checks the components; headers that are not read-only are copied into read-only ones.
     *
     * @throws NullPointerException if one is null
     */
    public RequestInfo {
        Checks.notNull(url, "url");
        Checks.notNull(method, "method");
        Checks.notNull(headers, "headers");
        Checks.notNull(realUrl, "realUrl");
        headers = headers.isReadOnly() ? headers : headers.readOnlyCopy();
    }
}

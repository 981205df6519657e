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
 * <b>Differences:</b> {@link #toString()} hides the credentials and cookie values (aiohttp's
 * {@code repr} shows them); {@link #headers()} are the fields the client put in the head (the caller's
 * and the session's, {@code Host}, {@code Accept}, {@code User-Agent}, {@code Cookie} from the
 * jar, {@code Proxy-Authorization} through an http proxy), but not the body's framing field
 * ({@code Content-Length} or {@code Transfer-Encoding}), which the serializer adds.
 *
 * <p>Two infos are equal when their URLs, methods, headers (field by field in order, names
 * compared case-insensitively, as {@link Headers#equals}) and real URLs are equal; a response
 * gives the same info each time, and its {@link ClientResponseError} carries that one.
 *
 * <p>{@link #toString()} hides the credentials: the value of {@code Authorization} and
 * {@code Proxy-Authorization} shows as its scheme and {@code ***} ({@code Basic ***}), and that of
 * {@code Cookie} as its cookie names with {@code ***} for each value ({@code sid=***; theme=***}),
 * so an error's info can be logged; {@link #headers()} still gives the fields as sent. The
 * headers are the request's only: a response's {@code Set-Cookie} is never among them.
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

    /**
     * Returns the components as the record would show them, with the value of
     * {@code Authorization} and {@code Proxy-Authorization} reduced to its scheme and {@code ***},
     * and each cookie value of {@code Cookie} replaced by {@code ***}.
     *
     * @return the components, credentials and cookie values hidden
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RequestInfo[url=").append(url).append(", method=").append(method)
                .append(", headers=Headers[read-only; ");
        boolean[] first = {true};
        headers.forEach((name, value) -> {
            if (!first[0]) {
                sb.append(", ");
            }
            first[0] = false;
            sb.append(name).append(": ");
            if (name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Proxy-Authorization")) {
                int sp = value.indexOf(' ');
                sb.append(sp > 0 ? value.substring(0, sp + 1) : "").append("***");
            } else if (name.equalsIgnoreCase("Cookie")) {
                appendCookieNames(sb, value);
            } else {
                sb.append(value);
            }
        });
        return sb.append("], realUrl=").append(realUrl).append(']').toString();
    }

    /** A {@code Cookie} value with each value hidden: {@code a=1; b=2} shows as {@code a=***; b=***}. */
    private static void appendCookieNames(StringBuilder sb, String value) {
        String[] pairs = value.split(";", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) {
                sb.append(';');
            }
            String pair = pairs[i];
            int eq = pair.indexOf('=');
            if (eq >= 0) {
                sb.append(pair, 0, eq + 1).append("***");
            } else if (pair.isBlank()) {
                sb.append(pair);
            } else { // a value without a name: hidden too, the space before it kept
                sb.append(pair, 0, pair.length() - pair.stripLeading().length()).append("***");
            }
        }
    }
}

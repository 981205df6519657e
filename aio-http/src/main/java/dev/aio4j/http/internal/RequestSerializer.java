package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.http.Headers;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a request head: request line, {@code Host} first, the caller's headers, and the body's
 * framing header, which the serializer owns: {@code Content-Length} for a body of known length,
 * {@code Transfer-Encoding: chunked} for a stream of chunks, and neither for no body (except
 * {@code Content-Length: 0} for POST, PUT and PATCH, which servers expect, as aiohttp sends).
 * Also encodes form fields as {@code application/x-www-form-urlencoded}. Client-only: the fields,
 * framing and end of the head are {@link HeadSerializer}'s, which writes response heads too.
 */
public final class RequestSerializer {
    private static final Set<String> EXPECTS_BODY = Set.of("POST", "PUT", "PATCH");

    private RequestSerializer() {}

    /**
     * Serializes the request line and headers, ending with the empty line.
     *
     * @param method a token, e.g. {@code GET}
     * @param url an absolute http(s) URL (see {@link Urls#check})
     * @param headers the caller's headers; {@code Host} is added first unless present
     * @param framing the body's framing
     * @return the head's bytes (ISO-8859-1)
     * @throws IllegalArgumentException if the method is not a token, the headers already hold
     *         {@code Content-Length} or {@code Transfer-Encoding}, which the framing decides, a
     *         field cannot be sent ({@link HeadSerializer#appendField}), or the target is not ASCII
     */
    public static byte[] head(String method, URI url, Headers headers, BodyFraming framing) {
        return head(method, url, headers, framing, false);
    }

    /**
     * As {@link #head(String, URI, Headers, BodyFraming)}, with the request target in absolute form
     * ({@code GET http://host/path HTTP/1.1}, RFC 9112 section 3.2.2) when {@code absoluteForm}:
     * what a request sent to a proxy names.
     */
    public static byte[] head(String method, URI url, Headers headers, BodyFraming framing, boolean absoluteForm) {
        Checks.token(method, "method");
        Checks.notNull(framing, "framing");
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ');
        if (absoluteForm) {
            sb.append(url.getScheme().toLowerCase(java.util.Locale.ROOT)).append("://").append(Urls.hostHeader(url));
        }
        String target = Urls.requestTarget(url);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) { // java.net.URI lets non-ASCII through; the request line may not
                throw new IllegalArgumentException("cannot send the request head: the request target holds "
                        + String.format("U+%04X", (int) c) + " at index " + i + " (only visible ASCII may be sent; "
                        + "percent-encode it), got " + dev.aio4j.loop.internal.Escaping.quote(target) + "; nothing was sent");
            }
        }
        sb.append(target).append(" HTTP/1.1\r\n");
        if (!headers.contains("Host")) {
            HeadSerializer.appendField(sb, "Host", Urls.hostHeader(url), "request");
        }
        return HeadSerializer.finish(sb, headers, framing, EXPECTS_BODY.contains(method.toUpperCase(Locale.ROOT)));
    }

    /**
     * Encodes form fields as {@code application/x-www-form-urlencoded} (UTF-8, a space as
     * {@code +}), as aiohttp's {@code FormData} does for plain fields.
     */
    public static byte[] formUrlencoded(List<Map.Entry<String, String>> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean first = true;
        for (Map.Entry<String, String> f : fields) {
            if (!first) {
                out.write('&');
            }
            first = false;
            out.writeBytes(formEncode(f.getKey()));
            out.write('=');
            out.writeBytes(formEncode(f.getValue()));
        }
        return out.toByteArray();
    }

    /** The Content-Type of {@link #formUrlencoded}. */
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

    private static byte[] formEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.aio4j.http.internal;

import dev.aio4j.http.AbstractCookieJar;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.Headers;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Turns the request the caller asked for into the one that goes on the wire, and takes what the
 * session keeps from the response: on the way out it adds the default fields ({@code Accept},
 * {@code Accept-Encoding} when decompressing, {@code User-Agent}, the body's
 * {@code Content-Type}), sets or drops {@code Expect: 100-continue}, adds the jar's cookies, and
 * serializes the head; on the way back it stores {@code Set-Cookie} and picks the body's
 * {@link ContentDecoder}. A caller's own field of the same name always wins.
 *
 * <p>No sockets, no clock of its own: cookie decisions take {@code now}.
 */
public final class RequestBridge {
    /** The {@code User-Agent} sent when the caller gives none. */
    public static final String USER_AGENT = "aio4j-http/0.1";

    /**
     * The request as it goes on the wire.
     *
     * @param head the serialized request line and header section
     * @param expectContinue whether the head asks for {@code 100 Continue} (the body is held back)
     * @param continueWait seconds to wait for it; meaningful only when {@code expectContinue}
     * @param headers the fields in the head, {@code Host} first, read-only (the body's framing
     *     field aside): {@code response.request_info.headers}
     */
    public record Outgoing(byte[] head, boolean expectContinue, double continueWait, Headers headers) {}

    private final AbstractCookieJar cookieJar;
    private final boolean autoDecompress;

    /**
     * @param cookieJar the session's jar, or {@code null} when cookies are off
     * @param autoDecompress whether to ask for and decode gzip and deflate
     */
    public RequestBridge(AbstractCookieJar cookieJar, boolean autoDecompress) {
        this.cookieJar = cookieJar;
        this.autoDecompress = autoDecompress;
    }

    /** Whether the caller's headers carry {@code Expect: 100-continue} themselves. */
    static boolean asksForContinue(Headers h) {
        String expect = h.get("Expect");
        return expect != null && "100-continue".equalsIgnoreCase(expect.strip());
    }

    /**
     * Returns the header fields sent for {@code spec} at {@code now} ({@code Host} and the body's
     * framing fields are the serializer's).
     *
     * @return the header fields sent for {@code spec} at {@code now}
     */
    public Headers wireHeaders(RequestSpec spec, Instant now) {
        Headers h = Headers.copyOf(spec.headers());
        if (!h.contains("Accept")) {
            h.add("Accept", "*/*");
        }
        if (autoDecompress && !h.contains("Accept-Encoding")) {
            h.add("Accept-Encoding", "gzip, deflate");
        }
        if (!h.contains("User-Agent")) {
            h.add("User-Agent", USER_AGENT);
        }
        RequestBody body = spec.body();
        if (body.contentType() != null && !h.contains("Content-Type")) {
            h.add("Content-Type", body.contentType());
        }
        if (expectsContinue(spec)) {
            h.remove("Expect");
            h.add("Expect", "100-continue");
        } else if (asksForContinue(h)) {
            h.remove("Expect"); // RFC 9110 section 10.1.1: never without a body to hold back
        }
        if (cookieJar != null && !h.contains("Cookie")) {
            String cookie = cookieHeader(cookieJar.filterCookies(spec.url(), now));
            if (cookie != null) {
                h.add("Cookie", cookie);
            }
        }
        return h;
    }

    /** Whether the body is held back for {@code 100 Continue}: asked for, and there is a body. */
    static boolean expectsContinue(RequestSpec spec) {
        return spec.continueWait().isPresent() && !(spec.body() instanceof RequestBody.None);
    }

    /**
     * Returns the serialized head of {@code spec} at {@code now}.
     *
     * @return the serialized head of {@code spec} at {@code now}
     * @throws ClientOSError if the body's length cannot be read (a file)
     */
    public Outgoing outgoing(RequestSpec spec, Instant now) {
        return outgoing(spec, null, now);
    }

    /**
     * Returns the serialized head of {@code spec} at {@code now}, sent through {@code proxy}
     * ({@code null}: direct). An http request to a proxy names its URL in absolute form and
     * carries the proxy's fields ({@code Proxy-Authorization}, the proxy headers), which replace
     * any of the same name; an https request goes through a tunnel and carries none of them (the
     * {@code CONNECT} does). An absolute-form target names {@code spec.shownUrl()}, the URL the request
     * is known by (a ws:// request's as given: aiohttp's {@code ClientRequest.send} has
     * {@code path = str(self.url)} for a request through a proxy that is not TLS, its url the
     * {@code ws://} one), and so does an error.
     *
     * @return the serialized head
     * @throws ClientOSError if the body's length cannot be read (a file)
     */
    public Outgoing outgoing(RequestSpec spec, ProxySpec proxy, Instant now) {
        URI shownUrl = spec.shownUrl();
        Headers h = wireHeaders(spec, now);
        boolean viaProxy = proxy != null && !spec.url().getScheme().equalsIgnoreCase("https");
        if (proxy != null && !viaProxy) {
            h.remove("Proxy-Authorization"); // for the proxy alone: it goes with the CONNECT
        }
        if (viaProxy) {
            Headers fields = proxy.proxyFields();
            for (String name : fields.names()) {
                h.remove(name);
            }
            h.addAll(fields);
        }
        byte[] head;
        try {
            head = RequestSerializer.head(spec.method(), viaProxy ? shownUrl : spec.url(), h, spec.body().framing(), viaProxy);
        } catch (IOException e) {
            throw new ClientOSError("cannot read the request body", shownUrl, e);
        }
        boolean expect = expectsContinue(spec);
        Headers sent = h;
        if (!h.contains("Host")) {
            sent = new Headers();
            sent.add("Host", Urls.hostHeader(spec.url()));
            sent.addAll(h);
        }
        return new Outgoing(head, expect, expect ? spec.continueWait().getAsDouble() : 0, sent.readOnlyCopy());
    }

    private static String cookieHeader(Map<String, String> cookies) {
        if (cookies.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        cookies.forEach((n, v) -> {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(n).append('=').append(v);
        });
        return sb.toString();
    }

    /** Stores the cookies a response from {@code url} set at {@code now}. */
    public void received(URI url, ResponseHead head, Instant now) {
        if (cookieJar != null) {
            cookieJar.updateCookies(url, head.headers(), now);
        }
    }

    /**
     * Returns the decoder for the body of this response, or {@code null} to pass it through
     * (decompression off, a HEAD response, no or an unknown {@code Content-Encoding}).
     *
     * @return the decoder for the body of this response, or {@code null} to pass it through
     */
    public ContentDecoder decoderFor(String method, ResponseHead head) {
        return decoderFor(method, head, RequestSpec.DEFAULT_MAX_DECOMPRESSED_SIZE);
    }

    /**
     * Returns the decoder for the body of this response, bounded to {@code maxDecoded} bytes of
     * output, or {@code null} to pass the body through.
     *
     * @return the decoder, or {@code null}
     */
    public ContentDecoder decoderFor(String method, ResponseHead head, long maxDecoded) {
        if (!autoDecompress || method.equals("HEAD")) {
            return null;
        }
        return ContentDecoder.forEncoding(head.headers().get("Content-Encoding"), maxDecoded);
    }
}

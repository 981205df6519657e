package dev.aio4j.http;

import dev.aio4j.http.internal.RequestBody;
import dev.aio4j.http.internal.RequestSpec;
import dev.aio4j.http.internal.Urls;
import dev.aio4j.loop.Aio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * One hop of a request as a {@link ClientMiddleware} sees it: the method, the URL, the headers and
 * the body about to be sent, and the session sending them. Changes to {@link #headers()} and the
 * body ({@link #updateBody}) apply to what this hop sends, on every {@link ClientHandler#send} that
 * follows them; a redirect's follow-up is a new hop that starts again from the request as the
 * caller made it (the middlewares then run on it again).
 *
 * <p>The headers are the caller's and the session's defaults, with {@code Authorization} from
 * {@code auth}; what the session adds when it writes the head ({@code Host},
 * {@code Accept-Encoding}, cookies, {@code Content-Type} and the framing of the body) is not in
 * them, and a header set here wins over a default the session would add.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientRequest} as client middlewares get it
 * ({@code method}, {@code url}, {@code original_url}, {@code headers}, {@code body}, {@code session},
 * {@code update_body()}). <b>Differences:</b> only what a middleware needs; the method and URL
 * are read-only; {@link #body()} returns the bytes of the body (aiohttp's
 * {@code body.decode()}/{@code as_bytes()}); made only by the session.
 *
 * <p><b>Threading:</b> loop-confined, as its session.
 *
 * @since 0.2
 */
public final class ClientRequest {
    private final ClientSession session;
    private final RequestSpec spec;
    /** The URL as given, fragment kept (aiohttp's {@code original_url}): {@code spec.url()}, or its ws:// form. */
    private final URI originalUrl;
    /** {@link #originalUrl} without its fragment (aiohttp's {@code url}). */
    private final URI url;
    private final Headers headers;
    private RequestBody body;

    /** {@code url}: the URL the middleware sees, the spec's or its ws:// form (a ws URL's hop), fragment kept. */
    ClientRequest(ClientSession session, RequestSpec spec, URI url) {
        this.session = session;
        this.spec = spec;
        this.originalUrl = url;
        this.url = Urls.withoutFragment(url);
        this.headers = Headers.copyOf(spec.headers());
        this.body = spec.body();
    }

    /**
     * Returns the method, upper case, e.g. {@code "GET"}.
     *
     * @return the method, upper case, e.g. {@code "GET"}
     */
    public String method() {
        return spec.method();
    }

    /**
     * Returns the absolute URL of this hop, query parameters included, without a fragment (as
     * aiohttp's {@code url}: a fragment is never sent; {@link #originalUrl()} keeps it); for a
     * {@link ClientSession#wsConnect} handshake or a {@link ClientSession#request} to a
     * {@code ws://} or {@code wss://} URL, that URL (as aiohttp's request keeps it), though the hop
     * is sent as {@code http://} or {@code https://}.
     *
     * @return the absolute URL of this hop, query parameters included, no fragment
     */
    public URI url() {
        return url;
    }

    /**
     * Returns the URL of this hop as the caller gave it, fragment kept: aiohttp's
     * {@code ClientRequest.original_url}. Without a fragment, the same as {@link #url()}.
     *
     * @return the absolute URL of this hop, query parameters and fragment included
     * @since 0.2
     */
    public URI originalUrl() {
        return originalUrl;
    }

    /**
     * Returns the request headers, mutable: what is set, added or removed here is sent by the next
     * {@link ClientHandler#send} of this hop (aiohttp's {@code request.headers[...] = ...}).
     * {@code Content-Length} and {@code Transfer-Encoding} come from the body and must not be set.
     *
     * @return the request headers, mutable
     */
    public Headers headers() {
        return headers;
    }

    /**
     * Returns the session sending this request, for requests of the middleware's own (they pass
     * through the session's middlewares too; see {@link ClientMiddleware}).
     *
     * @return the session sending this request
     */
    public ClientSession session() {
        return session;
    }

    /**
     * Returns the bytes of the body, e.g. to sign them: empty for a request without a body; a file
     * is read (on the loop's executor). The body is not used up: it is still sent as it is.
     *
     * <p><b>Cancellation:</b> suspends only for a file; cancelled, nothing changes.
     *
     * @return a copy of the body's bytes
     * @throws IllegalStateException if the body is a one-shot stream ({@link RequestOption#chunks},
     *     an {@code InputStream}, a {@code Flow.Publisher}, a {@link FormData} with a file), which
     *     cannot be read without sending it
     * @throws UncheckedIOException if the file cannot be read
     */
    public byte[] body() {
        RequestBody b = body;
        if (b instanceof RequestBody.None) {
            return new byte[0];
        }
        if (b instanceof RequestBody.Bytes bytes) {
            return bytes.data().clone();
        }
        if (b instanceof RequestBody.FileBody file) {
            try {
                return Aio.toThread(() -> Files.readAllBytes(file.path()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the request body from " + file.path(), e);
            }
        }
        throw new IllegalStateException("ClientRequest.body() cannot read a one-shot streamed body without sending it ("
                + method() + " " + url() + "); give the request a body in memory or a file to read it in a middleware");
    }

    /** Whether the body was a one-shot stream that has been sent, so it cannot be sent again. */
    boolean bodySpent() {
        return body.consumed();
    }

    /**
     * Replaces the body with these bytes ({@code Content-Type: application/octet-stream} unless a
     * header says otherwise): aiohttp's {@code await request.update_body(b"...")}.
     *
     * @param data the new body (not copied)
     */
    public void updateBody(byte[] data) {
        updateBody(RequestOption.body(data));
    }

    /**
     * Replaces the body with this text, encoded as UTF-8 ({@code Content-Type: text/plain;
     * charset=utf-8} unless a header says otherwise): aiohttp's {@code update_body("...")}.
     *
     * @param text the new body
     */
    public void updateBody(String text) {
        updateBody(RequestOption.body(text));
    }

    /**
     * Replaces the body with the one a body option makes ({@link RequestOption#body(byte[])},
     * {@link RequestOption#form}, {@link RequestOption#data}, {@link RequestOption#file},
     * {@link RequestOption#chunks}, {@link RequestOption#json}...), or removes it ({@code null},
     * aiohttp's {@code update_body(None)}). The {@code Content-Length} or chunked framing follows
     * the new body.
     *
     * @param bodyOption a body option, or {@code null} for no body
     * @throws IllegalArgumentException if the option is not a body option
     * @throws IllegalStateException for {@link RequestOption#json} without a {@link JsonCodec} on the session
     */
    public void updateBody(RequestOption bodyOption) {
        if (bodyOption == null) {
            body = new RequestBody.None();
            return;
        }
        switch (bodyOption.kind) {
            case BODY -> body = ((RequestOption.Body) bodyOption.value).toRequestBody();
            case JSON -> {
                JsonCodec codec = session.jsonCodec();
                if (codec == null) {
                    throw new IllegalStateException("ClientRequest.updateBody(RequestOption.json(...)) needs a JsonCodec, and "
                            + "this session has none: " + RequestSpec.JSON_ADVICE);
                }
                String text;
                try {
                    text = codec.encode(((RequestOption.JsonValue) bodyOption.value).value());
                } catch (Exception e) {
                    throw new IllegalArgumentException("the JsonCodec cannot encode the json body (" + e + ")", e);
                }
                if (text == null) {
                    throw new IllegalArgumentException("the JsonCodec encoded the json body as null");
                }
                body = new RequestBody.Bytes(text.getBytes(StandardCharsets.UTF_8), "application/json");
            }
            default -> throw new IllegalArgumentException("ClientRequest.updateBody takes a body option (body, form, data, "
                    + "file, chunks, json) or null, got " + bodyOption);
        }
    }

    /** The request as this hop sends it now. */
    RequestSpec toSpec() {
        return spec.withHeadersAndBody(headers, body);
    }

    /**
     * Returns e.g. {@code ClientRequest[POST http://h/x, body=Bytes]}.
     *
     * @return e.g. {@code ClientRequest[POST http://h/x, body=Bytes]}
     */
    @Override
    public String toString() {
        return "ClientRequest[" + method() + " " + url() + ", body=" + body.getClass().getSimpleName() + "]";
    }
}

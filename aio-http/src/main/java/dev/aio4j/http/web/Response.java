package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.JsonCodec;
import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A response whose whole body is known when the handler returns: text or bytes, sent with
 * {@code Content-Length} in one write.
 *
 * <pre>{@code
 * return new Response().text("Hello, World!");                          // text/plain; charset=utf-8
 * return new Response(201).body(bytes).contentType("application/cbor");
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.Response(body=, status=, reason=, text=, headers=,
 * content_type=, charset=)}. <b>Differences:</b> the keyword arguments are chained setters;
 * {@code text} and {@code body} are both {@code text()}/{@code body()} readers and
 * {@code text(String)}/{@code body(byte[])} setters ({@code body(MultipartWriter)} for a multipart
 * body whose parts are in memory). Setting text without a content type makes
 * it {@code text/plain; charset=utf-8}, as aiohttp.
 *
 * @since 0.2
 */
public final class Response extends StreamResponse {
    private byte[] body;
    private Object jsonData;
    private JsonCodec jsonCodec;
    private boolean jsonPending;

    /** A 200 response with no body. */
    public Response() {
        super(200);
    }

    /**
     * A response with a status and no body.
     *
     * @param status 100 to 999
     */
    public Response(int status) {
        super(status);
    }

    /**
     * A response with a status, a reason and headers.
     *
     * @param status 100 to 999
     * @param reason the reason, or null for the standard one
     * @param headers headers to copy, or null
     */
    public Response(int status, String reason, Headers headers) {
        super(status, reason, headers);
    }

    /**
     * Sets the body to text, encoded in the response's charset (UTF-8 if none; the
     * Content-Type becomes {@code text/plain; charset=utf-8} if unset): {@code text=}.
     *
     * @param text the body text
     * @return this response
     */
    public Response text(String text) {
        Checks.notNull(text, "text");
        checkNotPrepared("set the body");
        String cs = charset();
        if (!headers().contains("Content-Type")) {
            headers().set("Content-Type", "text/plain; charset=utf-8");
            cs = "utf-8";
        } else if (cs == null) {
            charset("utf-8");
            cs = "utf-8";
        }
        this.body = text.getBytes(Charset.forName(cs));
        this.jsonPending = false;
        return this;
    }

    /**
     * Returns the body decoded in the response's charset (UTF-8 if none): {@code response.text}.
     *
     * @return the body text, or null if there is no body
     */
    public String text() {
        if (body == null) {
            return null;
        }
        String cs = charset();
        return new String(body, cs == null ? StandardCharsets.UTF_8 : Charset.forName(cs));
    }

    /**
     * Sets the body bytes: {@code body=}. The Content-Type defaults to
     * {@code application/octet-stream}.
     *
     * @param body the bytes (not copied: do not change them after)
     * @return this response
     */
    public Response body(byte[] body) {
        Checks.notNull(body, "body");
        checkNotPrepared("set the body");
        this.body = body;
        this.jsonPending = false;
        return this;
    }

    /**
     * Sets the body to a multipart body: {@code body=MultipartWriter(...)}. The Content-Type
     * becomes the writer's (with its boundary); the body is written now, so parts appended later
     * are not sent.
     *
     * @param writer the writer; all its parts must be in memory
     * @return this response
     * @throws IllegalArgumentException if a part is a file: a {@code Response} sends its whole body
     *         in one write; stream it with a {@link StreamResponse} instead ({@code prepare}, then
     *         {@code write} each of {@link dev.aio4j.http.MultipartWriter#chunks()})
     */
    public Response body(dev.aio4j.http.MultipartWriter writer) {
        Checks.notNull(writer, "writer");
        checkNotPrepared("set the body");
        if (!writer.inMemory()) {
            throw new IllegalArgumentException("Response.body(MultipartWriter) needs every part in memory, but "
                    + writer + " has a file part; stream it with a StreamResponse: set its Content-Type to "
                    + "writer.contentType(), prepare(request), write(piece) for each of writer.chunks(), writeEof()");
        }
        byte[] bytes = writer.toBytes();
        headers().set("Content-Type", writer.contentType());
        return body(bytes);
    }

    /**
     * Returns the body bytes: {@code response.body}.
     *
     * @return the bytes, or null if no body was set
     */
    public byte[] body() {
        return body;
    }

    @Override
    public Response contentType(String contentType) {
        super.contentType(contentType);
        return this;
    }

    /** Makes this a JSON response whose body is encoded at prepare time ({@link Web#jsonResponse}). */
    Response json(Object data, JsonCodec codec) {
        this.jsonData = data;
        this.jsonCodec = codec;
        this.jsonPending = true;
        headers().set("Content-Type", "application/json; charset=utf-8");
        return this;
    }

    private void encodeJson(Request request) throws IOException {
        JsonCodec c = jsonCodec != null ? jsonCodec : request.app() == null ? null : request.app().jsonCodec();
        if (c == null) {
            throw new IllegalStateException("jsonResponse needs a JSON codec: give the Application one with "
                    + "app.jsonCodec(codec), or pass one to jsonResponse(data, codec)");
        }
        String text;
        try {
            text = c.encode(jsonData);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the JSON codec failed to encode " + (jsonData == null ? "null" : jsonData.getClass().getName())
                    + ": " + e, e);
        }
        body = text.getBytes(StandardCharsets.UTF_8);
        jsonPending = false;
    }

    @Override
    void beforeHead(Request request) throws IOException {
        if (jsonPending) {
            encodeJson(request);
        }
        byte[] b = body == null ? new byte[0] : body;
        String coding = Compression.choose(compression(), request, headers());
        if (coding != null) {
            b = Compression.compressAll(b, coding);
            headers().set("Content-Encoding", coding);
            headers().add("Vary", "Accept-Encoding");
            clearCompression(); // settled here: the writer must not compress again
        }
        this.sendBody = b;
        headers().set("Content-Length", Integer.toString(b.length));
    }

    private byte[] sendBody;

    @Override
    boolean sendsHeadImmediately() {
        return false; // the head goes out with the body, in one write
    }

    /** The server finishes a returned Response: prepare, the body, the end, in one write. */
    void finish(Request request) throws IOException {
        prepare(request);
        writeEof();
    }

    /** The body goes out at writeEof() if it was not sent yet, whoever calls it (the server or a handler). */
    @Override
    byte[] beforeEof(byte[] data) {
        byte[] rest = sendBody;
        sendBody = null;
        if (rest == null || rest.length == 0) {
            return data;
        }
        if (data == null || data.length == 0) {
            return rest;
        }
        byte[] both = java.util.Arrays.copyOf(rest, rest.length + data.length);
        System.arraycopy(data, 0, both, rest.length, data.length);
        return both;
    }
}

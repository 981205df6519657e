package dev.aio4j.http.internal;

/**
 * How an outgoing body is delimited, which decides the framing field of its head
 * ({@link HeadSerializer}): none, {@code Content-Length}, or {@code Transfer-Encoding: chunked}.
 * Shared by requests (the client) and responses (the server).
 */
public sealed interface BodyFraming {
    /** No body. */
    record None() implements BodyFraming {}

    /** A body of exactly this many bytes. */
    record Length(long length) implements BodyFraming {
        public Length {
            if (length < 0) {
                throw new IllegalArgumentException("length must be >= 0, got " + length);
            }
        }
    }

    /** A body sent as chunks of unknown total length ({@link ChunkedEncoder}). */
    record Chunked() implements BodyFraming {}

    /** A response body that ends when the connection closes (HTTP/1.0 without a length). */
    record UntilClose() implements BodyFraming {}
}

package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

import java.io.ByteArrayOutputStream;

/** A {@link ChunkedDecoder.Sink} for tests: keeps the decoded body and the trailers it was given. */
final class CollectingSink implements ChunkedDecoder.Sink {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Headers trailers;

    @Override
    public void data(byte[] data, int offset, int length) {
        body.write(data, offset, length);
    }

    @Override
    public void trailers(Headers t) {
        trailers = t;
    }

    /** The body decoded so far. */
    byte[] body() {
        return body.toByteArray();
    }

    /** The trailers, or null if none were given yet. */
    Headers trailers() {
        return trailers;
    }
}

package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

/**
 * What both HTTP/1.1 parsers tell their listener about a message after its head: body bytes,
 * trailers, the end (aio4j-only). {@link RequestParser.Listener} and
 * {@link ResponseParser.Listener} add the head of their kind of message. Arrays passed in are
 * valid only during the call.
 */
public interface BodyListener {
    /**
     * Body bytes, already de-chunked.
     *
     * @param data holds the bytes
     * @param offset where they start
     * @param length how many there are
     */
    void body(byte[] data, int offset, int length);

    /**
     * Trailer fields of a chunked body, if there were any.
     *
     * @param trailers the trailer fields
     */
    default void trailers(Headers trailers) {}

    /** The message is complete. */
    void complete();
}

package dev.aio4j.http.web;

import dev.aio4j.streams.test.InertTransport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A transport with no socket that records what is written, with settable extra info
 * ({@code peername}, {@code sockname}, {@code ssl_object}). aio4j-only test double, the
 * transport of {@link MockedRequest}.
 */
final class RecordingTransport extends InertTransport {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final Map<String, Object> extra = new HashMap<>();
    boolean closed;
    /** Whether reading is paused (by the connection or by a request body's StreamReader). */
    boolean readingPaused;

    String writtenText() {
        return written.toString(StandardCharsets.ISO_8859_1);
    }

    /** Runs after each write, if set (a test that plays a slow client pauses the connection here). */
    Runnable afterWrite;
    /** The length of each write, in order. */
    final java.util.List<Integer> writes = new java.util.ArrayList<>();

    @Override public void write(byte[] data) {
        written.writeBytes(data);
        writes.add(data.length);
        if (afterWrite != null) {
            afterWrite.run();
        }
    }

    @Override public void writeEof() {
        closed = true;
    }

    @Override public void close() {
        closed = true;
    }

    @Override public void abort() {
        closed = true;
    }

    @Override public boolean isClosing() {
        return closed;
    }

    @Override public boolean isReading() {
        return !closed && !readingPaused;
    }

    @Override public void pauseReading() {
        readingPaused = true;
    }

    @Override public void resumeReading() {
        readingPaused = false;
    }

    @Override public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(DEFAULT_HIGH_WATER / 4, DEFAULT_HIGH_WATER);
    }

    @Override public Object getExtraInfo(String name, Object defaultValue) {
        return extra.getOrDefault(name, defaultValue);
    }
}

package dev.aio4j.http.internal;

import dev.aio4j.http.Headers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ResponseParser.Listener} that records what it hears as a list of lines, with adjacent
 * body pieces merged, so that two parses can be compared whatever the chunking of their input.
 */
final class RecordingListener implements ResponseParser.Listener {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    ResponseHead head;
    Headers trailers;
    boolean complete;
    private final ByteArrayOutputStream pendingBody = new ByteArrayOutputStream();

    @Override
    public void interim(ResponseHead h) {
        flush();
        events.add("interim " + describe(h));
    }

    @Override
    public void head(ResponseHead h) {
        flush();
        head = h;
        events.add("head " + describe(h));
    }

    @Override
    public void body(byte[] data, int offset, int length) {
        pendingBody.write(data, offset, length);
        body.write(data, offset, length);
    }

    @Override
    public void trailers(Headers t) {
        flush();
        trailers = t;
        events.add("trailers " + t);
    }

    @Override
    public void complete() {
        flush();
        complete = true;
        events.add("complete");
    }

    /** @return the events, with any body not yet followed by another event */
    List<String> events() {
        flush();
        return events;
    }

    String bodyText() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }

    private void flush() {
        if (pendingBody.size() > 0) {
            events.add("body " + pendingBody.size() + " bytes, hash " + java.util.Arrays.hashCode(pendingBody.toByteArray()));
            pendingBody.reset();
        }
    }

    private static String describe(ResponseHead h) {
        return h.version() + " " + h.status() + " [" + h.reason() + "] " + h.headers() + " " + h.framing() + " "
                + h.contentLength() + (h.keepAlive() ? " keep-alive" : " close");
    }
}

package dev.aio4j.streams;

import dev.aio4j.streams.test.InertTransport;

import java.util.ArrayList;
import java.util.List;

/**
 * A transport that does nothing but record {@code pauseReading()} and {@code resumeReading()}
 * calls ("pause", "resume"), for the reader's flow-control tests. A subclass may refuse to pause.
 * aio4j-only test support.
 */
class FlowRecorder extends InertTransport {
    final List<String> calls = new ArrayList<>();

    @Override
    public void pauseReading() {
        calls.add("pause");
    }

    @Override
    public void resumeReading() {
        calls.add("resume");
    }
}

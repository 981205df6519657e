package dev.aio4j.streams;

import java.util.ArrayList;
import java.util.List;

/**
 * A transport that does nothing but record {@code pauseReading()} and {@code resumeReading()}
 * calls ("pause", "resume"), for the reader's flow-control tests. A subclass may refuse to pause.
 * aio4j-only test support.
 */
class FlowRecorder implements Transport {
    final List<String> calls = new ArrayList<>();

    @Override
    public void write(byte[] data) {
    }

    @Override
    public void writeEof() {
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
    }

    @Override
    public void abort() {
    }

    @Override
    public boolean isClosing() {
        return false;
    }

    @Override
    public void pauseReading() {
        calls.add("pause");
    }

    @Override
    public void resumeReading() {
        calls.add("resume");
    }

    @Override
    public boolean isReading() {
        return true;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(0, 0);
    }

    @Override
    public long getWriteBufferSize() {
        return 0;
    }

    @Override
    public Object getExtraInfo(String name, Object defaultValue) {
        return defaultValue;
    }

    @Override
    public Protocol getProtocol() {
        return null;
    }

    @Override
    public void setProtocol(Protocol protocol) {
    }
}

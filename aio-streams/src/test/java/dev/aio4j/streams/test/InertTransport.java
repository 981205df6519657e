package dev.aio4j.streams.test;

import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;

/**
 * A transport that does nothing: writes are dropped, reading is never paused, the buffer is
 * always empty. Test fakes extend it and override what they model (flow-control calls, an
 * in-memory pipe). aio4j-only test support.
 */
public class InertTransport implements Transport {
    private Protocol protocol;

    /** An inert transport with no protocol. */
    public InertTransport() {
    }

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
    }

    @Override
    public void resumeReading() {
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
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }
}

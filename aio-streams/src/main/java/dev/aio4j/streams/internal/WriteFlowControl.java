package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.Transport;

/**
 * The write-side flow control every transport shares (asyncio's {@code _FlowControlMixin}): the
 * high and low watermarks, and whether the protocol was told to pause. A transport calls
 * {@link #afterGrow} when its buffer grew and {@link #afterShrink} when it shrank; the protocol's
 * {@code pauseWriting()} runs once when the buffer goes over the high mark, {@code resumeWriting()}
 * once when it comes back to the low mark or below. A failure in either goes to the loop's
 * exception handler, naming the transport.
 */
final class WriteFlowControl {
    private final EventLoop loop;
    private final Runnable pauseWriting;
    private final Runnable resumeWriting;
    private int high = Transport.DEFAULT_HIGH_WATER;
    private int low = Transport.DEFAULT_HIGH_WATER / 4;
    private boolean paused;

    /**
     * @param pauseWriting the protocol's {@code pauseWriting}
     * @param resumeWriting the protocol's {@code resumeWriting}
     */
    WriteFlowControl(EventLoop loop, Runnable pauseWriting, Runnable resumeWriting) {
        this.loop = loop;
        this.pauseWriting = pauseWriting;
        this.resumeWriting = resumeWriting;
    }

    /** The buffer of {@code owner} now holds {@code size} bytes, more than before. */
    void afterGrow(long size, Object owner) {
        if (size <= high || paused) {
            return;
        }
        paused = true;
        call(pauseWriting, "pauseWriting", owner);
    }

    /** The buffer of {@code owner} now holds {@code size} bytes, fewer than before. */
    void afterShrink(long size, Object owner) {
        if (paused && size <= low) {
            paused = false;
            call(resumeWriting, "resumeWriting", owner);
        }
    }

    /** New watermarks (checked), then a pause if the buffer is over the new high mark. */
    void setLimits(int high, int low, long size, Object owner) {
        Checks.watermarks(high, low);
        this.high = high;
        this.low = low;
        afterGrow(size, owner);
    }

    Transport.WriteBufferLimits limits() {
        return new Transport.WriteBufferLimits(low, high);
    }

    boolean paused() {
        return paused;
    }

    private void call(Runnable callback, String what, Object owner) {
        ProtocolCalls.call(loop, what, owner, callback);
    }
}

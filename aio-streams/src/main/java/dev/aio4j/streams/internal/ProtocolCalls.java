package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;

/**
 * The one rule for a transport calling its protocol back: what the callback throws goes to the
 * loop's exception handler and the transport carries on, as asyncio's transports call their
 * protocols through {@code call_soon} or catch and report ({@code _maybe_pause_protocol},
 * {@code _call_connection_lost}). Used by the socket, pipe and TLS transports here and by
 * aio-test's simulated ones.
 */
public final class ProtocolCalls {
    private ProtocolCalls() {}

    /**
     * Runs {@code callback}; a {@link RuntimeException} from it is reported as
     * "protocol.{what}() failed: {owner}".
     *
     * @param loop the transport's loop
     * @param what the callback's name ({@code pauseWriting}, {@code connectionLost}, ...)
     * @param owner the transport, named in the report
     * @param callback the call
     */
    public static void call(EventLoop loop, String what, Object owner, Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            loop.callExceptionHandler(ExceptionContext.of("protocol." + what + "() failed: " + owner, e));
        }
    }

    /** {@code pauseWriting} or {@code resumeWriting} of {@code protocol}, as {@link #call}. */
    public static void flow(EventLoop loop, dev.aio4j.streams.Protocol protocol, boolean pause, Object owner) {
        if (pause) {
            call(loop, "pauseWriting", owner, protocol::pauseWriting);
        } else {
            call(loop, "resumeWriting", owner, protocol::resumeWriting);
        }
    }
}

package dev.aio4j.streams.internal;

import java.io.IOException;
import java.util.concurrent.CompletionException;

/** How aio-streams lets a stored failure out of a stream call: as itself, never wrapped twice. */
public final class IoErrors {
    private IoErrors() {}

    private static final System.Logger LOG = System.getLogger("dev.aio4j.streams");

    /**
     * How a transport reports the error that ends it (asyncio's {@code _fatal_error}): a socket's
     * {@link IOException} only in debug mode (the peer went away, which is ordinary), anything
     * else to the loop's exception handler, with {@code message} and the transport.
     */
    static void reportFatal(dev.aio4j.loop.EventLoop loop, Exception exc, String message, Object transport) {
        if (exc instanceof IOException) {
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.DEBUG, message + ": " + transport, exc);
            }
        } else {
            loop.callExceptionHandler(dev.aio4j.loop.ExceptionContext.of(message + ": " + transport, exc));
        }
    }

    /** Rethrows {@code t} as an IOException or an unchecked exception, unwrapping a CompletionException. */
    public static IOException rethrow(Throwable t) throws IOException {
        if (t instanceof CompletionException c && c.getCause() != null) {
            t = c.getCause();
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }
}

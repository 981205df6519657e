package dev.aio4j.streams.internal;

import java.io.IOException;
import java.util.concurrent.CompletionException;

/** How aio-streams lets a stored failure out of a stream call: as itself, never wrapped twice. */
public final class IoErrors {
    private IoErrors() {}

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

package dev.aio4j.streams.internal;

/**
 * Argument checks of aio-streams, with aio4j's one message shape:
 * {@code "<name> must be <rule>, got <value>"}.
 */
public final class Checks {
    private Checks() {}

    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    public static int port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        return port;
    }

    /** Watermarks: {@code high >= low >= 0}. */
    public static void watermarks(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("write buffer limits must satisfy high >= low >= 0, got high=" + high
                    + ", low=" + low);
        }
    }

    /** Rethrows {@code t} as an IOException or an unchecked exception, unwrapping a CompletionException. */
    public static java.io.IOException rethrow(Throwable t) throws java.io.IOException {
        if (t instanceof java.util.concurrent.CompletionException c && c.getCause() != null) {
            t = c.getCause();
        }
        if (t instanceof java.io.IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new java.io.IOException(t);
    }
}

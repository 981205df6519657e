package dev.aio4j.loop.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The one argument-check helper of aio4j. Every message has the same shape:
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

    /** A delay or timeout in seconds: any finite number (negative means "as soon as possible"). */
    public static double finiteSeconds(double seconds, String name) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(name + " must be a finite number of seconds, got " + seconds);
        }
        return seconds;
    }

    /** A timeout in seconds: finite, or +infinity meaning "no timeout"; never NaN. */
    public static double timeoutSeconds(double seconds, String name) {
        if (Double.isNaN(seconds) || seconds == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be a number of seconds or +Infinity for none, got " + seconds);
        }
        return seconds;
    }

    public static double seconds(Duration d, String name) {
        Objects.requireNonNull(d, () -> name + " must not be null");
        return d.getSeconds() + d.getNano() / 1e9;
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    public static double positive(double value, String name) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    public static int nonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }
}

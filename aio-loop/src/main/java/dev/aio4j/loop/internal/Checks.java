package dev.aio4j.loop.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The one argument-check helper of aio4j, used by every module (aio-loop exports this package to
 * its sibling modules only; see module-info.java). Every message has the same shape:
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

    /**
     * A {@link Duration} as seconds, for the {@code double} overload it is given to: the nearest
     * double, with the sign applied last so that {@code Duration.ofMillis(-50)} is exactly
     * {@code -0.05} (not {@code -1 + 0.95}), as the double form would have been given.
     *
     * @throws NullPointerException "{@code name} must not be null"
     */
    public static double seconds(Duration d, String name) {
        Objects.requireNonNull(d, () -> name + " must not be null");
        long secs = d.getSeconds();
        int nanos = d.getNano();
        if (secs < 0 && nanos > 0) { // getNano() counts up from a negative second: -0.05 s is -1 s + 950,000,000 ns
            return (secs + 1) - (1_000_000_000 - nanos) / 1e9;
        }
        return secs + nanos / 1e9;
    }

    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    public static long positive(long value, String name) {
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

    public static double nonNegative(double value, String name) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    /** A TCP or UDP port: 0 (any) to 65535. */
    public static int port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        return port;
    }

    /** Write-buffer watermarks: {@code high >= low >= 0}. */
    public static void watermarks(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("write buffer limits must satisfy high >= low >= 0, got high=" + high
                    + ", low=" + low);
        }
    }

    /** {@code true} for the characters RFC 9110 section 5.6.2 allows in a token ({@code tchar}). */
    public static boolean isTokenChar(int c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    /** {@code true} if {@code s} is a non-empty RFC 9110 token: the one token rule of aio4j. */
    public static boolean isToken(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A method, header name or similar: must be a token. */
    public static String token(String value, String name) {
        notNull(value, name);
        if (!isToken(value)) {
            throw new IllegalArgumentException(name + " must be a token (RFC 9110 section 5.6.2), got "
                    + Escaping.quote(value));
        }
        return value;
    }
}

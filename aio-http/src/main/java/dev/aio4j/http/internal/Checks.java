package dev.aio4j.http.internal;

/**
 * aio-http's argument checks, in the one message format of aio4j:
 * {@code "<name> must be <rule>, got <value>"}. (aio-loop's {@code Checks} is in a package that
 * aio-loop does not export, so aio-http keeps this small twin instead of a qualified export.)
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

    public static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
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

    /** {@code true} for the characters RFC 9110 section 5.6.2 allows in a token. */
    public static boolean isTokenChar(int c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return switch (c) {
            case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
            default -> false;
        };
    }

    /** {@code true} if {@code s} is a non-empty RFC 9110 token. */
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

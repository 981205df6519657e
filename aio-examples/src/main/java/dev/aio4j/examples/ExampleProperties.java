package dev.aio4j.examples;

/**
 * Reads the system properties that size the examples ({@code -Dgather.seconds=2}, ...), with one
 * rule and one message for all of them. aio4j-only: a helper of the examples, not a port.
 *
 * @since 0.1
 */
public final class ExampleProperties {
    private ExampleProperties() {}

    /**
     * A duration in seconds from a system property.
     *
     * @param property the property's name
     * @param defaultSeconds the value when the property is unset or blank
     * @return seconds, finite and not negative
     * @throws IllegalArgumentException if the property is not a finite number &gt;= 0
     */
    public static double seconds(String property, double defaultSeconds) {
        String raw = System.getProperty(property);
        if (raw == null || raw.isBlank()) {
            return defaultSeconds;
        }
        double s;
        try {
            s = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("-D" + property + " must be a finite number of seconds >= 0, got " + raw);
        }
        return s;
    }
}

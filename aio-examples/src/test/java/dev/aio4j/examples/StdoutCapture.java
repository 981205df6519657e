package dev.aio4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs an example's {@code main} with {@link System#out} captured, and with system properties
 * set for the duration of the call (then restored).
 */
public final class StdoutCapture {
    /** A main method, or anything else that prints. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private StdoutCapture() {}

    /**
     * Runs {@code body} with System.out captured and {@code properties} (name, value, name,
     * value...) set.
     *
     * @return the printed lines
     */
    public static List<String> lines(Body body, String... properties) throws Exception {
        if (properties.length % 2 != 0) {
            throw new IllegalArgumentException("properties must come in name/value pairs");
        }
        String[] saved = new String[properties.length / 2];
        for (int i = 0; i < properties.length; i += 2) {
            saved[i / 2] = System.getProperty(properties[i]);
            System.setProperty(properties[i], properties[i + 1]);
        }
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.out.flush();
            System.setOut(original);
            for (int i = 0; i < properties.length; i += 2) {
                if (saved[i / 2] == null) {
                    System.clearProperty(properties[i]);
                } else {
                    System.setProperty(properties[i], saved[i / 2]);
                }
            }
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        original.print(text); // keep it in the surefire report
        return text.lines().toList();
    }
}

package dev.aio4j.loop;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only (issue 13): an {@link OutOfMemoryError} in a task or callback ends the run with that
 * error thrown from {@code Aio.run}, instead of leaving the loop parked or the error on the loop
 * thread. Each case runs {@link OutOfMemoryMain} in a child JVM with a small heap.
 */
class OutOfMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"tasks", "callback"})
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void outOfMemoryEndsTheRunWithTheError_issue13(String mode) throws Exception {
        Path out = Files.createTempFile("aio4j-oom-", ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        cmd.add("-XX:-HeapDumpOnOutOfMemoryError");
        String scheduler = System.getProperty("aio4j.scheduler");
        if (scheduler != null) {
            cmd.add("-Daio4j.scheduler=" + scheduler);
        }
        if ("carrier".equals(scheduler)) {
            cmd.add("--add-opens");
            cmd.add("java.base/java.lang=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OutOfMemoryMain.class.getName());
        cmd.add(mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            boolean ended = p.waitFor(170, TimeUnit.SECONDS);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(ended, "the child JVM did not end; output:\n" + tail(text));
            assertTrue(text.contains("FATAL java.lang.OutOfMemoryError"), tail(text));
            assertEquals(3, p.exitValue(), tail(text));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    private static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

}

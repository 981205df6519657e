package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors {@code test_runners.py}'s {@code test_interrupt_wait}: {@code Aio.run} cancels its main
 * task on SIGINT, as {@code asyncio.Runner} does (Python then raises {@code KeyboardInterrupt};
 * here the run ends with the task's {@link CancelledError}), and puts the previous SIGINT handler
 * back afterwards. Runs in a child JVM ({@link SigintMain}), since a stray SIGINT would end this one.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class RunnerSigintTest {

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptWait() throws Exception {
        assertEquals(List.of("READY", "CANCELLED interrupted by SIGINT", "AFTER the JVM's handler"), runWithSigint());
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void signalInstallNotDoneOverAProgramsOwnHandler() throws Exception { // asyncio: only over default_int_handler
        assertEquals(List.of("READY", "CUSTOM", "RETURNED", "AFTER the program's handler"), runWithSigint("custom"));
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLoopsOwnSigintHandlerTakesTheSignalAndTheJvmsComesBackAfter() throws Exception {
        // asyncio: add_signal_handler(SIGINT) replaces the runner's handler, the runner then leaves
        // the handler alone (not its own any more), and the loop's close puts the default back; a
        // second run takes SIGINT again. (Before, the runner's restore removed the loop's handler
        // under it and the loop's close brought back the finished runner's, so the second run did
        // not take SIGINT: the JVM exited.)
        assertEquals(List.of("READY", "LOOP HANDLER", "AFTER the JVM's handler",
                "READY", "CANCELLED interrupted by SIGINT", "AFTER the JVM's handler"), runWithSigint("loop"));
    }

    /** Runs SigintMain with {@code args} in a child JVM, sends SIGINT once it printed READY; its output. */
    private static List<String> runWithSigint(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
        cmd.add(SigintMain.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("READY")) { // one SIGINT per READY
                        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
                        assertEquals(0, kill.waitFor());
                    }
                }
            }
            assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the child JVM ended");
            assertEquals(0, p.exitValue(), String.join("\n", lines));
            return lines;
        } finally {
            p.destroyForcibly();
        }
    }
}

package dev.aio4j.loop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio4j-only (issue 12): what docs/logging.md promises. aio-loop logs through one
 * {@code System.Logger}, named {@code dev.aio4j.loop}, and nowhere else (no {@code System.out},
 * {@code System.err} or {@code printStackTrace}); an error's exception is attached to the log
 * record once, not repeated in the message.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoggingTest {
    private static final Path MAIN = Path.of("src", "main", "java");

    private static List<Path> mainSources() throws IOException {
        assertTrue(Files.isDirectory(MAIN), "run from the aio-loop module directory: " + MAIN.toAbsolutePath());
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void everyLoggerOfTheModuleIsNamedDevAio4jLoop_issue12() throws IOException {
        Pattern getLogger = Pattern.compile("System\\.getLogger\\(([^)]*)\\)");
        List<String> loggers = new ArrayList<>();
        for (Path p : mainSources()) {
            Matcher m = getLogger.matcher(Files.readString(p));
            while (m.find()) {
                loggers.add(p.getFileName() + ": " + m.group(1));
                assertEquals("\"dev.aio4j.loop\"", m.group(1), p.toString());
            }
        }
        assertTrue(loggers.size() >= 5, loggers.toString()); // EventLoop, SlowCallbacks, ExecutorBridge, Schedulers, watchdog
    }

    @Test
    void nothingIsPrintedOutsideTheLogger_issue12() throws IOException {
        Pattern printing = Pattern.compile("System\\.(out|err)\\b|\\.printStackTrace\\(");
        for (Path p : mainSources()) {
            String[] lines = Files.readString(p).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].trim();
                if (line.startsWith("*") || line.startsWith("//")) {
                    continue; // documentation may mention them
                }
                assertFalse(printing.matcher(line).find(), p + ":" + (i + 1) + ": " + line);
            }
        }
    }

    @Test
    void theDefaultHandlerAttachesTheExceptionOnce_issue12() {
        try (BaseEventsTest.LogCapture log = new BaseEventsTest.LogCapture(); EventLoop loop = EventLoop.create()) {
            IllegalStateException boom = new IllegalStateException("boom");
            loop.callExceptionHandler(ExceptionContext.of("something failed", boom));
            loop.callExceptionHandler(ExceptionContext.of("no exception here", null));
            List<LogRecord> records = log.records();
            assertEquals(2, records.size(), log.messages().toString());
            assertEquals(Level.SEVERE, records.get(0).getLevel());
            assertEquals("dev.aio4j.loop", records.get(0).getLoggerName());
            assertEquals("something failed", records.get(0).getMessage());
            assertSame(boom, records.get(0).getThrown());
            assertEquals("no exception here", records.get(1).getMessage());
            assertEquals(null, records.get(1).getThrown());
        }
    }
}

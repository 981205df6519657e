package dev.aio4j.loop.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Catches what aio4j logs through {@code System.Logger} (backed by java.util.logging by default)
 * under one logger name, and keeps it off the console meanwhile; {@link #close()} puts the logger
 * back as it was. For the tests of every module. aio4j-only test support.
 */
public class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final boolean useParentHandlers;
    private final Level oldLevel;
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Starts catching the records of {@code loggerName} (and of the loggers below it), at the
     * logger's own level.
     *
     * @param loggerName for instance {@code "dev.aio4j.loop"}
     */
    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        useParentHandlers = logger.getUseParentHandlers();
        oldLevel = logger.getLevel();
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /**
     * Sets the logger's level until {@link #close()}.
     *
     * @param level the level
     * @return this
     */
    public LogCapture level(Level level) {
        logger.setLevel(level);
        return this;
    }

    /** @return the records so far, oldest first */
    public List<LogRecord> records() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /** @return the messages of the records so far */
    public List<String> messages() {
        return records().stream().map(LogRecord::getMessage).toList();
    }

    /**
     * Waits (real time, from a test thread) until at least {@code n} records arrived, or 10 s.
     *
     * @param n how many
     * @throws InterruptedException if interrupted
     */
    public void awaitRecords(int n) throws InterruptedException {
        for (int i = 0; i < 1000 && records.size() < n; i++) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParentHandlers);
        logger.setLevel(oldLevel);
    }
}

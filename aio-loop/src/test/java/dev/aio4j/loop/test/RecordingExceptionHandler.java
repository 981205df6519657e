package dev.aio4j.loop.test;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.ExceptionHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An {@link ExceptionHandler} that records every context it is given, for assertions. */
public final class RecordingExceptionHandler implements ExceptionHandler {
    private final List<ExceptionContext> contexts = new ArrayList<>();

    @Override
    public synchronized void handle(EventLoop loop, ExceptionContext context) {
        contexts.add(context);
    }

    /** Everything recorded so far, in order. */
    public synchronized List<ExceptionContext> contexts() {
        return new ArrayList<>(contexts);
    }

    /** The messages recorded so far, in order. */
    public synchronized List<String> messages() {
        return contexts.stream().map(ExceptionContext::message).collect(Collectors.toList());
    }

    /** Fails if anything was recorded. */
    public synchronized void assertNothingReported() {
        if (!contexts.isEmpty()) {
            throw new AssertionError("the loop reported " + contexts.size() + " error(s): " + contexts);
        }
    }

    /** Forgets what was recorded. */
    public synchronized void clear() {
        contexts.clear();
    }
}

package dev.aio4j.loop;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the loop knows about an error passed to its {@link ExceptionHandler}.
 *
 * <p><b>asyncio:</b> the {@code context} dict of {@code loop.call_exception_handler(context)},
 * with keys {@code message}, {@code exception}, {@code future}, {@code task}, {@code handle} and
 * {@code source_traceback}. <b>Differences:</b> typed accessors; {@link #asMap()} gives the dict
 * shape with asyncio's key names for a line-by-line port.
 *
 * @param message what happened, never null
 * @param exception the error, or null
 * @param future the future or task concerned, or null
 * @param handle the callback handle concerned, or null
 * @param sourceTraceback where the future or task was created (debug mode only), or null
 * @since 0.1
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle,
                               StackTraceElement[] sourceTraceback) {

    /**

     * Creates the context.

     *
     * @param message what happened
     * @param exception the error, or null
     * @param future the future or task concerned, or null
     * @param handle the callback handle concerned, or null
     * @param sourceTraceback creation site, or null
     */
    public ExceptionContext {
        Objects.requireNonNull(message, "message must not be null");
    }

    /**
     * A context with a message and an exception only.
     *
     * @param message what happened
     * @param exception the error, or null
     * @return the context
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null, null);
    }

    /**
     * The task concerned, if the future is a task.
     *
     * @return the task, or null
     */
    public Task<?> task() {
        return future instanceof Task<?> t ? t : null;
    }

    /**
     * The context as asyncio's dict: only the keys that have a value.
     *
     * @return an ordered, unmodifiable map
     */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", message);
        if (exception != null) {
            m.put("exception", exception);
        }
        if (future != null) {
            m.put(future instanceof Task<?> ? "task" : "future", future);
        }
        if (handle != null) {
            m.put("handle", handle);
        }
        if (sourceTraceback != null) {
            m.put("source_traceback", sourceTraceback);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(message);
        if (future != null) {
            sb.append("\n").append(future instanceof Task<?> ? "task: " : "future: ").append(future);
        }
        if (handle != null) {
            sb.append("\nhandle: ").append(handle);
        }
        if (exception != null) {
            sb.append("\nexception: ").append(exception);
        }
        if (sourceTraceback != null) {
            sb.append("\ncreated at:");
            for (StackTraceElement e : sourceTraceback) {
                sb.append("\n    at ").append(e);
            }
        }
        return sb.toString();
    }
}

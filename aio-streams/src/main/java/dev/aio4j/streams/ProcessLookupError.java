package dev.aio4j.streams;

/**
 * A signal was sent to a subprocess that has finished: {@link Subprocess#sendSignal},
 * {@link Subprocess#terminate()} or {@link Subprocess#kill()} after {@link Subprocess#await()}
 * has its result (the child exited and its pipes closed).
 *
 * <p><b>asyncio:</b> Python's built-in {@code ProcessLookupError}, which asyncio's subprocess
 * transport raises then. <b>Differences:</b> unchecked, and an {@link IllegalStateException}
 * rather than an {@link java.io.IOException} (Python's {@code OSError}), so a
 * {@code proc.kill()} needs no {@code try}; catch it by this type where Python code catches
 * {@code ProcessLookupError}.
 *
 * @since 0.2
 */
public final class ProcessLookupError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The child's process id. */
    private final long pid;

    /**
     * Creates the error.
     *
     * @param message what was wrong
     * @param pid the child's process id
     */
    public ProcessLookupError(String message, long pid) {
        super(message);
        this.pid = pid;
    }

    /**
     * The process id of the child that was signalled.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }
}

package dev.aio4j.loop;

/**
 * When an idle loop on a {@link VirtualClock} jumps to its next timer, and when it waits in real
 * time instead (trio's {@code MockClock} autojump rule, adapted to a loop that also watches
 * sockets). The rule is a function of its inputs, plus one bit of memory: whether the current idle
 * spell already spent its real I/O grace period. Package-private; loop-confined.
 */
final class VirtualTimePolicy {
    /** Real time an idle auto-jump loop with sockets to watch gives pending I/O before jumping. */
    static final double IO_GRACE_SECONDS = 0.005;
    /** {@link #idleTimeout} result: set the clock to the next timer's deadline and do not wait. */
    static final long JUMP = Long.MIN_VALUE;
    /** {@link #idleTimeout} result: wait (really) until woken. */
    static final long WAIT_UNTIL_WOKEN = -1;

    /** The last idle iteration already waited the real I/O grace period. */
    private boolean ioGraceSpent;

    /**
     * How long an iteration with nothing ready waits, in real nanoseconds.
     *
     * @param autoJump whether the clock jumps when the loop is idle
     * @param externalWork whether work on another thread will still call back (an executor job)
     * @param ioInterest whether any channel is registered with the selector
     * @param hasTimer whether a timer is scheduled
     * @param realTimeout what the loop would wait on a real clock (-1: no deadline)
     * @return {@link #JUMP}, {@link #WAIT_UNTIL_WOKEN}, or a real wait in nanoseconds
     */
    long idleTimeout(boolean autoJump, boolean externalWork, boolean ioInterest, boolean hasTimer, long realTimeout) {
        if (!autoJump) {
            return WAIT_UNTIL_WOKEN; // wait (really) for advance(), a threadsafe callback or I/O
        }
        if (externalWork) {
            return WAIT_UNTIL_WOKEN; // work on another thread will call back through callSoonThreadsafe
        }
        if (ioInterest && !ioGraceSpent) {
            // Give pending I/O one short real wait; if nothing arrives, the next idle
            // iteration jumps to the next timer.
            ioGraceSpent = true;
            return (long) Math.ceil(IO_GRACE_SECONDS * 1e9);
        }
        ioGraceSpent = false;
        return hasTimer ? JUMP : realTimeout;
    }

    /** I/O arrived: the next idle spell gets its grace period again. */
    void ioArrived() {
        ioGraceSpent = false;
    }
}

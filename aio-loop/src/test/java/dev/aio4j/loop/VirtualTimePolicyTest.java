package dev.aio4j.loop;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link VirtualTimePolicy}, stepped through idle iterations one at a time. aio4j-only: asyncio's
 * TestLoop has no auto-jump rule; trio's MockClock autojump is the model.
 */
class VirtualTimePolicyTest {
    private static final long GRACE = (long) Math.ceil(VirtualTimePolicy.IO_GRACE_SECONDS * 1e9);
    private static final long NO_DEADLINE = -1;

    private final VirtualTimePolicy policy = new VirtualTimePolicy();

    @Test
    void manualClockWaitsUntilWoken() {
        // whatever else is true, a manual clock never jumps
        assertEquals(VirtualTimePolicy.WAIT_UNTIL_WOKEN, policy.idleTimeout(false, false, false, true, 1_000));
        assertEquals(VirtualTimePolicy.WAIT_UNTIL_WOKEN, policy.idleTimeout(false, false, true, true, 1_000));
    }

    @Test
    void autoJumpJumpsToTheNextTimer() {
        assertEquals(VirtualTimePolicy.JUMP, policy.idleTimeout(true, false, false, true, 1_000));
        // no timer, nothing to watch: wait as a real loop would (here: until woken)
        assertEquals(NO_DEADLINE, policy.idleTimeout(true, false, false, false, NO_DEADLINE));
    }

    @Test
    void executorWorkHoldsTimeStill() {
        // a job on another thread will call back: wait for it, even with a timer pending
        assertEquals(VirtualTimePolicy.WAIT_UNTIL_WOKEN, policy.idleTimeout(true, true, true, true, 1_000));
        // the job is done: jump
        assertEquals(VirtualTimePolicy.JUMP, policy.idleTimeout(true, false, false, true, 1_000));
    }

    @Test
    void registeredChannelsGetOneGracePeriodPerIdleSpell() {
        // idle 1: channels are registered, the spell has had no grace yet: wait briefly for I/O
        assertEquals(GRACE, policy.idleTimeout(true, false, true, true, 1_000));
        // idle 2: nothing arrived during the grace period: jump
        assertEquals(VirtualTimePolicy.JUMP, policy.idleTimeout(true, false, true, true, 1_000));
        // idle 3: a new spell (the jump ended the last one) gets a new grace period
        assertEquals(GRACE, policy.idleTimeout(true, false, true, true, 1_000));
        // I/O arrives during it: the next idle spell gets its grace period again
        policy.ioArrived();
        assertEquals(GRACE, policy.idleTimeout(true, false, true, true, 1_000));
    }
}

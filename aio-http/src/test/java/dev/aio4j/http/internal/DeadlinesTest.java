package dev.aio4j.http.internal;

import dev.aio4j.http.ClientTimeout;
import dev.aio4j.http.ConnectionTimeoutError;
import dev.aio4j.http.ServerTimeoutError;
import dev.aio4j.http.SocketTimeoutError;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.VirtualClock;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * When each limit of a {@link Deadlines} expires, on a virtual clock that reads 10.1 when the
 * request starts: {@code ClientTimeout.ceilThreshold} rounds the deadlines of total (limit
 * {@code >=} threshold), connect and sock_connect (limit {@code >} threshold) up to a whole second
 * of loop time, and never the sock_read one. Mirrors the ceil math of aiohttp's
 * {@code tests/test_helpers.py} (test_ceil_call_later, test_ceil_timeout_round,
 * test_ceil_timeout_small, test_ceil_call_later_with_small_threshold,
 * test_when_timeout_smaller_second, test_when_timeout_smaller_second_with_low_threshold,
 * test_ceil_timeout_small_with_overriden_threshold), with the comparisons of aiohttp's
 * {@code TimeoutHandle.start} and {@code ceil_timeout}.
 */
class DeadlinesTest {
    private static final URI URL = URI.create("http://a.example/x");
    private static final double START = 10.1;

    /** Which step a limit guards, and what it throws when the limit expires. */
    private enum Stage {
        TOTAL(Deadlines::total, ServerTimeoutError.class),
        CONNECT(Deadlines::connect, ConnectionTimeoutError.class),
        SOCK_CONNECT(Deadlines::sockConnect, ConnectionTimeoutError.class),
        SOCK_READ(Deadlines::read, SocketTimeoutError.class);

        final BiFunction<Deadlines, Deadlines.Step<Object>, Object> run;
        final Class<? extends ServerTimeoutError> error;

        Stage(Runs run, Class<? extends ServerTimeoutError> error) {
            this.run = (d, step) -> {
                try {
                    return run.run(d, step);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            };
            this.error = error;
        }
    }

    @FunctionalInterface
    private interface Runs {
        Object run(Deadlines d, Deadlines.Step<Object> step) throws java.io.IOException;
    }

    /**
     * Starts a request at loop time 10.1 with {@code timeout}, runs a step that never ends under
     * {@code stage}'s limit, and returns the loop time at which the limit's error came.
     */
    private static double expiresAt(ClientTimeout timeout, Stage stage) throws Exception {
        return expiresAt(timeout, stage, stage.error);
    }

    private static double expiresAt(ClientTimeout timeout, Stage stage, Class<? extends ServerTimeoutError> error)
            throws Exception {
        try (Runner r = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            return r.run(() -> {
                Aio.sleep(START);
                assertEquals(START, Aio.getRunningLoop().time());
                Deadlines d = new Deadlines(timeout, URL);
                ServerTimeoutError e = assertThrows(ServerTimeoutError.class, () -> stage.run.apply(d, () -> {
                    Aio.sleep(1_000_000);
                    return null;
                }));
                assertEquals(error, e.getClass(), e.toString());
                return Aio.getRunningLoop().time();
            });
        }
    }

    private static ClientTimeout only(Stage stage, double seconds) {
        ClientTimeout none = ClientTimeout.NONE;
        return switch (stage) {
            case TOTAL -> none.withTotal(seconds);
            case CONNECT -> none.withConnect(seconds);
            case SOCK_CONNECT -> none.withSockConnect(seconds);
            case SOCK_READ -> none.withSockRead(seconds);
        };
    }

    @Test
    void ceilCallLater() throws Exception {
        // test_ceil_call_later: 10.1 s started at 10.1 is due at 21, not 20.2
        for (Stage s : new Stage[] {Stage.TOTAL, Stage.CONNECT, Stage.SOCK_CONNECT}) {
            assertEquals(21.0, expiresAt(only(s, 10.1), s), s.name());
        }
    }

    @Test
    void aLimitOverTheThresholdExpiresAtTheNextWholeSecond() throws Exception {
        // test_ceil_timeout_round: 5.5 s from 10.1 is due at 16, not 15.6
        for (Stage s : new Stage[] {Stage.TOTAL, Stage.CONNECT, Stage.SOCK_CONNECT}) {
            assertEquals(16.0, expiresAt(only(s, 5.5), s), s.name());
        }
    }

    @Test
    void ceilTimeoutSmall() throws Exception {
        // test_ceil_timeout_small, test_when_timeout_smaller_second: below the threshold, exact
        for (Stage s : Stage.values()) {
            assertEquals(START + 2.5, expiresAt(only(s, 2.5), s), s.name());
            assertEquals(START + 0.1, expiresAt(only(s, 0.1), s), s.name());
        }
    }

    @Test
    void theSockReadDeadlineIsNeverRounded() throws Exception {
        // aiohttp's ResponseHandler._reschedule_timeout: loop.call_later(read_timeout, ...), no ceil
        assertEquals(START + 5.5, expiresAt(ClientTimeout.NONE.withSockRead(5.5), Stage.SOCK_READ));
        assertEquals(START + 5.5, expiresAt(ClientTimeout.NONE.withSockRead(5.5).withCeilThreshold(0), Stage.SOCK_READ));
    }

    @Test
    void atTheThresholdTotalIsRoundedButConnectIsNot() throws Exception {
        // TimeoutHandle.start: `if timeout >= ceil_threshold`; ceil_timeout: `if delay > ceil_threshold`
        assertEquals(16.0, expiresAt(only(Stage.TOTAL, 5), Stage.TOTAL));
        assertEquals(START + 5, expiresAt(only(Stage.CONNECT, 5), Stage.CONNECT));
        assertEquals(START + 5, expiresAt(only(Stage.SOCK_CONNECT, 5), Stage.SOCK_CONNECT));
    }

    @Test
    void ceilCallLaterWithSmallThreshold() throws Exception {
        // test_ceil_call_later_with_small_threshold, test_ceil_timeout_small_with_overriden_threshold,
        // test_when_timeout_smaller_second_with_low_threshold
        for (Stage s : new Stage[] {Stage.TOTAL, Stage.CONNECT, Stage.SOCK_CONNECT}) {
            assertEquals(15.0, expiresAt(only(s, 4.5).withCeilThreshold(1), s), s.name());
            assertEquals(12.0, expiresAt(only(s, 1.5).withCeilThreshold(1), s), s.name());
            assertEquals(11.0, expiresAt(only(s, 0.1).withCeilThreshold(0.01), s), s.name());
        }
    }

    @Test
    void anInfiniteThresholdNeverRounds() throws Exception { // aio4j-only
        for (Stage s : new Stage[] {Stage.TOTAL, Stage.CONNECT, Stage.SOCK_CONNECT}) {
            assertEquals(START + 300, expiresAt(only(s, 300).withCeilThreshold(Double.POSITIVE_INFINITY), s), s.name());
        }
    }

    @Test
    void aStepUnderItsOwnLimitAndTheTotalEndsAtTheEarlierDeadline() throws Exception { // aio4j-only
        // sock_connect 2.5 (due at 12.6 exactly) inside total 7 (due at 18)
        assertEquals(START + 2.5, expiresAt(ClientTimeout.NONE.withTotal(7).withSockConnect(2.5), Stage.SOCK_CONNECT));
        // sock_connect 10 (due at 21) inside total 5.5 (due at 16): the total is reached and named
        assertEquals(16.0, expiresAt(ClientTimeout.NONE.withTotal(5.5).withSockConnect(10), Stage.SOCK_CONNECT,
                ServerTimeoutError.class));
    }
}

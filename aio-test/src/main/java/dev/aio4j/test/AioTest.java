package dev.aio4j.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JUnit 5 test whose body runs as the main task of a fresh event loop.
 *
 * <p><b>asyncio:</b> {@code unittest.IsolatedAsyncioTestCase} (each test method is a coroutine
 * run on its own loop). <b>Differences:</b> the loop's clock is virtual by default, so
 * {@code Aio.sleep(3600)} costs nothing; the test fails if it leaves tasks pending, a transport
 * or server open (where asyncio would warn {@code ResourceWarning: unclosed transport} when it is
 * collected, if anyone looks), or an exception unretrieved (anything the loop would report to
 * its exception handler); a
 * real-time {@link #timeout()} ends a hung test with a dump of every task; {@link #explore()}
 * runs the body under many seeded {@link dev.aio4j.loop.Schedule}s and, on failure, prints the
 * seed to replay with {@link #seed()}.
 *
 * <p>{@code @BeforeEach} and {@code @AfterEach} methods of the class run as main tasks of the
 * same loop, before and after the body (as {@code asyncSetUp}/{@code asyncTearDown} do), so they
 * may await, and what they create (a queue, a server, a task) is bound to the loop the body runs
 * on. The leak check runs when the test ends, after the last {@code @AfterEach}: tasks a
 * {@code @BeforeEach} left running are not leaks, nor are tasks the body started that an
 * {@code @AfterEach} stopped, but tasks an {@code @AfterEach} leaves pending are; the same for
 * transports and servers (on real sockets or the simulated network) that are neither closed nor
 * closing. Errors the loop
 * reports during the fixtures, or while the loop shuts down after the last {@code @AfterEach},
 * fail the test. Under {@link #explore()} each run needs a fresh loop with its own schedule, so
 * the fixtures then run on a loop of their own, and each run's leaks are checked when its body
 * returns. A failed JUnit assumption in the body skips the test, under {@link #explore()} too.
 *
 * <pre>{@code
 * @AioTest
 * void retriesWithBackoff() {
 *     double t0 = Aio.getRunningLoop().time();
 *     assertEquals("ok", retrying(() -> flaky.call()));
 *     assertEquals(7.0, Aio.getRunningLoop().time() - t0);   // 1 + 2 + 4 s of virtual backoff
 * }
 * }</pre>
 *
 * <p>Inside the body, {@code Aio.getRunningLoop()} is the test's loop and
 * {@code Aio.getRunningLoop().virtualClock()} its clock (null for {@link ClockMode#REAL}).
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(AioExtension.class)
public @interface AioTest {
    /** No seed: the plain FIFO schedule. */
    long NO_SEED = Long.MIN_VALUE;

    /**
     * The loop's clock.
     *
     * @return the clock mode
     */
    ClockMode clock() default ClockMode.VIRTUAL;

    /**
     * Real seconds the test may take before its tasks are cancelled and it fails with a task
     * dump.
     *
     * @return the timeout
     */
    double timeout() default 10.0;

    /**
     * Run under {@code Schedule.seeded(seed, maxJitter)} (virtual clocks only).
     *
     * @return the seed, or {@link #NO_SEED}
     */
    long seed() default NO_SEED;

    /**
     * Run the body this many times, under the seeds {@code seed()} (or 1 when unset) and on;
     * the first failure names its seed.
     *
     * @return how many schedules to try; 0 runs once
     */
    int explore() default 0;

    /**
     * The largest timer lateness the seeded schedules use.
     *
     * @return seconds
     */
    double maxJitter() default 0.010;

    /**
     * Whether tasks still pending when the body returns are allowed (they are cancelled).
     *
     * @return true to allow them
     */
    boolean allowPendingTasks() default false;

    /**
     * Whether transports and servers still open when the test ends are allowed: stream, datagram
     * and TLS transports handed to a protocol, and servers, on real sockets or the simulated
     * network, that were neither closed nor closing (a transport its peer reset counts as closed;
     * one whose peer only sent EOF stays open until it is closed, as a stream's does). By default they fail the test, naming each; the loop's shutdown does not close them.
     *
     * @return true to allow them
     * @since 0.2
     */
    boolean allowUnclosedTransports() default false;

    /**
     * Runs the body on a simulated network ({@code dev.aio4j.test.net.SimNetwork}, which needs
     * aio-streams) with these hosts besides {@code "local"}: a fresh network for each run, added
     * hosts, installed on the test's loop before the body starts (so {@code Streams},
     * {@code ClientSession} and the web server use it), and handed to a body parameter of type
     * {@code SimNetwork} if it has one. {@code @BeforeEach} methods run before it is installed.
     * When the body fails, the failure's message carries the network's
     * {@code replayReport()}: its seed, the fault plans applied and the last events of its
     * trace. Empty (the default): real sockets.
     *
     * <pre>{@code
     * @AioTest(network = {"client", "bank"})
     * void pays(SimNetwork net) throws IOException {
     *     net.setLatency(0.005, 0.002);
     *     FaultPlan.of(new Fault.Reset(0.012, "client", "bank")).apply(net);
     *     ...
     * }
     * }</pre>
     *
     * @return the host names; empty for no simulated network
     * @since 0.2
     */
    String[] network() default {};

    /**
     * The seed of the simulated network ({@link #network()}); unset, it is the run's schedule
     * seed ({@link #seed()}, or each explored seed under {@link #explore()}), else 0.
     *
     * @return the seed, or {@link #NO_SEED}
     * @since 0.2
     */
    long networkSeed() default NO_SEED;
}

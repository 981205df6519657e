package dev.aio4j.test;

import dev.aio4j.loop.Aio;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * What {@link AioTest} does with passing, leaking, hanging and schedule-dependent tests, seen
 * through JUnit's EngineTestKit. aio4j-only (asyncio's IsolatedAsyncioTestCase has no such
 * checks).
 */
@org.junit.jupiter.api.Timeout(60)
class AioExtensionTest {

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    private static List<Throwable> failures(EngineExecutionResults r) {
        return r.testEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .collect(Collectors.toList());
    }

    @Test
    void passingTestsRunOnAFreshLoopWithTheRequestedClock() {
        EngineExecutionResults r = run(ExtensionFixtures.Passing.class);
        assertEquals(4, r.testEvents().succeeded().count(), () -> failures(r).toString());
        assertEquals(0, r.testEvents().failed().count());
    }

    @Test
    void aTaskLeftPendingFailsTheTestAndIsNamed() {
        List<Throwable> f = failures(run(ExtensionFixtures.LeaksATask.class));
        assertEquals(1, f.size());
        String m = f.get(0).getMessage();
        assertTrue(m.contains("1 task(s) still pending when the test body returned"), m);
        assertTrue(m.contains("forgotten-child"), m);
    }

    @Test
    void aConnectionLeftOpenFailsTheTestAndIsNamed() {
        List<Throwable> f = failures(run(ExtensionFixtures.LeaksAConnection.class));
        assertEquals(1, f.size(), f.toString());
        String m = f.get(0).getMessage();
        assertTrue(m.contains("1 transport(s) or server(s) still open when the test body returned"), m);
        assertTrue(m.contains("SocketTransport[peer=/127.0.0.1:"), m);
        assertTrue(m.contains("allowUnclosedTransports"), m);
    }

    @Test
    void aServerLeftOpenFailsTheTestUnlessAllowed() {
        EngineExecutionResults r = run(ExtensionFixtures.LeavesAServerOpen.class);
        assertEquals(1, r.testEvents().succeeded().count(), () -> failures(r).toString());
        List<Throwable> f = failures(r);
        assertEquals(1, f.size(), f.toString());
        String m = f.get(0).getMessage();
        assertTrue(m.startsWith("forgetsTheServer(): "), m);
        assertTrue(m.contains("1 transport(s) or server(s) still open"), m);
        assertTrue(m.contains("127.0.0.1"), m);
    }

    @Test
    void aFixturesServerAndAConnectionTheTeardownClosesAreNoLeaks() {
        EngineExecutionResults r = run(ExtensionFixtures.ServerFromAFixture.class);
        assertEquals(1, r.testEvents().succeeded().count(), () -> failures(r).toString());
    }

    @Test
    void schedulesRunFailsOnAnEndpointLeftOpen() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Schedules.run(dev.aio4j.loop.Schedule.fifo(), () -> {
                    dev.aio4j.streams.Streams.createDatagramEndpoint(() -> new dev.aio4j.streams.DatagramProtocol() {},
                            new java.net.InetSocketAddress("127.0.0.1", 0), null);
                    Aio.sleep(0); // connectionMade
                    return null;
                }));
        assertTrue(e.getMessage().contains("1 transport(s) or server(s) still open when the test body returned: [DatagramTransport["),
                e.getMessage());
        assertEquals("closed", Schedules.run(dev.aio4j.loop.Schedule.fifo(), () -> {
            var ep = dev.aio4j.streams.Streams.createDatagramEndpoint(() -> new dev.aio4j.streams.DatagramProtocol() {},
                    new java.net.InetSocketAddress("127.0.0.1", 0), null);
            Aio.sleep(0);
            ep.transport().close();
            return "closed";
        }));
    }

    @Test
    void anUnretrievedTaskExceptionFailsTheTest() {
        List<Throwable> f = failures(run(ExtensionFixtures.LeaksAnException.class));
        assertEquals(1, f.size());
        String m = f.get(0).getMessage();
        assertTrue(m.contains("exception was never retrieved"), m);
        assertTrue(m.contains("failing-child"), m);
        assertEquals("lost failure", f.get(0).getSuppressed()[0].getMessage());
    }

    @Test
    void aHungTestTimesOutWithATaskDump() {
        List<Throwable> f = failures(run(ExtensionFixtures.Hangs.class));
        assertEquals(1, f.size());
        String m = f.get(0).getMessage();
        assertTrue(m.contains("timed out after 0.3 s of real time"), m);
        assertTrue(m.contains("Task[name=waiter, pending, waiting on Future[pending]]"), m);
    }

    @Test
    void explorationReportsTheSeedThatReplaysTheFailure() {
        List<Throwable> f = failures(run(ExtensionFixtures.FailsUnderSomeSchedule.class));
        assertEquals(1, f.size());
        String m = f.get(0).getMessage();
        assertTrue(m.contains("failed under Schedule[seed="), m);
        assertTrue(m.contains("replay it with @AioTest(seed = "), m);
        assertTrue(f.get(0).getCause().getMessage().contains("b overtook a"), m);
    }

    @Test
    void beforeEachAndAfterEachAwaitOnTheTestsLoop_issue12() {
        ExtensionFixtures.WithFixtures.EVENTS.clear();
        EngineExecutionResults r = run(ExtensionFixtures.WithFixtures.class);
        assertEquals(1, r.testEvents().succeeded().count(), () -> failures(r).toString());
        assertEquals(List.of("setUp slept 5.0", "test got from setUp's task", "tearDown on the same loop: true"),
                ExtensionFixtures.WithFixtures.EVENTS);
    }

    @Test
    void anExploreFailureKeepsExpectedAndActual_issue12() {
        List<Throwable> f = failures(run(ExtensionFixtures.ExploreComparison.class));
        assertEquals(1, f.size());
        assertTrue(f.get(0) instanceof org.opentest4j.AssertionFailedError, f.get(0).toString());
        org.opentest4j.AssertionFailedError e = (org.opentest4j.AssertionFailedError) f.get(0);
        assertEquals("expected-value", e.getExpected().getValue());
        assertEquals("actual-value", e.getActual().getValue());
        assertTrue(e.getMessage().contains("replay it with @AioTest(seed = 1L, maxJitter = "), e.getMessage());
    }

    @Test
    void anErrorLostInAFixtureFailsTheTest_issue12() {
        List<Throwable> f = failures(run(ExtensionFixtures.FixtureLeaksAnException.class));
        assertEquals(1, f.size(), f.toString());
        String m = f.get(0).getMessage();
        assertTrue(m.contains("exception was never retrieved"), m);
        assertTrue(m.contains("fixture-child"), m);
    }

    @Test
    void explorationOfACorrectTestPasses() {
        EngineExecutionResults r = run(ExtensionFixtures.Explores.class);
        assertEquals(1, r.testEvents().succeeded().count(), () -> failures(r).toString());
    }

    @SuppressWarnings("unused")
    private static String describe(Event e) {
        return e.toString();
    }
}

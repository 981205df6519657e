package dev.aio4j.test.net;

import dev.aio4j.loop.Schedule;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@code @AioTest(network = ...)}, {@link SimRun} and {@link FaultPlans#runs}: a test gets a
 * network without set-up code, and a failure says how to replay it. aio4j-only (issue 17).
 */
class AioTestNetworkTest {

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    @Test
    void aTestGetsAFreshInstalledNetworkPerRun() {
        EngineExecutionResults r = run(NetworkFixtures.Passing.class);
        assertEquals(0, r.testEvents().failed().count(), () -> r.testEvents().failed().list().toString());
        assertEquals(2, r.testEvents().succeeded().count());
    }

    @Test
    void aFailedAssumptionSkipsTheTestInsteadOfFailingIt() {
        EngineExecutionResults r = run(NetworkFixtures.SkipsOnAnAssumption.class);
        assertEquals(0, r.testEvents().failed().count(), () -> r.testEvents().failed().list().toString());
        assertEquals(1, r.testEvents().aborted().count());
    }

    @Test
    void aFailureCarriesTheSeedThePlanAndTheTrace() {
        EngineExecutionResults r = run(NetworkFixtures.FailsAfterAReset.class);
        List<Throwable> f = r.testEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .toList();
        assertEquals(1, f.size());
        String m = f.get(0).getMessage();
        assertTrue(m.startsWith("SimNetwork seed 7, fault plans applied: FaultPlan.of(new Fault.Reset(0.5, \"local\", \"bank\"))"), m);
        assertTrue(m.contains("0.500000 reset-link bank|local"), m);
        assertTrue(m.contains("Connection reset by peer"), m);
    }

    @Test
    void aSimRunThatFailsSaysHowToReplayIt() {
        SimRun bad = new SimRun(3, Schedule.fifo(), FaultPlan.of(new Fault.Crash(0.010, "server", 1.0)), List.of("server"));
        assertEquals("new SimRun(3L, Schedule.fifo(), FaultPlan.of(new Fault.Crash(0.01, \"server\", 1.0)), List.of(\"server\"))",
                bad.toJava());
        AssertionError e = assertThrows(AssertionError.class, () -> bad.run(net -> {
            dev.aio4j.streams.Server s = dev.aio4j.streams.Streams.startServer((r, w) -> w.close(), "server", 7);
            dev.aio4j.loop.Aio.sleep(0.020);
            s.close();
            return dev.aio4j.streams.Streams.openConnection("server", 7);
        }));
        assertTrue(e.getMessage().startsWith("failed; replay with " + bad.toJava() + ".run(...)\nSimNetwork seed 3"), e.getMessage());
        assertTrue(e.getMessage().contains("0.010000 crash server"), e.getMessage());
    }

    @Provide
    Arbitrary<SimRun> runs() {
        return FaultPlans.runs(List.of("client", "server"), 1.0, FaultPlans.ALL_KINDS);
    }

    /** Fails under any fault at all: shrinking must end at one fault of the simplest kind at time 0. */
    @Property(tries = 200, seed = "11")
    @AddLifecycleHook(ExpectShrunkToOneResetAtZero.class)
    void failsUnderAnyFault(@ForAll("runs") SimRun run) {
        assertEquals(0, run.plan().size(), "a fault");
    }

    static final class ExpectShrunkToOneResetAtZero implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            PropertyExecutionResult r = property.execute();
            try {
                assertEquals(PropertyExecutionResult.Status.FAILED, r.status());
                SimRun shrunk = (SimRun) r.falsifiedParameters().orElseThrow().get(0);
                assertEquals(new SimRun(0, shrunk.schedule(), FaultPlan.of(new Fault.Reset(0.0, "client", "client")),
                        List.of("client", "server")), shrunk);
                assertTrue(shrunk.schedule().isFifo(), "the schedule shrinks to FIFO: " + shrunk.schedule());
                return r.mapToSuccessful();
            } catch (Throwable e) {
                return r.mapToFailed(e);
            }
        }
    }
}

package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.AioTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Test classes that {@link AioTestNetworkTest} runs through JUnit's EngineTestKit; not run on their own. */
final class NetworkFixtures {
    private NetworkFixtures() {}

    static class Passing {
        @AioTest(network = {"client", "server"}, networkSeed = 99)
        void getsAnInstalledNetwork(SimNetwork net) throws IOException {
            assertSame(net, SimNetwork.of(Aio.getRunningLoop()));
            assertEquals(99, net.seed());
            assertEquals(java.util.List.of("local", "client", "server"), net.hosts());
            Server server = Streams.startServer((r, w) -> w.close(), "server", 7);
            StreamPair c = net.spawn("client", () -> Streams.openConnection("server", 7)).await();
            assertEquals(0, c.reader().read().length);
            c.writer().close();
            server.close();
            server.waitClosed();
        }

        @AioTest(network = "server", explore = 3, seed = 10)
        void eachExploredRunGetsAFreshNetworkWithItsSeed(SimNetwork net) {
            assertSame(net, SimNetwork.of(Aio.getRunningLoop()));
            assertEquals(0, net.trace().size(), "fresh");
            net.setLatency(SimNetwork.LOCAL, "server", 0.001, 0);
            org.junit.jupiter.api.Assertions.assertTrue(net.seed() >= 10 && net.seed() < 13, "seed " + net.seed());
        }
    }

    static class SkipsOnAnAssumption {
        @AioTest(network = "server")
        void assumesSomethingFalse(SimNetwork net) {
            org.junit.jupiter.api.Assumptions.assumeTrue(net.hosts().contains("elsewhere"), "needs a host called elsewhere");
        }
    }

    static class FailsAfterAReset {
        @AioTest(network = "bank", networkSeed = 7)
        void expectsTheReplyDespiteAReset(SimNetwork net) throws IOException {
            Server server = Streams.startServer((r, w) -> {
                r.readline();
                Aio.sleep(1);
                w.write("OK\n".getBytes(StandardCharsets.UTF_8));
                w.close();
            }, "bank", 443);
            FaultPlan.of(new Fault.Reset(0.5, SimNetwork.LOCAL, "bank")).apply(net);
            StreamPair c = Streams.openConnection("bank", 443);
            try {
                c.writer().write("CHARGE\n".getBytes(StandardCharsets.UTF_8));
                assertEquals("OK\n", new String(c.reader().readline(), StandardCharsets.UTF_8));
            } finally {
                c.writer().close();
                server.close();
                server.waitClosed();
            }
        }
    }
}

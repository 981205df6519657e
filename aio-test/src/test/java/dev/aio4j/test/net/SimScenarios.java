package dev.aio4j.test.net;

import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Parts of the determinism scenarios that the TCP and Unix socket tests share. */
final class SimScenarios {
    private SimScenarios() {}

    /** What one client of a scenario does, given its name. */
    @FunctionalInterface
    interface Client {
        void run(String name) throws Exception;
    }

    /**
     * Runs {@code client} for each of {@code names} in a task spawned on {@code host} of the name,
     * waits for them all, then closes the server and waits for it.
     */
    static void clientsThenClose(SimNetwork net, Server server, List<String> names, Function<String, String> host, Client client) {
        List<Task<Object>> clients = new ArrayList<>();
        for (String name : names) {
            clients.add(net.spawn(host.apply(name), () -> {
                client.run(name);
                return null;
            }));
        }
        for (Task<Object> t : clients) {
            t.await();
        }
        server.close();
        server.waitClosed();
    }

    /**
     * {@link #clientsThenClose} with clients that connect through {@code open} and have five lines
     * echoed; a reset ends a client early, as part of the run.
     */
    static void echoingClients(SimNetwork net, Server server, List<String> names, Function<String, String> host,
                               Coroutine<StreamPair> open) {
        clientsThenClose(net, server, names, host, name -> {
            StreamPair p = open.call();
            try {
                for (int i = 0; i < 5; i++) {
                    p.writer().write((name + i + "\n").getBytes(StandardCharsets.UTF_8));
                    p.reader().readline();
                }
            } catch (SocketException reset) {
                // the reset the scenario plans is part of the run
            } finally {
                p.writer().close();
            }
        });
    }

    /**
     * Twenty runs of {@code scenario} with seed 42 give one trace hash, {@code pinned} (the same
     * under both schedulers, as the classes run once per scheduler, and on any JVM), and seed 43
     * another.
     */
    static void assertSameTraceTwentyTimes(LongFunction<String> scenario, String pinned) {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            hashes.add(scenario.apply(42));
        }
        assertEquals(1, hashes.size(), "trace hashes over 20 runs: " + hashes);
        assertEquals(Set.of(pinned), hashes);
        assertNotEquals(scenario.apply(42), scenario.apply(43), "another seed draws other latencies");
    }
}

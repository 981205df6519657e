package dev.aio4j.examples.udp;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.net.SimNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the UDP echo server and clients of asyncio's documentation, on loopback and on a simulated network. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UdpEchoTest {

    @Test
    void everyClientGetsItsDatagramBack() throws Exception {
        @SuppressWarnings("unchecked")
        List<String>[] answers = new List[1];
        List<String> out = StdoutCapture.lines(() -> answers[0] = UdpEcho.run(3));
        assertEquals(List.of("Hello World! #1", "Hello World! #2", "Hello World! #3"), answers[0]);
        assertEquals("Starting UDP server", out.get(0));
        for (int i = 1; i <= 3; i++) {
            String m = "Hello World! #" + i;
            assertTrue(out.contains("Send: " + m), out.toString());
            assertTrue(out.contains("Received: " + m), out.toString());
            assertTrue(out.stream().anyMatch(l -> l.startsWith("Received " + m + " from /127.0.0.1:")), out.toString());
        }
        assertEquals(3, out.stream().filter("Connection closed"::equals).count(), out.toString());
    }

    /** The same code, unchanged, on a simulated network with 20 to 50 ms of latency each way. */
    @AioTest
    void everyClientGetsItsDatagramBackOnASimulatedNetwork() throws Exception {
        SimNetwork net = new SimNetwork(5);
        net.setLatency(0.020, 0.030);
        net.install(dev.aio4j.loop.Aio.getRunningLoop());
        double t0 = dev.aio4j.loop.Aio.getRunningLoop().time();
        @SuppressWarnings("unchecked")
        List<String>[] answers = new List[1];
        List<String> out = StdoutCapture.lines(() -> answers[0] = UdpEcho.session(3));
        assertEquals(List.of("Hello World! #1", "Hello World! #2", "Hello World! #3"), answers[0]);
        for (int i = 1; i <= 3; i++) {
            String m = "Hello World! #" + i;
            // As on real loopback: the server bound 127.0.0.1, so its clients' datagrams come from 127.0.0.1.
            assertTrue(out.stream().anyMatch(l -> l.startsWith("Received " + m + " from /127.0.0.1:")), out.toString());
        }
        double took = dev.aio4j.loop.Aio.getRunningLoop().time() - t0;
        assertTrue(took >= 0.040 && took < 0.101, "one round trip of virtual time: " + took);
        assertEquals(6, net.trace().stream().filter(l -> l.contains(" udp-send ")).count(), net.trace().toString());
        net.uninstall();
    }
}

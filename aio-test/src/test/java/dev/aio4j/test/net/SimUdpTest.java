package dev.aio4j.test.net;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Schedule;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.DatagramTransportAndProtocol;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.test.RecordingDatagramProtocol;
import dev.aio4j.streams.test.RecordingDatagramProtocol.Echo;
import dev.aio4j.test.AioTest;
import dev.aio4j.test.Schedules;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.aio4j.streams.test.RecordingDatagramProtocol.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SimNetwork} does to UDP datagrams that a real loopback cannot show: reordering by
 * per-datagram latency, loss and partitions that drop, hold and release, a capped receive
 * buffer, port unreachable one round trip later, a crash that closes a host's sockets, and a
 * trace whose hash the seed fixes. The behaviour both share is aio-streams' UDP scenarios, run
 * here by {@link SimUdpEndpointTest}, {@link SimUdpEchoTest} and {@link SimUdpProperties}.
 * aio4j-only (issue 17).
 */
class SimUdpTest {

    /** A recording endpoint bound to {@code port} on {@code host} (the wildcard address). */
    private static DatagramTransportAndProtocol<RecordingDatagramProtocol> bind(SimNetwork net, String host, int port) throws IOException {
        return net.spawn(host, () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(port), null))
                .awaitChecked(IOException.class);
    }

    /** Sends {@code n} datagrams "0".."n-1" from a fresh endpoint on {@code host} to {@code to}, at once. */
    private static DatagramTransportAndProtocol<RecordingDatagramProtocol> burst(SimNetwork net, String host, InetSocketAddress to, int n, int size) {
        return net.spawn(host, () -> {
            var tx = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
            for (int i = 0; i < n; i++) {
                byte[] d = size == 0 ? ascii(String.valueOf(i)) : new byte[size];
                tx.transport().sendto(d, to);
            }
            return tx;
        }).await();
    }

    private static long count(SimNetwork net, String needle) {
        return net.trace().stream().filter(l -> l.contains(needle)).count();
    }

    @AioTest(network = {"a", "b"}, networkSeed = 1)
    void jitterReordersDatagramsButDeliversEachOnce(SimNetwork net) throws IOException {
        net.setLatency("a", "b", 0.010, 0.050);
        var rx = bind(net, "b", 9000);
        assertEquals(new InetSocketAddress(9000), rx.transport().getExtraInfo("sockname"), "bound to the wildcard");
        var tx = burst(net, "a", new InetSocketAddress(net.address("b"), 9000), 50, 0);
        rx.protocol().awaitDatagrams(50);
        List<String> got = rx.protocol().texts();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(String.valueOf(i));
        }
        assertEquals(new HashSet<>(sent), new HashSet<>(got));
        assertEquals(50, got.size(), "each once");
        assertNotEquals(sent, got, "a latency drawn per datagram reorders them (a connection's bytes never are)");
        // From a socket bound to the wildcard, datagrams carry the host's address.
        int txPort = ((InetSocketAddress) tx.transport().getExtraInfo("sockname")).getPort();
        assertEquals(new InetSocketAddress(net.address("a"), txPort), rx.protocol().received.get(0).addr());
        assertTrue(Aio.getRunningLoop().time() < 0.061, "all within the latency bound");
        tx.transport().close();
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"}, networkSeed = 3)
    void lossDropsDatagramsWithoutRetransmission(SimNetwork net) throws IOException {
        net.setLoss("a", "b", 0.3);
        var rx = bind(net, "b", 9000);
        var tx = burst(net, "a", new InetSocketAddress(net.address("b"), 9000), 200, 0);
        Aio.sleep(1);
        int got = rx.protocol().received.size();
        assertTrue(got > 100 && got < 180, "about 70% arrive: " + got);
        assertEquals(200 - got, count(net, " (lost)"), "every missing one was dropped as lost");
        assertEquals(0, count(net, "retransmit"));
        assertEquals(got, new HashSet<>(rx.protocol().texts()).size(), "none twice");
        tx.transport().close();
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aPartitionDropsDatagramsAHoldKeepsThem(SimNetwork net) throws IOException {
        net.setLatency("a", "b", 0.100, 0);
        var rx = bind(net, "b", 9000);
        InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
        net.partition("a", "b", false);
        var tx = burst(net, "a", to, 3, 0);
        Aio.sleep(1);
        assertEquals(0, rx.protocol().received.size());
        assertEquals(3, count(net, " (partition)"));
        net.repair("a", "b");
        // Sent before the cut, arriving during it: dropped too.
        tx.transport().sendto(ascii("in flight"), to);
        Aio.sleep(0.050);
        net.partition("a", "b", false);
        Aio.sleep(0.100);
        net.repair("a", "b");
        assertEquals(4, count(net, " (partition)"));
        // A hold keeps them until the release, which hands them over in the order they reached b:
        // each after its own latency, so with jitter not the order they were sent in.
        net.setLatency("a", "b", 0.100, 0.050);
        net.hold("a", "b");
        List<String> sent = List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff");
        for (String s : sent) {
            tx.transport().sendto(ascii(s), to);
        }
        Aio.sleep(5);
        assertEquals(0, rx.protocol().received.size());
        // udp-held names each datagram as it reached b; its size tells which one it was.
        List<Integer> reachedB = net.trace().stream().filter(l -> l.contains(" udp-held a:"))
                .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1, l.length() - 1))).toList();
        net.release("a", "b");
        rx.protocol().awaitDatagrams(6);
        List<String> got = rx.protocol().texts();
        assertEquals(reachedB, got.stream().map(String::length).toList(), "released in the order they reached b");
        assertNotEquals(sent, got, "jitter reordered them on the way (this seed does)");
        // One way: a's datagrams are dropped, b's still reach a.
        net.partitionOneWay("a", "b");
        tx.transport().sendto(ascii("lost"), to);
        rx.transport().sendto(ascii("back"), rx.protocol().received.get(0).addr());
        tx.protocol().awaitDatagrams(1);
        assertEquals(List.of("back"), tx.protocol().texts());
        Aio.sleep(1);
        assertEquals(6, rx.protocol().received.size());
        assertEquals(5, count(net, " (partition)"));
        tx.transport().close();
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aHoldAndAPartitionAreApart(SimNetwork net) throws IOException {
        var rx = bind(net, "b", 9000);
        InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
        var tx = burst(net, "a", to, 0, 0);
        // Repairing a partition does not end a hold.
        net.hold("a", "b");
        net.partition("a", "b", false);
        net.repair("a", "b");
        tx.transport().sendto(ascii("kept"), to);
        Aio.sleep(1);
        assertEquals(List.of(), rx.protocol().texts(), "still held");
        assertEquals(0, count(net, " udp-drop"));
        net.release("a", "b");
        rx.protocol().awaitDatagrams(1);
        assertEquals(List.of("kept"), rx.protocol().texts());
        // Nor does repairing a one-way cut.
        net.hold("a", "b");
        net.partitionOneWay("a", "b");
        net.repairOneWay("a", "b");
        tx.transport().sendto(ascii("kept too"), to);
        Aio.sleep(1);
        assertEquals(1, rx.protocol().received.size(), "still held");
        net.release("a", "b");
        rx.protocol().awaitDatagrams(2);
        // Releasing a hold does not end a partition: what the hold kept meets the cut and is dropped.
        net.hold("a", "b");
        tx.transport().sendto(ascii("doomed"), to);
        Aio.sleep(1);
        net.partition("a", "b", false);
        net.release("a", "b");
        Aio.sleep(1);
        assertEquals(2, rx.protocol().received.size());
        assertEquals(1, count(net, "6B (partition)"));
        net.repair("a", "b");
        List<String> events = net.trace().stream().filter(l -> l.matches("\\S+ (partition|hold|release|repair) .*"))
                .map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        assertEquals(List.of("hold a|b", "partition a|b", "repair a|b", "release a|b", "hold a|b", "partition a->b",
                "repair a->b", "release a|b", "hold a|b", "partition a|b", "release a|b", "repair a|b"), events);
        tx.transport().close();
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aHoldKeepsAtMostItsQueueEachWayAndDropsTheRest(SimNetwork net) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> net.setUdpHoldQueue(-1));
        net.setUdpReceiveBuffer(4_000_000); // room for every released datagram at once
        var rx = bind(net, "b", 9000);
        InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
        var tx = burst(net, "a", to, 0, 0);
        InetSocketAddress back = new InetSocketAddress(net.address("a"),
                ((InetSocketAddress) tx.transport().getExtraInfo("sockname")).getPort());
        net.hold("a", "b");
        int cap = SimNetwork.DEFAULT_UDP_HOLD_QUEUE;
        for (int i = 0; i < cap + 200; i++) {
            tx.transport().sendto(ascii(String.valueOf(i)), to);
        }
        // The other direction has a queue of its own.
        for (int i = 0; i < 3; i++) {
            rx.transport().sendto(ascii("back " + i), back);
        }
        Aio.sleep(1);
        assertEquals(cap, count(net, " udp-held a:"));
        assertEquals(200, count(net, " (held queue full)"));
        assertEquals(200, count(net, "4B (held queue full)"), "the last ones sent, \"1000\".. \"1199\", are dropped");
        assertEquals(3, count(net, " udp-held b:"));
        assertEquals(List.of(), rx.protocol().texts());
        net.release("a", "b");
        rx.protocol().awaitDatagrams(cap);
        tx.protocol().awaitDatagrams(3);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            first.add(String.valueOf(i));
        }
        assertEquals(first, rx.protocol().texts(), "the kept ones, in order");
        assertEquals(List.of("back 0", "back 1", "back 2"), tx.protocol().texts());
        assertEquals(cap + 200, count(net, " udp-deliver a:") + count(net, " udp-drop a:"), "sent = delivered + dropped");
        // The release emptied the queue; a smaller cap applies to the next hold.
        net.setUdpHoldQueue(2);
        net.hold("a", "b");
        for (String s : List.of("x", "y", "z")) {
            tx.transport().sendto(ascii(s), to);
        }
        Aio.sleep(1);
        net.release("a", "b");
        rx.protocol().awaitDatagrams(cap + 2);
        Aio.sleep(1);
        assertEquals(List.of("x", "y"), rx.protocol().texts().subList(cap, rx.protocol().received.size()));
        assertEquals(201, count(net, " (held queue full)"));
        // 0: a hold drops every datagram, as a partition does.
        net.setUdpHoldQueue(0);
        net.hold("a", "b");
        tx.transport().sendto(ascii("gone"), to);
        Aio.sleep(1);
        net.release("a", "b");
        Aio.sleep(1);
        assertEquals(cap + 2, rx.protocol().received.size());
        assertEquals(202, count(net, " (held queue full)"));
        tx.transport().close();
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void portUnreachableCrossesTheLinkBackLikeADatagram(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency("a", "b", 0.250, 0);
        var c = net.spawn("a", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null,
                new InetSocketAddress(net.address("b"), 9))).await();
        // A hold on the way back keeps it until the release.
        c.transport().sendto(ascii("1"));
        Aio.sleep(0.300); // it reached b at 0.25; the ICMP reply is on its way back
        net.hold("a", "b");
        Aio.sleep(2);
        assertEquals(List.of(), c.protocol().errors);
        net.release("a", "b");
        c.protocol().awaitErrors(1);
        assertInstanceOf(PortUnreachableException.class, c.protocol().errors.get(0));
        // A partition on the way back drops it.
        c.transport().sendto(ascii("2"));
        Aio.sleep(0.300);
        net.partition("a", "b", false);
        Aio.sleep(2);
        net.repair("a", "b");
        assertEquals(1, c.protocol().errors.size());
        assertEquals(1, count(net, "udp-unreachable-drop a:49152->b:9 1B (partition)"), net.trace().toString());
        // The link's loss may lose it (here the loss starts after the datagram left a).
        c.transport().sendto(ascii("3"));
        Aio.sleep(0.100);
        net.setLoss("a", "b", 1.0);
        Aio.sleep(2);
        net.setLoss("a", "b", 0);
        assertEquals(1, c.protocol().errors.size());
        assertEquals(1, count(net, "udp-unreachable-drop a:49152->b:9 1B (lost)"), net.trace().toString());
        assertTrue(loop.time() > 0);
        c.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aFullReceiveBufferDropsWhatDoesNotFit(SimNetwork net) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> net.setUdpReceiveBuffer(0));
        net.setUdpReceiveBuffer(10_000);
        var rx = bind(net, "b", 9000);
        InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
        // 20 datagrams arrive in one loop iteration: 5 fit, each charged its skb's overhead as Linux
        // charges it ((1000 + 768) * 5 = 8840), the 6th would not.
        var tx = burst(net, "a", to, 20, 1000);
        Aio.sleep(1);
        assertEquals(5, rx.protocol().received.size());
        assertEquals(15, count(net, " (receive buffer of 10000 bytes full)"));
        // Drained, it takes datagrams again.
        tx.transport().sendto(new byte[1000], to);
        rx.protocol().awaitDatagrams(6);
        // The default buffer holds 276 one-byte datagrams, as a real one does (not 26,000).
        net.setUdpReceiveBuffer(SimNetwork.DEFAULT_UDP_RECEIVE_BUFFER);
        var tx2 = burst(net, "a", to, 400, 1);
        Aio.sleep(1);
        assertEquals(6 + 276, rx.protocol().received.size());
        tx2.transport().close();
        tx.transport().close();
        rx.transport().close();
    }

    /** Closes its endpoint on the first datagram. */
    static final class ClosesOnFirst extends RecordingDatagramProtocol {
        @Override
        public void datagramReceived(byte[] data, java.net.SocketAddress addr) {
            super.datagramReceived(data, addr);
            transport.close();
        }
    }

    @AioTest(network = {"a", "b"})
    void datagramsWaitingInTheReceiveBufferAreTracedAsDroppedWhenTheSocketCloses(SimNetwork net) throws IOException {
        var rx = net.spawn("b", () -> Streams.createDatagramEndpoint(ClosesOnFirst::new, new InetSocketAddress(9000), null))
                .awaitChecked(IOException.class);
        // No jitter: the three arrive in one loop iteration; the protocol closes on the first.
        var tx = burst(net, "a", new InetSocketAddress(net.address("b"), 9000), 3, 0);
        rx.protocol().lost.await();
        Aio.sleep(1);
        assertEquals(List.of("0"), rx.protocol().texts());
        assertEquals(3, count(net, " udp-send a:"));
        assertEquals(1, count(net, " udp-deliver a:"));
        assertEquals(2, count(net, " (socket closed)"), net.trace().toString());
        assertEquals(3, count(net, " udp-deliver a:") + count(net, " udp-drop a:"), "sent = delivered + dropped");
        tx.transport().close();
    }

    /** Records pauseWriting and resumeWriting with the write buffer size at the time. */
    static final class FlowRecording extends RecordingDatagramProtocol {
        final List<String> flow = new ArrayList<>();

        @Override
        public void pauseWriting() {
            flow.add("pause " + transport.getWriteBufferSize());
        }

        @Override
        public void resumeWriting() {
            flow.add("resume " + transport.getWriteBufferSize());
        }
    }

    @AioTest(network = {"a", "b"})
    void aBandwidthLimitedLinkFillsTheSendBufferThenQueuesAndPausesTheWriter(SimNetwork net) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> net.setUdpSendBuffer(0));
        EventLoop loop = Aio.getRunningLoop();
        net.setBandwidth("a", "b", 100_000); // 1,000 bytes take 10 ms
        var rx = bind(net, "b", 9000);
        InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
        var tx = net.spawn("a", () -> Streams.createDatagramEndpoint(FlowRecording::new, new InetSocketAddress(0), null))
                .awaitChecked(IOException.class);
        for (int i = 0; i < 400; i++) {
            tx.transport().sendto(new byte[1000], to);
        }
        // The kernel took datagrams while what waited on the link (1,768 bytes each, payload and skb
        // overhead) stayed under the 212,992-byte send buffer: 121 of them; the other 279 wait in the
        // transport, counted as the real transport counts its queue (payload + 8).
        assertEquals(121, count(net, " udp-send a:"));
        assertEquals(279 * 1008, tx.transport().getWriteBufferSize());
        // pauseWriting once past the 64 KiB high mark (the 66th queued datagram), not again.
        assertEquals(List.of("pause " + 66 * 1008), tx.protocol().flow);
        rx.protocol().awaitDatagrams(400);
        double took = loop.time();
        assertEquals(4.0, took, 0.02, "the link's rate, none lost: " + took);
        assertEquals(0, tx.transport().getWriteBufferSize());
        // resumeWriting once the queue came down to the 16 KiB low mark.
        assertEquals(List.of("pause " + 66 * 1008, "resume " + 16 * 1008), tx.protocol().flow);
        assertEquals(400, count(net, " udp-send a:"));
        assertEquals(0, count(net, " udp-drop"));
        // close() flushes what is queued before connectionLost, as the real transport does.
        for (int i = 0; i < 300; i++) {
            tx.transport().sendto(new byte[1000], to);
        }
        assertTrue(tx.transport().getWriteBufferSize() > 0);
        tx.transport().close();
        tx.transport().sendto(new byte[1000], to); // dropped: closing
        assertTrue(tx.transport().isClosing());
        assertNull(tx.protocol().lost.await());
        assertEquals(700, count(net, " udp-send a:"), "each queued datagram was sent before the socket closed");
        rx.protocol().awaitDatagrams(700);
        assertEquals(700, rx.protocol().received.size());
        // A smaller send buffer queues sooner; watermarks set over the queue pause at once.
        net.setUdpSendBuffer(10_000);
        var small = net.spawn("a", () -> Streams.createDatagramEndpoint(FlowRecording::new, new InetSocketAddress(0), null))
                .awaitChecked(IOException.class);
        for (int i = 0; i < 20; i++) {
            small.transport().sendto(new byte[1000], to);
        }
        assertEquals(14 * 1008, small.transport().getWriteBufferSize(), "6 on the link, 14 queued");
        assertEquals(List.of(), small.protocol().flow);
        small.transport().setWriteBufferLimits(5000, 1000);
        assertEquals(List.of("pause " + 14 * 1008), small.protocol().flow);
        small.transport().abort(); // drops the queue: those datagrams were never sent
        small.protocol().lost.await();
        assertEquals(0, small.transport().getWriteBufferSize());
        assertEquals(706, count(net, " udp-send a:"));
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void portUnreachableReachesAConnectedSenderOneRoundTripLater(SimNetwork net) throws IOException {
        EventLoop loop = Aio.getRunningLoop();
        net.setLatency("a", "b", 0.250, 0);
        var c = net.spawn("a", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null,
                new InetSocketAddress(net.address("b"), 9))).await();
        double t0 = loop.time();
        c.transport().sendto(ascii("anyone?"));
        c.protocol().awaitErrors(1);
        assertEquals(0.5, loop.time() - t0, 1e-9, "there and back");
        PortUnreachableException e = assertInstanceOf(PortUnreachableException.class, c.protocol().errors.get(0));
        assertTrue(e.getMessage().contains("nothing is bound to UDP port b:9"), e.getMessage());
        assertEquals(1, count(net, "udp-unreachable a:"));
        // A host that is down sends no ICMP: the datagram is dropped without a word.
        net.crash("b");
        c.transport().sendto(ascii("still?"));
        Aio.sleep(2);
        assertEquals(1, c.protocol().errors.size());
        assertEquals(1, count(net, " (host b is down)"));
        c.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aCrashClosesTheHostsUdpSockets(SimNetwork net) throws IOException {
        var rx = bind(net, "b", 9000);
        var connected = net.spawn("b", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null,
                new InetSocketAddress(net.address("a"), 53))).await();
        InetSocketAddress to = new InetSocketAddress(net.address("b"), 9000);
        net.crash("b");
        for (var e : List.of(rx, connected)) {
            Exception lost = e.protocol().lost.await();
            assertInstanceOf(SocketException.class, lost);
            assertEquals("Network is down (host b crashed)", lost.getMessage());
            assertTrue(e.transport().isClosing());
        }
        var tx = burst(net, "a", to, 1, 0);
        Aio.sleep(1);
        assertEquals(1, count(net, " (host b is down)"));
        assertThrows(BindException.class, () -> bind(net, "b", 9000), "a host that is down binds nothing");
        net.restart("b");
        // Restarted, the port is free (the sockets died with the crash) and nothing listens until bound.
        tx.transport().sendto(ascii("before"), to);
        Aio.sleep(1);
        assertEquals(1, count(net, "(port unreachable)"));
        var again = bind(net, "b", 9000);
        tx.transport().sendto(ascii("after"), to);
        again.protocol().awaitDatagrams(1);
        assertEquals(List.of("after"), again.protocol().texts());
        tx.transport().close();
        again.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aCrashBetweenTheBindAndConnectionMadeFailsTheCreate(SimNetwork net) throws Exception {
        InetSocketAddress on = new InetSocketAddress(net.address("b"), 9000);
        Task<DatagramTransportAndProtocol<RecordingDatagramProtocol>> create = Aio.createTask(() -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new,
                on, null));
        Aio.sleep(0); // bound on b, connectionMade not run yet
        net.crash("b");
        java.util.concurrent.CompletionException failed = assertThrows(java.util.concurrent.CompletionException.class,
                () -> Aio.waitFor(create, 1.0), "the create fails at once, not by a timeout");
        SocketException e = assertInstanceOf(SocketException.class, failed.getCause());
        assertEquals("Network is down (host b crashed)", e.getMessage());
        assertEquals(0.0, Aio.getRunningLoop().time(), 1e-9, "promptly");
        net.restart("b");
        var again = net.spawn("b", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, on, null)).awaitChecked(IOException.class);
        again.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void aVanishClosesTheHostsUdpSocketsSilently(SimNetwork net) throws IOException {
        var rx = bind(net, "b", 9000);
        var tx = net.spawn("a", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null,
                new InetSocketAddress(net.address("b"), 9000))).await();
        net.vanish("b");
        Exception lost = rx.protocol().lost.await();
        assertInstanceOf(SocketException.class, lost);
        assertEquals("Network is down (host b vanished)", lost.getMessage());
        // A vanished host sends no ICMP, even to a connected sender.
        tx.transport().sendto(ascii("hello?"));
        Aio.sleep(2);
        assertEquals(List.of(), tx.protocol().errors);
        assertEquals(1, count(net, "6B (host b vanished)"));
        assertEquals(0, count(net, "udp-unreachable"));
        tx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void portsAndAddresses(SimNetwork net) throws IOException {
        // Port 0: the host's next free UDP port; UDP ports are apart from TCP's.
        Server tcp = net.spawn("b", () -> Streams.startServer((r, w) -> w.close(), null, 7)).await();
        var u7 = bind(net, "b", 7);
        var e1 = bind(net, "b", 0);
        var e2 = bind(net, "b", 0);
        assertEquals(49152, ((InetSocketAddress) e1.transport().getExtraInfo("sockname")).getPort());
        assertEquals(49153, ((InetSocketAddress) e2.transport().getExtraInfo("sockname")).getPort());
        BindException taken = assertThrows(BindException.class, () -> bind(net, "b", 7));
        assertEquals("Address already in use: b:7 (UDP; pass reusePort to share it)", taken.getMessage());
        BindException foreign = assertThrows(BindException.class, () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new,
                new InetSocketAddress(java.net.InetAddress.getByName("10.9.9.9"), 0), null));
        assertTrue(foreign.getMessage().startsWith("Cannot assign requested address"), foreign.getMessage());
        // A host's address binds on that host (from anywhere, as a server listens on a host's name),
        // and a name resolves through the network.
        var named = net.spawn("b", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new,
                InetSocketAddress.createUnresolved("b", 5353), null)).await();
        assertEquals(new InetSocketAddress(net.address("b"), 5353), named.transport().getExtraInfo("sockname"));
        assertNull(named.transport().getExtraInfo("socket"), "no real channel");
        // reusePort: each sender's datagrams go to one of the sockets, always the same one.
        var r1 = net.spawn("b", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(6000), null, true,
                false)).await();
        var r2 = net.spawn("b", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(6000), null, true,
                false)).await();
        var tx = burst(net, "a", new InetSocketAddress(net.address("b"), 6000), 4, 0);
        Aio.sleep(1);
        int n1 = r1.protocol().received.size();
        int n2 = r2.protocol().received.size();
        assertTrue(n1 + n2 == 4 && (n1 == 0 || n2 == 0), n1 + " + " + n2);
        for (var e : List.of(u7, e1, e2, named, r1, r2, tx)) {
            e.transport().close();
        }
        tcp.close();
        tcp.waitClosed();
        assertTrue(net.trace().contains("0.000000 udp-bind b:7"), net.trace().toString());
    }

    @AioTest(network = {"a", "b"})
    void ephemeralPortsComeRoundAgainAfterClose(SimNetwork net) throws IOException {
        // More port-0 sockets, one after another, than there are ephemeral ports (16,384).
        int last = 0;
        for (int i = 0; i < 20_000; i++) {
            var e = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
            last = ((InetSocketAddress) e.transport().getExtraInfo("sockname")).getPort();
            assertTrue(last >= 49152 && last <= 65535, "an ephemeral port: " + last);
            e.transport().close();
        }
        assertEquals(49152 + (20_000 - 1) % 16_384, last, "round the range, in order");
        // Going round skips ports still bound.
        var held = new java.util.ArrayList<DatagramTransportAndProtocol<RecordingDatagramProtocol>>();
        held.add(Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(last + 2), null));
        var next = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
        var after = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
        assertEquals(last + 1, ((InetSocketAddress) next.transport().getExtraInfo("sockname")).getPort());
        assertEquals(last + 3, ((InetSocketAddress) after.transport().getExtraInfo("sockname")).getPort());
        next.transport().close();
        after.transport().close();
        held.get(0).transport().close();
        // Only when every one is bound does port 0 fail.
        held.clear();
        for (int i = 0; i < 16_384; i++) {
            held.add(Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null));
        }
        BindException full = assertThrows(BindException.class,
                () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null));
        assertTrue(full.getMessage().startsWith("Address already in use: no free UDP port on host local"), full.getMessage());
        held.get(100).transport().close();
        var freed = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
        assertEquals(((InetSocketAddress) held.get(100).transport().getExtraInfo("sockname")).getPort(),
                ((InetSocketAddress) freed.transport().getExtraInfo("sockname")).getPort(), "the one freed");
        freed.transport().close();
        for (var e : held) {
            e.transport().close();
        }
        // TCP's port 0 goes round the same way.
        for (int i = 0; i < 20_000; i++) {
            Server s = Streams.startServer((r, w) -> w.close(), null, 0);
            s.close();
        }
        Server s = Streams.startServer((r, w) -> w.close(), null, 0);
        assertTrue(((InetSocketAddress) s.addresses().get(0)).getPort() >= 49152, s.addresses().toString());
        s.close();
    }

    @AioTest(network = {"a", "b"})
    void aDatagramTooLongIsTracedAsSentAndDroppedUnderItsDestinationsName(SimNetwork net) throws IOException {
        var rx = bind(net, "b", 9000);
        var tx = net.spawn("a", () -> Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null))
                .awaitChecked(IOException.class);
        tx.transport().sendto(new byte[SimNetwork.MAX_UDP_PAYLOAD + 1], new InetSocketAddress(net.address("b"), 9000));
        tx.protocol().awaitErrors(1);
        assertTrue(tx.protocol().errors.get(0).getMessage().startsWith("Message too long"));
        assertEquals(List.of("udp-send a:49152->b:9000 65508B", "udp-drop a:49152->b:9000 65508B (message too long)"),
                net.trace().stream().filter(l -> l.contains("65508B")).map(l -> l.substring(l.indexOf(' ') + 1)).toList());
        // A socket that closes while its send queue flushes receives nothing: what reaches it is dropped, traced.
        net.setBandwidth("a", "b", 1000);
        net.setUdpSendBuffer(2000);
        for (int i = 0; i < 5; i++) {
            tx.transport().sendto(new byte[1000], new InetSocketAddress(net.address("b"), 9000));
        }
        tx.transport().close();
        rx.transport().sendto(ascii("hi"), new InetSocketAddress(net.address("a"), 49152));
        assertNull(tx.protocol().lost.await());
        // Two went on the link at once, one each second after as it freed room: the last one was
        // handed to the kernel at 3 s, and the socket closed then.
        assertEquals(3.0, Aio.getRunningLoop().time(), 1e-9, "the queue flushed first");
        rx.protocol().awaitDatagrams(5);
        assertEquals(5.0, Aio.getRunningLoop().time(), 0.01, "what the kernel took still left after the close");
        assertEquals(1, count(net, "udp-drop b:9000->a:49152 2B (socket closed)"), net.trace().toString());
        assertEquals(List.of(), tx.protocol().texts());
        rx.transport().close();
    }

    @AioTest(network = {"a", "b"})
    void sendsAfterCloseAreDroppedAndLoggedFromTheFifthAsOnTheRealTransport(SimNetwork net) throws IOException {
        try (dev.aio4j.loop.test.LogCapture log = new dev.aio4j.loop.test.LogCapture("dev.aio4j.test")) {
            var tx = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(0), null);
            tx.transport().close();
            for (int i = 0; i < 6; i++) {
                tx.transport().sendto(ascii("late"), new InetSocketAddress(net.address("b"), 9));
            }
            List<java.util.logging.LogRecord> records = log.records();
            assertEquals(2, records.size(), "the 5th and the 6th, as SelectorDatagramTransport logs them");
            assertEquals(java.util.logging.Level.WARNING, records.get(0).getLevel());
            assertTrue(records.get(0).getMessage().startsWith("sendto() on a closing or closed datagram transport: 4 bytes "
                    + "dropped (5 sends so far)"), records.get(0).getMessage());
            assertEquals(0, count(net, "udp-send"), "nothing was sent");
        }
    }

    // ------------------------------------------------------------------------------ determinism

    /** Two clients and an echo server over jittery, lossy links with a partition in the middle. */
    private static String scenario(long seed) {
        return Schedules.run(Schedule.fifo(), () -> {
            SimNetwork net = new SimNetwork(seed);
            for (String h : List.of("server", "a", "b")) {
                net.addHost(h);
            }
            net.install(Aio.getRunningLoop());
            net.setLatency(0.005, 0.045);
            net.setLoss("b", "server", 0.2);
            FaultPlan.of(new Fault.Partition(0.100, "a", "server", 0.080, false)).apply(net);
            var echo = net.spawn("server", () -> Streams.createDatagramEndpoint(Echo::new, new InetSocketAddress(7), null)).await();
            InetSocketAddress to = new InetSocketAddress(net.address("server"), 7);
            List<Task<List<String>>> clients = new ArrayList<>();
            for (String h : List.of("a", "b")) {
                clients.add(net.spawn(h, () -> {
                    var c = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, null, to);
                    for (int i = 0; i < 20; i++) {
                        c.transport().sendto(ascii(h + i));
                        Aio.sleep(0.010);
                    }
                    Aio.sleep(1);
                    c.transport().close();
                    return c.protocol().texts();
                }));
            }
            boolean reordered = false;
            for (Task<List<String>> t : clients) {
                List<String> got = t.await();
                List<Integer> order = got.stream().map(x -> Integer.parseInt(x.substring(1))).toList();
                reordered |= !order.equals(order.stream().sorted().toList());
            }
            echo.transport().close();
            net.uninstall();
            // The run has what the hash must cover: reordering, losses, a partition's drops.
            assertTrue(count(net, " (lost)") > 0 && count(net, " (partition)") > 0, net.trace().toString());
            assertTrue(reordered, "some echoes came back out of order: " + net.trace());
            return net.traceHash();
        });
    }

    @org.junit.jupiter.api.Test
    void theSameSeedGivesTheSameUdpTraceTwentyTimes() {
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            hashes.add(scenario(42));
        }
        assertEquals(1, hashes.size(), "trace hashes over 20 runs: " + hashes);
        // The same value under both schedulers (this class runs once per scheduler) and on any JVM.
        assertEquals(Set.of("f6f2097c431b5b9f"), hashes);
        assertNotEquals(scenario(42), scenario(43), "another seed draws other latencies and losses");
    }
}

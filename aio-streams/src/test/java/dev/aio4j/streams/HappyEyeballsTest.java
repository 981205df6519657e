package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.internal.Connector;
import dev.aio4j.streams.test.FullListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Happy Eyeballs in {@code createConnection} (asyncio's {@code happy_eyeballs_delay=} and
 * {@code interleave=}). {@code interleaveByFamily} mirrors test_base_events.py's
 * {@code test__interleave_addrinfos}; the race runs on loopback, where a listener whose accept
 * queue is full drops new SYNs, so a connect to it hangs as one to a dead IPv6 route would.
 */
class HappyEyeballsTest {
    private static InetSocketAddress six(String last) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("2001:db8::" + last), 1);
    }

    private static InetSocketAddress four(String last) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("192.0.2." + last), 1);
    }

    @Test
    void interleaveAddrinfos() throws Exception { // test__interleave_addrinfos
        InetSocketAddress sixA = six("1"), sixB = six("2"), sixC = six("3"), sixD = six("4");
        InetSocketAddress fourA = four("1"), fourB = four("2"), fourC = four("3"), fourD = four("4");
        List<InetSocketAddress> addrs = List.of(sixA, sixB, sixC, fourA, fourB, fourC, fourD, sixD);
        assertEquals(List.of(sixA, fourA, sixB, fourB, sixC, fourC, sixD, fourD), Connector.interleaveByFamily(addrs, 1));
        assertEquals(List.of(sixA, sixB, fourA, sixC, fourB, sixD, fourC, fourD), Connector.interleaveByFamily(addrs, 2));
        assertEquals(List.of(sixA, sixB, sixC, fourA, sixD, fourB, fourC, fourD), Connector.interleaveByFamily(addrs, 3));
        assertEquals(List.of(sixA, sixB, sixC, sixD, fourA, fourB, fourC, fourD), Connector.interleaveByFamily(addrs, 5));
        assertEquals(List.of(fourA, fourB), Connector.interleaveByFamily(List.of(fourA, fourB), 1), "one family: as resolved");
        assertEquals(List.of(), Connector.interleaveByFamily(List.of(), 1));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost race hangs for the kernel's SYN retries
    void aHangingFirstAddressCostsTheDelayNotTheConnectTimeout() throws Exception {
        try (FullListener hanging = new FullListener(Net.LOOPBACK, 0); ServerSocketChannel good = ServerSocketChannel.open()) {
            assumeTrue(hanging.dropsSyns(), "this kernel answers SYNs beyond a full accept queue");
            good.bind(new InetSocketAddress(Net.LOOPBACK, 0));
            InetSocketAddress goodAddr = (InetSocketAddress) good.getLocalAddress();
            Net.assertNoFdLeak(() -> Aio.run(() -> {
                try (SocketChannel ch = Connector.connectAny(Aio.getRunningLoop(), List.of(hanging.address(), goodAddr), 0.05, 0)) {
                    assertEquals(goodAddr, ch.getRemoteAddress());
                }
                return null;
            }));
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost race hangs for the kernel's SYN retries
    void cancellingTheRaceClosesEveryAttempt() throws Exception {
        try (FullListener a = new FullListener(Net.LOOPBACK, 0); FullListener b = new FullListener(Net.LOOPBACK, 0)) {
            assumeTrue(a.dropsSyns() && b.dropsSyns(), "this kernel answers SYNs beyond a full accept queue");
            Net.assertNoFdLeak(() -> Aio.run(() -> {
                Task<SocketChannel> race = Aio.createTask(
                        () -> Connector.connectAny(Aio.getRunningLoop(), List.of(a.address(), b.address()), 0.01, 0));
                Aio.sleep(0.1); // both attempts are waiting for their SYN-ACK
                race.cancel();
                assertThrows(CancelledError.class, race::await);
                return null;
            }));
        }
    }

    @Test
    void everyAddressRefusedNamesEachFailure() throws Exception {
        int p1 = Net.closedPort();
        int p2 = Net.closedPort();
        Net.assertNoFdLeak(() -> Aio.run(() -> {
            ConnectException e = assertThrows(ConnectException.class, () -> Connector.connectAny(Aio.getRunningLoop(),
                    List.of(new InetSocketAddress(Net.LOOPBACK, p1), new InetSocketAddress(Net.LOOPBACK, p2)), 0.25, 0));
            assertTrue(e.getMessage().startsWith("Multiple exceptions: "), e.getMessage());
            assertTrue(e.getMessage().contains(":" + p1) && e.getMessage().contains(":" + p2), e.getMessage());
            assertEquals(2, e.getSuppressed().length);
            assertEquals("Multiple exceptions: " + e.getSuppressed()[0].getMessage() + ", " + e.getSuppressed()[1].getMessage(),
                    e.getMessage(), "asyncio's 'Multiple exceptions: {}'.format(', '.join(...))");
            // one address: its own failure, a ConnectException naming it
            ConnectException one = assertThrows(ConnectException.class, () -> Connector.connectAny(Aio.getRunningLoop(),
                    List.of(new InetSocketAddress(Net.LOOPBACK, p1)), Double.POSITIVE_INFINITY, 0));
            assertTrue(one.getMessage().startsWith("Connect call failed to ") && one.getMessage().contains(":" + p1),
                    one.getMessage());
            return null;
        }));
    }

    @Test
    void openConnectionWithHappyEyeballs() throws Exception {
        try (Net.JdkEchoServer echo = new Net.JdkEchoServer()) {
            Aio.run(() -> {
                StreamPair p = Streams.openConnection("localhost", echo.port(), null, null, StreamReader.DEFAULT_LIMIT, 0.25, 0);
                try {
                    p.writer().write(new byte[] {1, 2, 3});
                    p.writer().drain();
                    assertEquals(3, p.reader().readexactly(3).length);
                } finally {
                    p.writer().close();
                }
                return null;
            });
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirNames() throws Exception {
        Aio.run(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.openConnection("localhost", 1, null, null, StreamReader.DEFAULT_LIMIT, -1, 0));
            assertTrue(e.getMessage().contains("happyEyeballsDelay"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.openConnection("localhost", 1, null, null, StreamReader.DEFAULT_LIMIT, 0.25, -1));
            assertTrue(e.getMessage().contains("interleave"), e.getMessage());
            Connector.checkHappyEyeballs(0, 0); // a delay of 0 is allowed: every attempt starts at once
            return null;
        });
    }
}

package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Queue;
import dev.aio4j.loop.internal.OpenResources;
import dev.aio4j.streams.test.RecordingDatagramProtocol;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a tracked loop records for aio-test's leak check (OpenResources): the transports handed to
 * protocols (for TLS the application's transport, not the socket under it) and the servers,
 * each until it is closed or closing. aio4j-only: asyncio's counterpart is the
 * {@code ResourceWarning} an unclosed transport emits when it is collected.
 */
class OpenResourcesTrackingTest {
    private static SSLContext serverCtx;
    private static SSLContext clientCtx;

    @BeforeAll
    static void certificates() throws Exception {
        serverCtx = TestCertificates.server();
        clientCtx = TestCertificates.client();
    }

    private static long count(List<Object> open, String simpleName) {
        return open.stream().filter(o -> o.getClass().getSimpleName().equals(simpleName)).count();
    }

    @Test
    void streamTransportsServersAndTlsAppTransportsAreTrackedUntilClosed() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            OpenResources.track(loop);
            try {
                Queue<String> accepted = new Queue<>();
                ClientConnectedCallback handler = (r, w) -> {
                    accepted.put("in");
                    r.read(-1);
                    w.close();
                };
                Server plain = Streams.startServer(handler, Net.HOST, 0);
                Server tls = Streams.startServer(handler, Net.HOST, 0, serverCtx);
                assertEquals(List.of(plain, tls), OpenResources.stillOpen(loop));

                StreamPair c = Streams.openConnection(Net.HOST, plain.port());
                StreamPair t = Streams.openConnection("localhost", tls.port(), clientCtx);
                accepted.get();
                accepted.get();
                List<Object> open = OpenResources.stillOpen(loop);
                assertEquals(6, open.size(), open::toString);
                assertTrue(open.contains(c.writer().transport()), open::toString);
                assertTrue(open.contains(t.writer().transport()), open::toString);
                assertEquals(2, count(open, "SocketTransport"), "the two plain ends; none under TLS: " + open);
                assertEquals(2, count(open, "AppTransport"), open::toString);

                c.writer().close();
                t.writer().close();
                open = OpenResources.stillOpen(loop);
                assertFalse(open.contains(c.writer().transport()), "closing counts as closed: " + open);
                assertFalse(open.contains(t.writer().transport()), open::toString);
                c.writer().waitClosed();
                t.writer().waitClosed();
                plain.close();
                tls.close();
                plain.waitClosed();
                tls.waitClosed();
                assertEquals(List.of(), OpenResources.stillOpen(loop));
            } finally {
                OpenResources.untrack(loop);
            }
            return null;
        });
    }

    @Test
    void aTransportItsPeerResetIsClosed() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            OpenResources.track(loop);
            try {
                Server srv = Streams.startServer((r, w) -> w.transport().abort(), Net.HOST, 0);
                StreamPair c = Streams.openConnection(Net.HOST, srv.port());
                try {
                    c.reader().read(-1);
                } catch (java.io.IOException reset) {
                    // a reset or an EOF, as the kernel has it
                }
                srv.close();
                srv.waitClosed();
                List<Object> open = OpenResources.stillOpen(loop);
                // EOF without a reset leaves our end open (half-closed, as asyncio's streams keep it)
                assertTrue(open.isEmpty() || open.equals(List.of(c.writer().transport())), open::toString);
                c.writer().close();
                assertEquals(List.of(), OpenResources.stillOpen(loop));
            } finally {
                OpenResources.untrack(loop);
            }
            return null;
        });
    }

    @Test
    void datagramEndpointsAreTrackedUntilClosed() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            OpenResources.track(loop);
            try {
                var ep = Streams.createDatagramEndpoint(RecordingDatagramProtocol::new, new InetSocketAddress(Net.HOST, 0), null);
                Aio.sleep(0); // connectionMade runs on the next iteration
                assertEquals(List.of(ep.transport()), OpenResources.stillOpen(loop));
                ep.transport().close();
                assertEquals(List.of(), OpenResources.stillOpen(loop));
            } finally {
                OpenResources.untrack(loop);
            }
            return null;
        });
    }

    @Test
    void anUntrackedLoopKeepsNothing() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Server srv = Streams.startServer((r, w) -> w.close(), Net.HOST, 0);
            assertEquals(List.of(), OpenResources.stillOpen(loop));
            OpenResources.track(loop);
            OpenResources.untrack(loop);
            Server second = Streams.startServer((r, w) -> w.close(), Net.HOST, 0);
            assertEquals(List.of(), OpenResources.stillOpen(loop), "untracked again");
            srv.close();
            second.close();
            return null;
        });
    }

    @Test
    void aLongTrackedRunKeepsOnlyWhatIsOpen() throws Exception {
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            OpenResources.track(loop);
            try {
                Server keep = Streams.startServer((r, w) -> w.close(), Net.HOST, 0);
                for (int i = 0; i < 300; i++) {
                    Streams.startServer((r, w) -> w.close(), Net.HOST, 0).close();
                }
                // each closed server's own test says it closed (the pruning of such entries as the
                // list doubles is aio-loop's OpenResourcesTest)
                assertEquals(List.of(keep), OpenResources.stillOpen(loop));
                keep.close();
            } finally {
                OpenResources.untrack(loop);
            }
            return null;
        });
    }
}

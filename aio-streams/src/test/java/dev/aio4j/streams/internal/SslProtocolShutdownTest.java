package dev.aio4j.streams.internal;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.ExceptionContext;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.internal.SslProtocol.State;
import dev.aio4j.streams.internal.SslProtocolPairTest.App;
import dev.aio4j.streams.test.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS shutdown of {@link SslProtocol}, as asyncio's {@code SSLProtocol} (3.11+) does it: a
 * close() sends close_notify, enters SHUTDOWN and waits for the peer's close_notify (or end of
 * stream) before it closes the socket transport, at most {@code ssl_shutdown_timeout} seconds,
 * after which the connection is aborted and the app's connectionLost gets a {@link TimeoutError}
 * (asyncio's {@code _check_shutdown_timeout}, through {@code _force_close}: nothing is logged).
 * Two protocols back to back over {@link PipeEnd}s on the virtual clock. Mirrors the shutdown tests
 * of Lib/test/test_asyncio/test_sslproto.py and test_ssl.py, named in each test.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SslProtocolShutdownTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A client and a server SslProtocol, handshaken over a pipe; the client with the given shutdown timeout. */
    private record Pair(SslProtocol client, SslProtocol server, App clientApp, App serverApp, PipeEnd[] pipe) { }

    private static Pair connected(EventLoop loop, double shutdownTimeout) throws Exception {
        return connected(loop, shutdownTimeout, "TLSv1.3");
    }

    /**
     * As {@link #connected(EventLoop, double)}, over {@code tlsVersion}: the JDK's engine answers
     * close_notify by itself under TLS 1.2 (a duplex close), not under TLS 1.3 (a half-close).
     */
    private static Pair connected(EventLoop loop, double shutdownTimeout, String tlsVersion) throws Exception {
        App clientApp = new App();
        App serverApp = new App();
        List<StallingEngine> engines = new ArrayList<>();
        SslPair p = SslPair.of(loop, clientApp, StallingEngine.context(TestCertificates.client(), engines), shutdownTimeout, serverApp);
        engines.get(0).setEnabledProtocols(new String[] {tlsVersion});
        PipeEnd[] pipe = p.connect(PipeEnd.pair(loop));
        SslPair.settle(); // the session tickets and the server's side of the handshake
        assertEquals(State.WRAPPED, p.server().state());
        assertEquals(tlsVersion, engines.get(0).getSession().getProtocol());
        return new Pair(p.client(), p.server(), clientApp, serverApp, pipe);
    }

    /** A peer that reads and never answers: what reaches it is kept, nothing is sent back. */
    private static final class Silent implements Protocol {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void dataReceived(byte[] data) {
            got.write(data, 0, data.length);
        }
    }

    private static List<ExceptionContext> recordReports(EventLoop loop) {
        List<ExceptionContext> reports = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
        return reports;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aPeerThatNeverAnswersCloseNotifyIsAbortedAfterTheShutdownTimeout(String tls) throws Exception {
        // test_ssl.py test_shutdown_timeout_handler_leak / sslproto.py _check_shutdown_timeout: the
        // closing side waits in SHUTDOWN for the peer's close_notify, then gives up with
        // TimeoutError('SSL shutdown timed out') through _force_close (nothing is logged).
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<ExceptionContext> reports = recordReports(loop);
            Pair p = connected(loop, 5.0, tls);
            Silent peer = new Silent();
            p.pipe()[1].setProtocol(peer);
            double start = loop.time();
            p.client().appTransport().close();
            assertEquals(State.SHUTDOWN, p.client().state(), "close_notify sent, waiting for the peer's");
            assertTrue(p.client().appTransport().isClosing());
            Aio.sleep(4.9);
            assertTrue(peer.got.size() > 0, "our close_notify went out");
            assertFalse(p.pipe()[0].closing, "the socket stays open while we wait for the peer's close_notify");
            assertFalse(p.clientApp().lost.done());
            Exception lost = Aio.waitFor(p.clientApp().lost, 10.0);
            TimeoutError timeout = assertInstanceOf(TimeoutError.class, lost);
            assertEquals("TLS shutdown timed out: no close_notify from the peer in 5.0 s", timeout.getMessage());
            assertEquals(5.0, loop.time() - start, 1e-6);
            assertTrue(p.pipe()[0].aborted, "aborted, as asyncio's _force_close");
            assertEquals(State.CLOSED, p.client().state());
            assertEquals(List.of("made", "lost"), p.clientApp().events, "no eof: the peer never closed");
            assertEquals(List.of(), reports, "a shutdown timeout is reported to the protocol, not logged");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aPeerThatAnswersCloseNotifyEndsTheShutdownAtOnce(String tls) throws Exception {
        // test_sslproto.py / sslproto.py _do_shutdown: once the peer's close_notify arrives, the
        // shutdown is complete: the app hears eof_received, then the socket transport closes
        // (connection_lost(None)), with no time passing.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, tls);
            double start = loop.time();
            p.client().appTransport().close();
            assertEquals(State.SHUTDOWN, p.client().state());
            assertFalse(p.pipe()[0].closing, "not closed before the peer answered");
            assertNull(Aio.waitFor(p.clientApp().lost, 10.0));
            assertNull(Aio.waitFor(p.serverApp().lost, 10.0));
            assertEquals(start, loop.time(), "no timer ran");
            assertFalse(p.pipe()[0].aborted, "a graceful close");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events,
                    "asyncio's _do_shutdown calls eof_received when the peer's close_notify comes");
            assertEquals(List.of("made", "eof", "lost"), p.serverApp().events);
            assertEquals(State.CLOSED, p.client().state());
            assertEquals(State.CLOSED, p.server().state());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void dataReceivedAfterClosing(String tls) throws Exception {
        // test_sslproto.py test_data_received_after_closing: records that arrive after our
        // close_notify are read and dropped (OpenSSL's SSL_shutdown discards application data
        // until the peer's close_notify); the shutdown goes on and ends with it.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, tls);
            p.client().appTransport().close();
            p.server().appTransport().write(b("late")); // crosses our close_notify on the wire
            assertNull(Aio.waitFor(p.clientApp().lost, 10.0));
            assertEquals(0, p.clientApp().received.size(), "data after close() is not delivered");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events);
        });
    }

    @Test
    void writeAfterClosing() throws Exception {
        // test_sslproto.py test_write_after_closing: a write in SHUTDOWN is dropped, never raises.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT);
            p.pipe()[1].setProtocol(new Silent());
            p.client().appTransport().close();
            p.client().appTransport().write(b("dropped"));
            assertEquals(State.SHUTDOWN, p.client().state());
            p.client().appTransport().abort();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void endOfStreamDuringTheShutdownEndsIt(String tls) throws Exception {
        // test_ssl.py test_shutdown_timeout_handler_leak: the peer reads our close_notify and
        // closes its socket without answering; the end of stream completes the shutdown
        // (sslproto.py eof_received in SHUTDOWN -> _do_shutdown) with no timeout.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, tls);
            p.pipe()[1].setProtocol(new Silent());
            double start = loop.time();
            p.client().appTransport().close();
            Aio.sleep(0);
            p.pipe()[1].close();
            assertNull(Aio.waitFor(p.clientApp().lost, 10.0));
            assertEquals(start, loop.time(), "no timer ran");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events);
        });
    }

    @Test
    void closeResumesReadingSoThePeersCloseNotifyIsRead() throws Exception {
        // aio4j's pauseReading pauses the socket transport below; asyncio's pause_reading pauses
        // only the app, and SHUTDOWN reads on regardless. So close() resumes the socket's reading.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT);
            p.client().appTransport().pauseReading();
            assertTrue(p.pipe()[0].readingPaused);
            p.client().appTransport().close();
            assertFalse(p.pipe()[0].readingPaused, "reading again, for the peer's close_notify");
            p.client().appTransport().pauseReading();
            assertFalse(p.pipe()[0].readingPaused, "pauseReading has no effect during the shutdown");
            assertNull(Aio.waitFor(p.clientApp().lost, 10.0));
        });
    }

    @Test
    void theShutdownTimerCoversTheBacklogAndTheWaitForThePeerTogether() throws Exception {
        // sslproto.py _start_shutdown arms one timer on entering FLUSHING; it covers the
        // SHUTDOWN that follows: it is not re-armed there.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, 3.0);
            p.pipe()[1].setProtocol(new Silent());
            double start = loop.time();
            p.client().appTransport().close();
            p.client().appTransport().close(); // a second close arms nothing
            assertInstanceOf(TimeoutError.class, Aio.waitFor(p.clientApp().lost, 10.0));
            assertEquals(3.0, loop.time() - start, 1e-6);
        });
    }

    @Test
    void anInfiniteShutdownTimeoutWaitsForThePeerAsLongAsItTakes() throws Exception {
        // ssl_shutdown_timeout=float('inf'): no timer; an abort still ends it.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, Double.POSITIVE_INFINITY);
            p.pipe()[1].setProtocol(new Silent());
            p.client().appTransport().close();
            Aio.sleep(3600);
            assertEquals(State.SHUTDOWN, p.client().state());
            assertFalse(p.pipe()[0].closing);
            p.client().appTransport().abort();
            assertNull(Aio.waitFor(p.clientApp().lost, 10.0));
            assertEquals(State.CLOSED, p.client().state());
        });
    }

    @Test
    void aKeyUpdateThatCrossesOurCloseNotifyDoesNotHoldTheShutdown() throws Exception {
        // TLS 1.3: the server asks for a key update (SSLEngine.beginHandshake() on an established
        // session) and writes while our close_notify is on its way; the engine, its outbound side
        // closed, cannot answer the update, and must still read on to the server's close_notify.
        // (OpenSSL's SSL_shutdown reads past such messages too.) aio4j-only.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, "TLSv1.3");
            double start = loop.time();
            p.client().appTransport().close();
            javax.net.ssl.SSLEngine serverEngine = (javax.net.ssl.SSLEngine) p.server().appTransport().getExtraInfo("ssl_object", null);
            serverEngine.beginHandshake();
            p.server().appTransport().write(b("late"));
            assertNull(Aio.waitFor(p.clientApp().lost, 60.0));
            assertEquals(start, loop.time(), "no timer ran");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events);
        });
    }

    private static javax.net.ssl.SSLEngine engine(SslProtocol p) {
        return (javax.net.ssl.SSLEngine) p.appTransport().getExtraInfo("ssl_object", null);
    }

    @Test
    void aRenegotiationThatCrossesOurCloseNotifyDoesNotFailTheShutdown() throws Exception {
        // TLS 1.2: the server starts a renegotiation (its HelloRequest) and writes while our
        // close_notify is on its way. The JDK's engine fails on a close_notify that comes while a
        // handshake is open ("Received close_notify during handshake"): the server's did, queued
        // a fatal unexpected_message alert, and our SHUTDOWN ended on it with an
        // SSLProtocolException. OpenSSL reads such a close_notify as the end (sslproto.py's
        // _do_read / _do_shutdown end cleanly), and so do we now: the server sends nothing more
        // and closes; our shutdown ends on its end of stream. aio4j-only (OpenSSL drops a
        // HelloRequest after SSL_shutdown; test_sslproto.py has no renegotiation case).
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<ExceptionContext> reports = recordReports(loop);
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, "TLSv1.2");
            double start = loop.time();
            p.client().appTransport().close();
            engine(p.server()).beginHandshake();
            p.server().appTransport().write(b("late"));
            assertNull(Aio.waitFor(p.clientApp().lost, 60.0), "a clean close");
            assertNull(Aio.waitFor(p.serverApp().lost, 60.0), "a clean close on the renegotiating side too");
            assertEquals(start, loop.time(), "no timer ran");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events);
            assertEquals(List.of("made", "eof", "lost"), p.serverApp().events);
            assertEquals(0, p.clientApp().received.size(), "data after close() is not delivered");
            assertFalse(p.pipe()[0].aborted);
            assertEquals(List.of(), reports);
        });
    }

    @Test
    void bothSidesClosingWhileTheServersRenegotiationIsOpenEndCleanly() throws Exception {
        // As above, and the server closes too before our close_notify reaches it: each engine
        // holds an open handshake (the server's own, ours from its HelloRequest) when the other's
        // close_notify comes, and each SHUTDOWN ends on it as on a close_notify. aio4j-only.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<ExceptionContext> reports = recordReports(loop);
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, "TLSv1.2");
            double start = loop.time();
            p.client().appTransport().close();
            engine(p.server()).beginHandshake();
            p.server().appTransport().write(b("late"));
            p.server().appTransport().close();
            assertEquals(State.SHUTDOWN, p.server().state());
            assertNull(Aio.waitFor(p.clientApp().lost, 60.0), "a clean close");
            assertNull(Aio.waitFor(p.serverApp().lost, 60.0), "a clean close");
            assertEquals(start, loop.time(), "no timer ran");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events);
            assertEquals(List.of("made", "eof", "lost"), p.serverApp().events);
            assertEquals(List.of(), reports);
        });
    }

    @Test
    void aCloseFromThePeerDuringOurRenegotiationEndsTheConnectionCleanly() throws Exception {
        // TLS 1.2, the other way round: we start a renegotiation (our ClientHello is out) and the
        // server closes meanwhile: its close_notify is the end of stream for us, not an
        // SSLProtocolException (as OpenSSL's SSL_read returns 0 there). aio4j-only.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<ExceptionContext> reports = recordReports(loop);
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, "TLSv1.2");
            engine(p.client()).beginHandshake();
            p.client().appTransport().write(b("x")); // sends our ClientHello first
            p.server().appTransport().close();
            assertNull(Aio.waitFor(p.clientApp().lost, 60.0), "a clean close");
            assertNull(Aio.waitFor(p.serverApp().lost, 60.0), "a clean close");
            assertEquals(List.of("made", "eof", "lost"), p.clientApp().events);
            assertEquals(List.of(), reports);
        });
    }

    @Test
    void dataThePeerSendsBeforeItsCloseNotifyDuringOurRenegotiationIsDelivered() throws Exception {
        // The case above with data first: the server writes, then closes, while our
        // renegotiation is open; its records and its close_notify come together. The JDK's
        // engine fails on the close_notify only, after the records before it: they reach the
        // app, then end of stream (nothing is lost on the way to the clean end). aio4j-only.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            List<ExceptionContext> reports = recordReports(loop);
            Pair p = connected(loop, SslProtocol.SHUTDOWN_TIMEOUT, "TLSv1.2");
            engine(p.client()).beginHandshake();
            p.client().appTransport().write(b("x")); // sends our ClientHello first
            p.server().appTransport().write(b("tail 1"));
            p.server().appTransport().write(b("tail 2"));
            p.server().appTransport().close();
            assertNull(Aio.waitFor(p.clientApp().lost, 60.0), "a clean close");
            assertNull(Aio.waitFor(p.serverApp().lost, 60.0), "a clean close");
            assertEquals("tail 1tail 2", p.clientApp().received.toString(StandardCharsets.US_ASCII));
            assertEquals(List.of("made", "data", "eof", "lost"), p.clientApp().events);
            assertEquals(List.of(), reports);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aCloseRightAfterTheHandshakeReadsTheSessionTicketsAndEnds(String tls) throws Exception {
        // The client closes as soon as its handshake is done, before the server's TLS 1.3
        // NewSessionTicket messages (post-handshake) reach it: they arrive in SHUTDOWN, are read,
        // and the server's close_notify still ends the shutdown at once. aio4j-only.
        Loops.inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            App clientApp = new App();
            App serverApp = new App();
            SslPair p = SslPair.of(loop, clientApp, serverApp);
            SslProtocol client = p.client();
            ((javax.net.ssl.SSLEngine) client.appTransport().getExtraInfo("ssl_object", null)).setEnabledProtocols(new String[] {tls});
            p.handshake().addDoneCallback(f -> client.appTransport().close());
            p.start(PipeEnd.pair(loop));
            double start = loop.time();
            assertNull(Aio.waitFor(clientApp.lost, 60.0));
            assertNull(Aio.waitFor(serverApp.lost, 60.0));
            assertEquals(start, loop.time(), "no timer ran");
            assertEquals(List.of("made", "eof", "lost"), clientApp.events);
            assertEquals(State.CLOSED, client.state());
        });
    }
}

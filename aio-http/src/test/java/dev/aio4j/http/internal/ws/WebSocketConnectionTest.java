package dev.aio4j.http.internal.ws;

import dev.aio4j.http.WSMessage;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.ThrowingVoidCoroutine;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.VirtualClock;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.streams.test.InertTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WebSocketConnection} alone on a loop with a {@link VirtualClock}, over a transport with no
 * socket, so that timeouts are exact and instant. aio4j-only (aiohttp tests the same paths with
 * mocked writers in tests/test_web_websocket.py and tests/test_client_ws.py).
 */
class WebSocketConnectionTest {
    /** Records writes; close and abort end the connection as a socket transport does (connectionLost soon after). */
    static final class FakeTransport extends InertTransport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        WebSocketConnection ws;
        boolean closing;
        boolean aborted;

        @Override public void write(byte[] data) {
            written.writeBytes(data);
        }

        @Override public void close() {
            end();
        }

        @Override public void abort() {
            aborted = true;
            end();
        }

        private void end() {
            if (!closing) {
                closing = true;
                Aio.getRunningLoop().callSoon(() -> ws.connectionLost(null));
            }
        }

        @Override public boolean isClosing() {
            return closing;
        }
    }

    private static final double CLOSE_TIMEOUT = 10;

    static WebSocketConnection open(FakeTransport t, Role role, double heartbeat) {
        return open(t, role, heartbeat, true);
    }

    static WebSocketConnection open(FakeTransport t, Role role, double heartbeat, boolean autoclose) {
        t.ws = new WebSocketConnection(Aio.getRunningLoop(), t, role, null, null,
                new WebSocketConnection.Settings(true, autoclose, heartbeat, 0, CLOSE_TIMEOUT, 1024, null, null), null);
        return t.ws;
    }

    /** A frame from the client (masked). */
    static byte[] fromClient(int opcode, byte[] payload) {
        return FrameWriter.frame(true, 0, opcode, payload, 0, payload.length, true, 0x1234_5678);
    }

    static void virtual(ThrowingVoidCoroutine<Exception> body) throws Exception {
        try (Runner r = Runner.withLoopFactory(() -> EventLoop.create(VirtualClock.autoJump()))) {
            r.run(() -> {
                body.call();
                return null;
            });
        }
    }

    @Test
    void closeTimeoutBoundsACloseFrameTheReaderDoesNotTake() throws Exception {
        // The peer stopped reading: the transport's buffer is over its high watermark, so the close
        // frame cannot leave. close() gives up after the close timeout, as it does when the peer's
        // close frame does not come, instead of waiting for ever.
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            ws.pauseWriting();
            double start = Aio.getRunningLoop().time();
            assertTrue(Aio.waitFor(() -> ws.close(1000, ""), 1000.0));
            assertEquals(CLOSE_TIMEOUT, Aio.getRunningLoop().time() - start, 1e-9);
            assertEquals(1006, ws.closeCode().getAsInt());
            assertInstanceOf(TimeoutError.class, ws.exception());
            assertTrue(t.aborted, "the transport is aborted: its unsent bytes cannot go anywhere");
        });
    }

    @Test
    void closeWhileASendIsBlockedOnBackPressure() throws Exception {
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            ws.pauseWriting();
            Task<Object> sender = Aio.createTask(() -> {
                try {
                    ws.sendStr("blocked");
                    return "returned";
                } catch (Exception e) {
                    return e;
                }
            });
            Aio.sleep(0);
            assertEquals(false, sender.done(), "the send waits while writing is paused");
            assertTrue(Aio.waitFor(() -> ws.close(1000, ""), 1000.0));
            assertEquals(1006, ws.closeCode().getAsInt());
            Aio.waitFor(sender, 1000.0); // the aborted connection releases the blocked send too
            assertTrue(sender.done());
        });
    }

    @Test
    void heartbeatStopsOnceThePeersCloseIsReceived() throws Exception {
        // aiohttp's _set_closing() cancels the heartbeat when receive() takes the peer's close frame:
        // with autoclose off the application may answer it later, and a peer that has said goodbye
        // is not pinged, nor the connection failed (1006) for its silence.
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 10, false);
            ws.dataReceived(fromClient(0x8, CloseStatus.payload(1000, "bye")));
            WSMessage close = ws.receive(0);
            assertEquals(dev.aio4j.http.WSMsgType.CLOSE, close.type());
            int written = t.written.size();
            Aio.sleep(100); // ten heartbeats
            assertEquals(written, t.written.size(), "no ping to a peer that sent its close frame");
            assertEquals(1000, ws.closeCode().getAsInt());
            assertEquals(null, ws.exception());
            assertEquals(false, ws.closed());
            assertEquals(dev.aio4j.http.WSMsgType.CLOSING, ws.receive(0).type());
            assertTrue(ws.close(1000, ""));
            assertEquals(1000, ws.closeCode().getAsInt());
            assertEquals(null, ws.exception());
        });
    }

    // ---------------------------------------------------------- the receive wait (stop 32)
    // receive() waits on one TaskWaiter per connection, re-armed by each wait, instead of a new
    // future per wait; these pin down that every way a wait can end leaves it ready for the next.

    static byte[] textFromClient(String text) {
        return fromClient(0x1, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aTimedOutReceiveLeavesTheConnectionOpenAndItsDeadlineEndsNoLaterWait() throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            double start = loop.time();
            TimeoutError e = assertThrows(TimeoutError.class, () -> ws.receive(2));
            assertEquals("no WebSocket message within 2.0 s (receiveTimeout); the connection stays open", e.getMessage());
            assertEquals(2, loop.time() - start, 1e-9);
            // woken before its deadline: the message, and the 5 s deadline must not end the next wait
            loop.callLater(1, () -> ws.dataReceived(textFromClient("one")));
            assertEquals("one", ws.receive(5).data());
            loop.callLater(10, () -> ws.dataReceived(textFromClient("two")));
            assertEquals("two", ws.receive(0).data());
            assertEquals(13, loop.time() - start, 1e-9, "the second wait ended with the message, not at the first's deadline");
            assertEquals(false, ws.closed());
        });
    }

    @Test
    void aTimeoutAroundReceiveCancelsTheWaitAndTheNextReceiveWorks() throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            assertThrows(TimeoutError.class, () -> Aio.timeout(1, () -> ws.receive(0)));
            assertEquals(0, Aio.currentTask().cancelling(), "the timeout withdrew its own cancel");
            loop.callLater(1, () -> ws.dataReceived(textFromClient("after")));
            assertEquals("after", ws.receive(0).data());
        });
    }

    @Test
    void aReceiveCancelledWhileWaitingOrBeforeItWaitsThrowsAndTheNextReceiveWorks() throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            Task<WSMessage> waiting = Aio.createTask(() -> ws.receive(0));
            Aio.sleep(0);
            assertTrue(waiting.toString().contains("waiting on Waiter[WebSocket receive(), pending]"), waiting.toString());
            waiting.cancel("stop");
            assertEquals("stop", assertThrows(dev.aio4j.loop.CancelledError.class, waiting::await).getMessage());

            Task<WSMessage> early = Aio.createTask(() -> {
                Aio.currentTask().cancel("early");
                return ws.receive(0);
            });
            assertEquals("early", assertThrows(dev.aio4j.loop.CancelledError.class, early::await).getMessage());

            Task<WSMessage> woken = Aio.createTask(() -> ws.receive(0));
            Aio.sleep(0);
            ws.dataReceived(textFromClient("kept"));
            woken.cancel("late"); // woken, then cancelled before it ran: the message stays queued
            assertEquals("late", assertThrows(dev.aio4j.loop.CancelledError.class, woken::await).getMessage());
            loop.callLater(1, () -> ws.dataReceived(textFromClient("next")));
            assertEquals("kept", ws.receive(0).data());
            assertEquals("next", ws.receive(0).data());
        });
    }

    @Test
    void aMessageArrivingAfterTheReceiveWasCancelledIsTakenAtOnceByTheNext() throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            int timers = LoopAccess.timerCount(loop);
            Task<WSMessage> waiting = Aio.createTask(() -> ws.receive(5));
            Aio.sleep(0);
            assertEquals(timers + 1, LoopAccess.timerCount(loop), "the receive timeout's timer");
            waiting.cancel("stop");
            ws.dataReceived(textFromClient("queued")); // cancelled, not resumed yet: the wake-up goes nowhere
            assertEquals("stop", assertThrows(CancelledError.class, waiting::await).getMessage());
            assertEquals(timers, LoopAccess.timerCount(loop), "the cancelled wait's timer is gone");
            double start = loop.time();
            assertEquals("queued", ws.receive(0).data(), "the queue comes before any wait");
            assertEquals(start, loop.time());

            // a receive woken but not resumed yet still refuses a second one
            Task<WSMessage> woken = Aio.createTask(() -> ws.receive(0));
            Aio.sleep(0);
            ws.dataReceived(textFromClient("for the first"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ws.receive(0));
            assertTrue(e.getMessage().startsWith("Concurrent call to receive() is not allowed"), e.getMessage());
            assertEquals("for the first", woken.await().data());
        });
    }

    // ------------------------------------------ the receive timeout at its deadline (stop 33)
    // aiohttp: `async with timeout(t): msg = await self._reader.read()`. The queue's read() pops a
    // message only after its waiter returned; when the deadline's timer runs before the task
    // resumes, asyncio cancels the task (Task.cancel on a waiter already done sets _must_cancel),
    // the await raises CancelledError, the timeout turns it into TimeoutError, and the message stays
    // queued. That holds in both orders within one loop iteration, for the client
    // (ClientWebSocketResponse) and the server (WebSocketResponse): both delegate receive() to this
    // connection, so each test runs in both roles (the roles differ in the frames they accept).

    /** A text frame as the peer of {@code receiver} sends it (masked to a server, unmasked to a client). */
    static byte[] textTo(Role receiver, String text) {
        byte[] p = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return FrameWriter.frame(true, 0, 0x1, p, 0, p.length, receiver == Role.SERVER, 0x1234_5678);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aMessageArrivingAtTheDeadlineAfterTheTimerIsKeptAndTheReceiveTimesOut(Role role) throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, role, 0);
            double start = loop.time();
            // scheduled once the wait has begun: the wait's deadline, its timer first (ties run in
            // scheduling order), then the message, in the same iteration, before the task resumes
            loop.callSoon(() -> loop.callLater(2, () -> ws.dataReceived(textTo(role, "at the deadline"))));
            TimeoutError e = assertThrows(TimeoutError.class, () -> ws.receive(2));
            assertEquals("no WebSocket message within 2.0 s (receiveTimeout); the connection stays open", e.getMessage());
            assertEquals(2, loop.time() - start, 1e-9);
            assertTrue(ws.toString().endsWith(", 1 queued]"), ws.toString());
            assertEquals("at the deadline", ws.receive(2).data(), "kept for the next receive(), which takes it at once");
            assertEquals(2, loop.time() - start, 1e-9);
            assertEquals(false, ws.closed());
            assertEquals(0, ws.queuedBytes());
        });
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aMessageArrivingAtTheDeadlineBeforeTheTimerIsKeptAndTheReceiveTimesOut(Role role) throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, role, 0);
            double start = loop.time();
            // scheduled before the wait's timer, same deadline: the message wakes the wait, then the
            // timer runs in the same iteration, before the task resumes (asyncio: _must_cancel)
            loop.callLater(2, () -> ws.dataReceived(textTo(role, "woke the wait")));
            Task<Object> receiver = Aio.createTask(() -> {
                try {
                    return ws.receiveStr(2);
                } catch (TimeoutError e) {
                    return e;
                }
            });
            Aio.sleep(1);
            assertTrue(receiver.toString().contains("waiting on Waiter[WebSocket receive(), pending]"), receiver.toString());
            assertInstanceOf(TimeoutError.class, receiver.await());
            assertEquals(2, loop.time() - start, 1e-9);
            assertEquals("woke the wait", ws.receiveStr(0));
            assertEquals(2, loop.time() - start, 1e-9);
        });
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aMessageJustBeforeTheDeadlineIsReturned(Role role) throws Exception {
        // the rule above is about the deadline's own iteration: a message an iteration earlier wins
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, role, 0);
            double start = loop.time();
            loop.callLater(2 - 1e-6, () -> ws.dataReceived(textTo(role, "in time")));
            assertEquals("in time", ws.receive(2).data());
            assertEquals(2 - 1e-6, loop.time() - start, 1e-12);
            loop.callLater(2, () -> ws.dataReceived(textTo(role, "later")));
            assertEquals("later", ws.receive(5).data(), "the first wait's deadline ends no later wait");
        });
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aHeartbeatFailingAtTheReceiveDeadlineIsATimeoutThenClosed(Role role) throws Exception {
        // heartbeat 10: a ping at 10 s, the connection fails at 15 s (no pong). aiohttp's
        // _handle_ping_pong_exception feeds an ERROR message to a waiting receive(); a receive whose
        // deadline is 15 s too raises TimeoutError whichever ran first, and the next receive() sees
        // the connection closed (CLOSED; the error is exception()).
        for (boolean timerFirst : new boolean[] {true, false}) {
            virtual(() -> {
                EventLoop loop = Aio.getRunningLoop();
                FakeTransport t = new FakeTransport();
                WebSocketConnection ws = open(t, role, 10);
                double start = loop.time();
                if (timerFirst) {
                    assertThrows(TimeoutError.class, () -> ws.receive(15)); // its timer is older than the pong check's
                } else {
                    Aio.sleep(11); // the pong check (due at 15 s) was scheduled at 10 s
                    assertThrows(TimeoutError.class, () -> ws.receive(4));
                }
                assertEquals(15, loop.time() - start, 1e-9);
                assertEquals(true, ws.closed());
                assertEquals(1006, ws.closeCode().getAsInt());
                assertEquals("No PONG received after 5.0 seconds", ws.exception().getMessage());
                assertEquals(dev.aio4j.http.WSMsgType.CLOSED, ws.receive(0).type());
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aHeartbeatFailingAsTheReceiveIsCancelledIsACancelThenClosed(Role role) throws Exception {
        // the same with a cancel instead of the deadline, in either order: CancelledError, and the
        // ERROR left for the wait is nobody's (aiohttp's next receive() sees closed first: CLOSED)
        for (boolean cancelFirst : new boolean[] {true, false}) {
            virtual(() -> {
                EventLoop loop = Aio.getRunningLoop();
                FakeTransport t = new FakeTransport();
                WebSocketConnection ws = open(t, role, 10);
                double start = loop.time();
                Task<WSMessage> receiver = Aio.createTask(() -> ws.receive(0));
                if (cancelFirst) {
                    loop.callLater(15, () -> receiver.cancel("stop")); // older than the pong check
                }
                Aio.sleep(11);
                if (!cancelFirst) {
                    loop.callAt(start + 15, () -> receiver.cancel("stop")); // newer than the pong check
                }
                assertEquals("stop", assertThrows(CancelledError.class, receiver::await).getMessage());
                assertEquals(15, loop.time() - start, 1e-9);
                assertEquals(true, ws.closed());
                assertEquals("No PONG received after 5.0 seconds", ws.exception().getMessage());
                assertEquals(dev.aio4j.http.WSMsgType.CLOSED, ws.receive(0).type());
            });
        }
    }

    // ------------------------------- close code 1006 after a client receive that raised (stop 33)
    // aiohttp's ClientWebSocketResponse.receive() (3.8 and 3.13): `except (asyncio.CancelledError,
    // asyncio.TimeoutError): self._close_code = WSCloseCode.ABNORMAL_CLOSURE; raise` around the
    // read; nothing is closed. The server's WebSocketResponse.receive() (3.13, since #8251)
    // re-raises and leaves close_code alone. aiohttp has no test that asserts this; aio4j-only.

    @ParameterizedTest
    @EnumSource(Role.class)
    void aTimedOutOrCancelledReceiveSetsTheClientsCloseCodeTo1006AndClosesNothing(Role role) throws Exception {
        virtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, role, 0);
            java.util.OptionalInt expected = role == Role.CLIENT ? java.util.OptionalInt.of(1006) : java.util.OptionalInt.empty();
            assertThrows(TimeoutError.class, () -> ws.receive(2));
            assertEquals(expected, ws.closeCode(), "after a receive timeout");
            assertEquals(false, ws.closed());
            assertEquals(false, t.closing, "the transport stays open");

            Task<WSMessage> waiting = Aio.createTask(() -> ws.receive(0));
            Aio.sleep(0);
            waiting.cancel("stop");
            assertThrows(CancelledError.class, waiting::await);
            assertEquals(expected, ws.closeCode(), "after a cancelled receive");
            assertEquals(false, t.closing);

            loop.callLater(1, () -> ws.dataReceived(textTo(role, "still open")));
            assertEquals("still open", ws.receive(0).data());
            assertEquals(expected, ws.closeCode(), "a message does not reset it (aiohttp neither)");
            assertEquals(false, ws.closed());
        });
    }

    @Test
    void theClientsCloseCodeAfterATimedOutReceiveIsThePeersOnceTheCloseHandshakeRan() throws Exception {
        // aio4j's close() waits for the peer's close frame (aiohttp's returns at once once
        // close_code is set, keeping 1006): the code is then the peer's (RFC 6455 section 7.1.5),
        // whether receive() took that close frame or close() found it queued.
        for (boolean receivedFirst : new boolean[] {true, false}) {
            virtual(() -> {
                FakeTransport t = new FakeTransport();
                WebSocketConnection ws = open(t, Role.CLIENT, 0);
                assertThrows(TimeoutError.class, () -> ws.receive(1));
                assertEquals(1006, ws.closeCode().getAsInt());
                ws.dataReceived(closeFromServer(4000, "bye"));
                if (receivedFirst) {
                    assertEquals(dev.aio4j.http.WSMsgType.CLOSE, ws.receive(0).type()); // autoclose answers it
                } else {
                    assertTrue(ws.close(1000, ""));
                }
                assertEquals(4000, ws.closeCode().getAsInt());
                assertEquals(true, ws.closed());
            });
        }
    }

    // ------------------------------- close() from another task after a message woke the receive
    // aiohttp (client_ws.py and web_ws.py, 3.8 and 3.13): close() in another task feeds
    // WS_CLOSING_MESSAGE behind what is queued and waits for the receive to end; a receive woken by
    // a message in the same iteration pops that message first and returns it, and the next
    // receive() returns CLOSED (close() reads and drops the rest while it waits for the peer's
    // close frame). A receive cancelled or timed out there gets nothing (the next one: CLOSED).

    /** The peer's close frame as {@code receiver} gets it (masked to a server). */
    static byte[] closeTo(Role receiver, int code) {
        byte[] p = CloseStatus.payload(code, "");
        return FrameWriter.frame(true, 0, 0x8, p, 0, p.length, receiver == Role.SERVER, 0x1234_5678);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void aMessageThatWokeTheReceiveBeforeAnotherTasksCloseIsReturnedThenClosed(Role role) throws Exception {
        for (String how : new String[] {"resumes", "cancelled", "times out"}) {
            virtual(() -> {
                EventLoop loop = Aio.getRunningLoop();
                FakeTransport t = new FakeTransport();
                WebSocketConnection ws = open(t, role, 0);
                double start = loop.time();
                Task<Object> receiver = Aio.createTask(() -> {
                    try {
                        return ws.receive(how.equals("times out") ? 1 : 0);
                    } catch (CancelledError | TimeoutError e) {
                        return e.getClass().getSimpleName();
                    }
                });
                if (how.equals("times out")) {
                    // this sleep's timer is older than the receive's deadline timer (the receiver has
                    // not run yet): both run in one iteration, and this task resumes before the receiver
                    Aio.sleep(1);
                } else {
                    Aio.sleep(0);
                }
                ws.dataReceived(textTo(role, "first")); // wakes the receive (or finds it timed out); it has not resumed
                ws.dataReceived(textTo(role, "second"));
                if (how.equals("cancelled")) {
                    receiver.cancel("stop");
                }
                loop.callLater(1, () -> ws.dataReceived(closeTo(role, 1000)));
                assertTrue(ws.close(1000, "")); // this task is "another task"
                Object got = receiver.await();
                if (how.equals("resumes")) {
                    assertEquals("first", ((WSMessage) got).data());
                } else {
                    assertEquals(how.equals("cancelled") ? "CancelledError" : "TimeoutError", got);
                }
                assertEquals(dev.aio4j.http.WSMsgType.CLOSED, ws.receive(0).type(), "the rest was dropped by close()");
                assertEquals(1000, ws.closeCode().getAsInt());
                assertTrue(loop.time() - start <= 2 + 1e-9);
            });
        }
    }

    @Test
    void aCloseCancelledWhileItWaitsForThePeersCloseFrameAborts() throws Exception {
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 0);
            Task<Boolean> closer = Aio.createTask(() -> ws.close(1000, ""));
            Aio.sleep(0);
            assertTrue(closer.toString().contains("waiting on Waiter[WebSocket close(), pending]"), closer.toString());
            closer.cancel("stop");
            ws.dataReceived(fromClient(0x8, CloseStatus.payload(1000, ""))); // the answer, after the cancel
            assertEquals("stop", assertThrows(CancelledError.class, closer::await).getMessage());
            assertEquals(1006, ws.closeCode().getAsInt());
            assertTrue(t.aborted);
        });
    }

    /** A close frame from the server (unmasked). */
    static byte[] closeFromServer(int code, String reason) {
        byte[] p = CloseStatus.payload(code, reason);
        return FrameWriter.frame(true, 0, 0x8, p, 0, p.length, false, 0);
    }

    @Test
    void closeCodeIsThePeersWhenItsConnectionEndsRightAfterItsCloseFrame() throws Exception {
        // RFC 6455 section 7.1.5: the close code is the one of the close frame received; 1006 only
        // when none came. A peer that fails the connection sends its close frame and closes TCP at
        // once (section 7.1.7), so the echo of the close frame cannot be sent: that changes nothing.
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.CLIENT, 0);
            ws.dataReceived(closeFromServer(1002, "bad frame"));
            ws.eofReceived();
            ws.connectionLost(null);
            WSMessage close = ws.receive(0);
            assertEquals(dev.aio4j.http.WSMsgType.CLOSE, close.type());
            assertEquals(1002, close.data());
            assertEquals(1002, ws.closeCode().getAsInt());
            assertEquals(null, ws.exception());
            assertEquals(dev.aio4j.http.WSMsgType.CLOSED, ws.receive(0).type());
        });
        virtual(() -> { // the same when the application closes without reading the close frame first
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.CLIENT, 0);
            ws.dataReceived(closeFromServer(4000, "going"));
            ws.connectionLost(null);
            assertTrue(ws.close(1000, ""));
            assertEquals(4000, ws.closeCode().getAsInt());
        });
    }

    @Test
    void heartbeatDoesNotFailAConnectionWhosePeerSentItsCloseFrame() throws Exception {
        // The close frame is parsed but not yet taken by receive() (the application is busy):
        // nothing more will be read after it, so an unanswered ping proves nothing, and the
        // heartbeat must not turn the peer's clean close into a 1006 failure.
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            WebSocketConnection ws = open(t, Role.SERVER, 10);
            ws.dataReceived(fromClient(0x8, CloseStatus.payload(1001, "away")));
            Aio.sleep(100);
            assertEquals(false, t.aborted);
            WSMessage close = ws.receive(0);
            assertEquals(dev.aio4j.http.WSMsgType.CLOSE, close.type());
            assertEquals(1001, ws.closeCode().getAsInt());
            assertEquals(null, ws.exception());
        });
    }

    @Test
    void sendStrClosedWithCompression() throws Exception { // aiohttp's test_send_str_closed / test_send_bytes_closed, with permessage-deflate
        // The codec's zlib memory is released when the connection is lost; a send after that must
        // still fail as a send on a closed connection does, not inside the released compressor.
        virtual(() -> {
            FakeTransport t = new FakeTransport();
            t.ws = new WebSocketConnection(Aio.getRunningLoop(), t, Role.SERVER, new PerMessageDeflate(false, false, -1), null,
                    new WebSocketConnection.Settings(true, true, 0, 0, CLOSE_TIMEOUT, 1024, null, null), null);
            WebSocketConnection ws = t.ws;
            ws.sendStr("before");
            ws.connectionLost(null);
            assertThrows(java.io.IOException.class, () -> ws.sendStr("string"));
            assertThrows(java.io.IOException.class, () -> ws.sendBytes(new byte[] {1}));
            assertThrows(java.io.IOException.class, () -> ws.sendFrame(new byte[] {'a'}, dev.aio4j.http.WSMsgType.TEXT));
        });
    }
}

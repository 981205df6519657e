package dev.aio4j.http.internal.ws;

import dev.aio4j.http.JsonCodec;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.http.WebSocketError;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.TimeoutError;
import dev.aio4j.loop.TimerHandle;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.LoopAccess;
import dev.aio4j.loop.internal.TaskWaiter;
import dev.aio4j.streams.FlowControl;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;
import dev.aio4j.streams.internal.BorrowedReadProtocol;
import dev.aio4j.streams.internal.BorrowedWriteTransport;
import dev.aio4j.streams.internal.LoopBuffers;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One open WebSocket on one connection, after the opening handshake: the message API that the
 * server's {@code WebSocketResponse} and the client's {@code ClientWebSocketResponse} both
 * delegate to (aiohttp's {@code web_ws.WebSocketResponse} and {@code client_ws.ClientWebSocketResponse}
 * share the same semantics; here they share one implementation).
 *
 * <p>The connection is a {@link Protocol}: the client installs it on the transport with
 * {@code setProtocol}; the server's {@code RequestHandler} forwards its callbacks in upgrade mode.
 * Bytes are parsed as they arrive ({@link FrameParser}, {@link MessageAssembler}); messages wait in
 * a queue for {@link #receive}. Pings are answered as they arrive when autoping is on (aiohttp
 * answers them in {@code receive()}); a close frame, an error and the end of the stream reach the
 * caller in order through {@code receive()}, as in aiohttp.
 */
public final class WebSocketConnection implements BorrowedReadProtocol, MessageAssembler.Listener {
    /*
     * Maintainer notes.
     *
     * Flags, as aiohttp names them:
     *   closed    this end is done (close() called, autoclose ran, an error or EOF was received,
     *             or the heartbeat failed); receive() returns CLOSED from then on (a receive() that
     *             was waiting in another task when close() ran returns CLOSING once, as in aiohttp)
     *   closing   the peer's close frame was taken by receive() (autoclose off): CLOSING until close()
     *   closeSent a close frame was written (never twice)
     *   lost      the transport is gone
     *
     * Incoming: `queue` holds the messages and, at its end, at most one terminal item (an Ended
     * record: a protocol error, an I/O error, or the end of the stream). A TEXT message is queued
     * as its String and a BINARY one as its byte[], bare: receive() wraps it in a WSMessage, and
     * receiveStr()/receiveBytes() return it without one (no WSMessage per message on that path).
     * Every other message is a WSMessage. `queuedBytes` bounds
     * it: over QUEUE_HIGH the transport's reading is paused, and receive() resumes it when the
     * queue falls to QUEUE_LOW. `peerClose` is set by the callback when the close frame is parsed
     * (it also wakes `closeWaiter`, on which close() waits); parsing stops there.
     *
     * Outgoing: every send writes to the transport and then waits in FlowControl.drain() while the
     * transport's buffer is over its high watermark, so a slow reader bounds the sender's memory.
     * Pongs (autoping) and heartbeat pings are written from callbacks without waiting (125 bytes at
     * most each).
     *
     * Heartbeat (aiohttp 3.10): a ping `heartbeat` seconds after the last bytes received; any bytes
     * received before heartbeat/2 more seconds count as the answer; otherwise the connection is
     * closed with 1006 and the error given by Settings.heartbeatError. One timer, re-armed lazily;
     * cancelled when this end closes or the peer's close frame is parsed (aiohttp stops it only when
     * receive() takes that frame, and meanwhile may fail the cleanly closed connection with 1006).
     */

    /** What one end asked for. */
    public record Settings(boolean autoping, boolean autoclose, double heartbeat, double receiveTimeout, double closeTimeout,
                           int maxMsgSize, JsonCodec jsonCodec, Function<String, RuntimeException> heartbeatError) {}

    /** The terminal item of the incoming queue: why nothing more will arrive. */
    private record Ended(Throwable error) {}

    static final int QUEUE_HIGH = 64 * 1024;
    static final int QUEUE_LOW = 16 * 1024;

    private final EventLoop loop;
    private final Transport transport;
    private final Role role;
    private final Settings settings;
    private final FlowControl flow;
    private final FrameParser parser;
    private final FrameWriter writer;
    private final PerMessageDeflate deflate;
    private final Runnable onClose;
    private final String protocol;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The transport, if it copies what it keeps (frames are then lent), else null. */
    private final BorrowedWriteTransport lender;
    private LoopBuffers.Scratch scratch;
    private long queuedBytes;
    private boolean readingPaused;
    private boolean ended;
    /** receive() waits here for the queue to change (one waiter, re-armed by every wait). */
    private final TaskWaiter readWaiter;
    /** close() waits here for the peer's close frame; made by the first close() that waits. */
    private TaskWaiter closeWaiter;
    private boolean waiting;
    private CloseStatus peerClose;
    private boolean closed;
    private boolean closing;
    private boolean closeSent;
    private boolean lost;
    private boolean transportClosed;
    private Integer closeCode;
    /** closeCode is the 1006 a client's abandoned receive() set (receiveAbandoned), not one the connection ended with. */
    private boolean provisionalCloseCode;
    private Throwable exception;
    private Throwable errorForWaiter;
    /** close() ran while another task waited in receive(): that receive() returns CLOSING, as in aiohttp. */
    private boolean closingForWaiter;
    /** What woke that receive() before close() ran (it returns this instead of CLOSING), or null. */
    private Object keptForWaiter;
    private int closedReads;
    private TimerHandle heartbeatTimer;
    private double lastReceived;
    private double pongDeadline = -1;

    /**
     * Opens the WebSocket on {@code transport}.
     *
     * @param loop the loop the transport runs on
     * @param transport the connection, after the handshake
     * @param role which end this is (decides masking)
     * @param deflate the permessage-deflate codec if negotiated, else null
     * @param protocol the subprotocol agreed on, or null
     * @param settings the options
     * @param onClose runs once when this closes the transport (the client gives the connection back to its pool)
     */
    public WebSocketConnection(EventLoop loop, Transport transport, Role role, PerMessageDeflate deflate, String protocol,
                               Settings settings, Runnable onClose) {
        this.loop = Checks.notNull(loop, "loop");
        this.transport = Checks.notNull(transport, "transport");
        this.lender = transport instanceof BorrowedWriteTransport b ? b : null;
        this.role = Checks.notNull(role, "role");
        this.settings = Checks.notNull(settings, "settings");
        this.deflate = deflate;
        this.protocol = protocol;
        this.onClose = onClose;
        this.flow = new FlowControl(loop);
        this.readWaiter = LoopAccess.newWaiter(loop, "WebSocket receive()");
        MessageAssembler assembler = new MessageAssembler(this, settings.maxMsgSize(), deflate);
        this.parser = new FrameParser(role, deflate != null, assembler);
        this.writer = new FrameWriter(role, deflate);
        this.lastReceived = loop.time();
        if (settings.heartbeat() > 0) {
            heartbeatTimer = loop.callLater(settings.heartbeat(), this::heartbeatFired);
        }
    }

    // ---------------------------------------------------------------------------- Protocol

    @Override
    public void dataReceived(byte[] data) {
        dataBorrowed(data, 0, data.length);
    }

    /*
     * Reads are lent (BorrowedReadProtocol): a socket transport lends the loop's heap read array,
     * SslProtocol the loop's plaintext buffer, and the server's RequestHandler passes on what it is
     * lent once it has upgraded, so no array is made per read on either end. The parser consumes
     * every byte within the call, copying what it keeps (a partial header, a message's payload), so
     * nothing is held when the call returns. Other transports call dataReceived with an array.
     */
    @Override
    public void dataBorrowed(byte[] data, int offset, int length) {
        if (settings.heartbeat() > 0) { // only the heartbeat reads them: no clock read per read without one
            lastReceived = loop.time();
            pongDeadline = -1;
        }
        if (ended || peerClose != null) {
            return; // nothing may follow a close frame, and nothing is read after a failure
        }
        try {
            parser.feed(data, offset, length);
        } catch (WebSocketProtocolError e) {
            fail(e);
        }
    }

    /**
     * The peer broke the protocol: nothing more is parsed, and the error is queued after the
     * messages that came before it, so they are delivered (and answered) first. {@code receive()}
     * then fails the connection (RFC 6455 section 7.1.7): a close frame with the error's code, and
     * the TCP close.
     */
    private void fail(WebSocketProtocolError e) {
        end(e);
    }

    @Override
    public boolean eofReceived() {
        end(null);
        return false;
    }

    @Override
    public void connectionLost(Exception exc) {
        lost = true;
        flow.connectionLost(exc);
        cancelHeartbeat();
        end(exc);
        wakeCloser();
        if (!transportClosed) {
            transportClosed = true;
            if (onClose != null) {
                onClose.run();
            }
        }
        if (deflate != null) {
            deflate.close();
        }
    }

    @Override
    public void pauseWriting() {
        flow.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        flow.resumeWriting();
    }

    // ------------------------------------------------------------------- MessageAssembler.Listener

    @Override
    public void text(String text) {
        enqueue(text, text.length()); // bare: see the maintainer notes
    }

    @Override
    public void binary(byte[] data) {
        enqueue(data, data.length);
    }

    @Override
    public void ping(byte[] payload) {
        if (settings.autoping()) {
            if (!closeSent && !lost && !transport.isClosing()) {
                transport.write(writer.pong(payload));
            }
            return;
        }
        enqueue(new WSMessage(WSMsgType.PING, payload, null), payload.length);
    }

    @Override
    public void pong(byte[] payload) {
        if (!settings.autoping()) {
            enqueue(new WSMessage(WSMsgType.PONG, payload, null), payload.length);
        }
    }

    @Override
    public void close(CloseStatus status) {
        peerClose = status;
        cancelHeartbeat(); // nothing is read after the close frame: an unanswered ping would prove nothing
        enqueue(new WSMessage(WSMsgType.CLOSE, status.code(), status.reason()), 0);
        wakeCloser();
    }

    private void enqueue(Object item, int size) {
        if (closed) {
            return; // close() was called: what the peer sends until its close frame is dropped, as aiohttp drops it
        }
        queue.add(item);
        queuedBytes += size;
        if (queuedBytes > QUEUE_HIGH && !readingPaused && !lost) {
            readingPaused = true;
            transport.pauseReading();
        }
        wakeReader();
    }

    private void end(Throwable error) {
        if (ended) {
            return;
        }
        ended = true;
        queue.add(new Ended(error));
        wakeReader();
    }

    private void wakeReader() {
        if (waiting) { // the waiter's own checks (thread, state) only when a receive() waits: once per wait, not per message
            readWaiter.wake();
        }
    }

    private void wakeCloser() {
        if (closeWaiter != null) {
            closeWaiter.wake();
        }
    }

    // ------------------------------------------------------------------------------ receiving

    /**
     * aiohttp's {@code receive(timeout)}; see the facades' Javadoc.
     *
     * @param timeout seconds, or 0 for the default receive timeout (none if that is 0)
     * @return the next message
     */
    public WSMessage receive(double timeout) {
        return asMessage(receiveItem(timeout));
    }

    /** receive(), with a TEXT message as its String and a BINARY one as its byte[]. */
    private Object receiveItem(double timeout) {
        double limit = timeout > 0 ? timeout : settings.receiveTimeout();
        while (true) {
            if (waiting) {
                throw new IllegalStateException("Concurrent call to receive() is not allowed: another task is waiting on " + this);
            }
            if (closed) {
                if (errorForWaiter != null) {
                    Throwable e = errorForWaiter;
                    errorForWaiter = null;
                    return new WSMessage(WSMsgType.ERROR, e, null);
                }
                if (closingForWaiter) {
                    closingForWaiter = false;
                    Object kept = keptForWaiter;
                    if (kept != null) {
                        keptForWaiter = null;
                        return kept;
                    }
                    return WSMessage.CLOSING;
                }
                if (++closedReads >= 5) {
                    throw new IllegalStateException("WebSocket connection is closed: receive() called "
                            + closedReads + " times after CLOSED was returned; stop at CLOSED");
                }
                return WSMessage.CLOSED;
            }
            if (closing) {
                return WSMessage.CLOSING;
            }
            Object item = queue.poll();
            if (item == null) {
                awaitItem(limit);
                continue;
            }
            if (item instanceof Ended end) {
                return ended(end);
            }
            if (item instanceof String text) {
                taken(text.length());
                return text;
            }
            if (item instanceof byte[] data) {
                taken(data.length);
                return data;
            }
            WSMessage msg = (WSMessage) item;
            taken(msg.data() instanceof byte[] b ? b.length : 0);
            if (msg.type() == WSMsgType.CLOSE) {
                closing = true;
                cancelHeartbeat(); // aiohttp's _set_closing: the peer said goodbye, it is not pinged any more
                closeCode = (Integer) msg.data();
                provisionalCloseCode = false;
                if (!closed && settings.autoclose()) {
                    int code = closeCode;
                    closeQuietly(CloseStatus.isValidCode(code) ? code : CloseStatus.NORMAL, "");
                }
            }
            return msg;
        }
    }

    private void taken(int size) {
        queuedBytes -= size;
        if (readingPaused && queuedBytes <= QUEUE_LOW && !lost) {
            readingPaused = false;
            transport.resumeReading();
        }
    }

    private WSMessage ended(Ended end) {
        Throwable e = end.error();
        if (e instanceof WebSocketProtocolError pe) {
            if (!closeSent && !lost && !transport.isClosing()) {
                closeSent = true;
                transport.write(writer.close(pe.closeCode(), null));
            }
            closed = true;
            cancelHeartbeat();
            closeCode = pe.closeCode();
            WebSocketError error = new WebSocketError(pe.closeCode(), pe.getMessage(), pe);
            exception = error;
            closeTransport();
            return new WSMessage(WSMsgType.ERROR, error, null);
        }
        closed = true;
        cancelHeartbeat();
        if (closeCode == null) {
            closeCode = CloseStatus.ABNORMAL_CLOSURE;
        }
        closeTransport();
        if (e != null) {
            exception = e;
            return new WSMessage(WSMsgType.ERROR, e, null);
        }
        return WSMessage.CLOSED;
    }

    /*
     * One wait of receive() for the queue to change: the connection's one TaskWaiter, woken by
     * enqueue/end/close/heartbeat (wakeReader), so a wait allocates nothing unless it has a timeout
     * (then only its timer). Cancelling the waiting task ends the wait with CancelledError, as it
     * ended the await of a new future per wait before (stop 32).
     *
     * The receive timeout is aiohttp's: `async with timeout(t): msg = await reader.read()`, where
     * read() takes from its queue only once its waiter returned. If the deadline passes before the
     * task resumes, receive() raises TimeoutError even when a message (or close(), or a failed
     * heartbeat) woke the wait in the same loop iteration, before or after the timer; the message
     * stays queued for the next receive() (stop 33). What close() or the heartbeat left for this
     * wait is dropped then, as aiohttp's next receive() sees `closed` first and returns CLOSED.
     */
    private void awaitItem(double limit) {
        waiting = true;
        boolean woken = true;
        try {
            if (limit > 0) {
                woken = readWaiter.awaitUntil(loop.time() + limit);
            } else {
                readWaiter.await();
            }
        } catch (RuntimeException e) { // cancelled: a CLOSING or ERROR that close() or the heartbeat left for this wait is nobody's now
            forgetWhatWasLeftForTheWaiter();
            if (e instanceof CancelledError) {
                receiveAbandoned();
            }
            throw e;
        } finally {
            waiting = false;
        }
        if (!woken) {
            forgetWhatWasLeftForTheWaiter();
            receiveAbandoned();
            throw new TimeoutError("no WebSocket message within " + limit + " s (receiveTimeout); the connection stays open");
        }
    }

    private void forgetWhatWasLeftForTheWaiter() {
        closingForWaiter = false;
        keptForWaiter = null;
        errorForWaiter = null;
    }

    /*
     * aiohttp's client receive(): `except (asyncio.CancelledError, asyncio.TimeoutError):
     * self._close_code = WSCloseCode.ABNORMAL_CLOSURE; raise` (3.8 and 3.13); it closes nothing. Its
     * server receive() (3.13) leaves close_code alone. Open and closing codes set later replace it:
     * a close frame received, or close()'s handshake (RFC 6455 section 7.1.5: the peer's code).
     */
    private void receiveAbandoned() {
        if (role == Role.CLIENT && !closed) {
            closeCode = CloseStatus.ABNORMAL_CLOSURE;
            provisionalCloseCode = true;
        }
    }

    /**
     * aiohttp's {@code receive_str()}.
     *
     * @param timeout seconds, or 0 for the default
     * @return the text
     */
    public String receiveStr(double timeout) {
        Object item = receiveItem(timeout);
        if (item instanceof String text) {
            return text;
        }
        throw new IllegalStateException("Received message " + asMessage(item) + " is not WSMsgType.TEXT");
    }

    private static WSMessage asMessage(Object item) {
        return item instanceof String text ? new WSMessage(WSMsgType.TEXT, text, null)
                : item instanceof byte[] data ? new WSMessage(WSMsgType.BINARY, data, null) : (WSMessage) item;
    }

    /**
     * aiohttp's {@code receive_bytes()}.
     *
     * @param timeout seconds, or 0 for the default
     * @return the bytes
     */
    public byte[] receiveBytes(double timeout) {
        Object item = receiveItem(timeout);
        if (item instanceof byte[] data) {
            return data;
        }
        throw new IllegalStateException("Received message " + asMessage(item) + " is not WSMsgType.BINARY");
    }

    /**
     * aiohttp's {@code receive_json()}.
     *
     * @param type what to decode into
     * @param timeout seconds, or 0 for the default
     * @return the value
     */
    public Object receiveJson(Type type, double timeout) {
        JsonCodec codec = codec();
        String text = receiveStr(timeout);
        try {
            return codec.decode(text, type);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the JsonCodec cannot decode the received text as " + type.getTypeName() + ": " + e, e);
        }
    }

    private JsonCodec codec() {
        if (settings.jsonCodec() == null) {
            throw new IllegalStateException("no JsonCodec: set one with ClientSession.Builder.jsonCodec(...) or"
                    + " Application.jsonCodec(...) (aio-http has no JSON library of its own)");
        }
        return settings.jsonCodec();
    }

    /**
     * Iterates over messages until CLOSE, CLOSING or CLOSED (aiohttp's {@code async for}).
     *
     * @return the messages
     */
    public Iterator<WSMessage> iterator() {
        return new Iterator<>() {
            private WSMessage next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    WSMessage m = receive(0);
                    if (m.type() == WSMsgType.CLOSE || m.type() == WSMsgType.CLOSING || m.type() == WSMsgType.CLOSED) {
                        done = true;
                    } else {
                        next = m;
                    }
                }
                return next != null;
            }

            @Override
            public WSMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the WebSocket is closed");
                }
                WSMessage m = next;
                next = null;
                return m;
            }
        };
    }

    // -------------------------------------------------------------------------------- sending

    /**
     * Sends a text message and waits while the transport's buffer is full.
     *
     * @param text the text
     * @throws IOException if the connection is closing or gone
     */
    public void sendStr(String text) throws IOException {
        Checks.notNull(text, "text");
        checkWritable(false); // before compressing: the codec is released once the connection is lost
        if (lender != null) {
            int n = writer.textIntoLength(text);
            if (n >= 0 && n <= LENT_FRAME_MAX) {
                byte[] frame = scratch().heapWrite(n);
                writer.textInto(text, frame);
                lender.writeBorrowed(frame, 0, n);
                flow.drain();
                return;
            }
            if (n >= 0) { // measured already: writer.text would scan the text for ASCII again
                byte[] frame = new byte[n];
                writer.textInto(text, frame);
                send(frame);
                return;
            }
        }
        send(writer.text(text));
    }

    /*
     * Sending: a frame of at most LENT_FRAME_MAX bytes (uncompressed ASCII text, uncompressed
     * binary) is built in the loop's heap write array (LoopBuffers) and lent to a transport that
     * copies what it keeps (BorrowedWriteTransport: a socket transport, TLS's app transport), so no
     * array per frame; anything else, and frames to other transports, get an array of their own.
     */
    static final int LENT_FRAME_MAX = 64 * 1024;

    private LoopBuffers.Scratch scratch() {
        LoopBuffers.Scratch s = scratch;
        if (s == null) {
            s = scratch = LoopBuffers.of(loop);
        }
        return s;
    }

    /**
     * Sends a binary message.
     *
     * @param data the bytes
     * @throws IOException if the connection is closing or gone
     */
    public void sendBytes(byte[] data) throws IOException {
        Checks.notNull(data, "data");
        checkWritable(false);
        if (lender != null) {
            int n = writer.binaryIntoLength(data);
            if (n >= 0 && n <= LENT_FRAME_MAX) {
                byte[] frame = scratch().heapWrite(n);
                writer.binaryInto(data, frame);
                lender.writeBorrowed(frame, 0, n);
                flow.drain();
                return;
            }
        }
        send(writer.binary(data));
    }

    /**
     * Sends a value as JSON text.
     *
     * @param value the value
     * @throws IOException if the connection is closing or gone
     */
    public void sendJson(Object value) throws IOException {
        String text;
        try {
            text = codec().encode(value);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("the JsonCodec cannot encode " + value + ": " + e, e);
        }
        sendStr(text);
    }

    /**
     * Sends one frame with the given opcode (aiohttp's {@code send_frame}).
     *
     * @param data the payload
     * @param type TEXT, BINARY, PING, PONG or CLOSE
     * @throws IOException if the connection is closing or gone
     */
    public void sendFrame(byte[] data, WSMsgType type) throws IOException {
        Checks.notNull(data, "data");
        checkWritable(Checks.notNull(type, "type") == WSMsgType.CLOSE);
        byte[] frame = switch (type) {
            case TEXT -> {
                if (!Utf8Validator.isValid(data, 0, data.length)) {
                    throw new IllegalArgumentException("a TEXT frame must be valid UTF-8 (RFC 6455 section 8.1)");
                }
                yield deflate != null ? writer.text(new String(data, java.nio.charset.StandardCharsets.UTF_8))
                        : writer.frame(true, 0, Opcode.TEXT.code(), data, 0, data.length);
            }
            case BINARY -> writer.binary(data);
            case PING -> writer.ping(data);
            case PONG -> writer.pong(data);
            case CLOSE -> {
                closeSent = true;
                yield writer.frame(true, 0, Opcode.CLOSE.code(), data, 0, data.length);
            }
            default -> throw new IllegalArgumentException("type must be TEXT, BINARY, PING, PONG or CLOSE, got " + type);
        };
        send(frame);
    }

    /**
     * Sends a ping.
     *
     * @param payload at most 125 bytes
     * @throws IOException if the connection is closing or gone
     */
    public void sendPing(byte[] payload) throws IOException {
        send(writer.ping(Checks.notNull(payload, "payload")));
    }

    /**
     * Sends a pong.
     *
     * @param payload at most 125 bytes
     * @throws IOException if the connection is closing or gone
     */
    public void sendPong(byte[] payload) throws IOException {
        send(writer.pong(Checks.notNull(payload, "payload")));
    }

    private void checkWritable(boolean closeFrame) throws SocketException {
        if (lost || transportClosed || transport.isClosing()) {
            throw new SocketException("Cannot write to closing transport: " + this);
        }
        if (closeSent && !closeFrame) {
            throw new SocketException("Cannot send after the close frame was sent: " + this);
        }
    }

    private void send(byte[] frame) throws IOException {
        checkWritable((frame[0] & 0x0F) == Opcode.CLOSE.code());
        transport.write(frame);
        flow.drain();
    }

    // -------------------------------------------------------------------------------- closing

    /**
     * aiohttp's {@code close(code=, message=)}: sends a close frame and waits, up to the close
     * timeout, for the peer's; then closes the transport. The close timeout counts from the call
     * and also bounds the wait for the close frame to leave when the peer has stopped reading (the
     * transport's buffer is full); past it the transport is aborted, with close code 1006.
     *
     * @param code the close code
     * @param message the reason
     * @return whether this call closed the WebSocket (false if it was closed already)
     */
    public boolean close(int code, String message) {
        byte[] frame = writer.close(code, message); // checks the code and reason before anything changes
        if (closed) {
            return false;
        }
        closed = true;
        double deadline = loop.time() + settings.closeTimeout(); // for the whole closing handshake
        cancelHeartbeat();
        if (waiting) {
            // aiohttp's close() feeds WS_CLOSING_MESSAGE to a receive() waiting in another task; one
            // woken by a message that has not resumed yet takes that message first, as aiohttp's
            // close() feeds CLOSING behind the queue and waits for that receive to end.
            Object first = queue.peekFirst();
            closingForWaiter = true;
            keptForWaiter = first instanceof Ended ? null : first;
        }
        queue.removeIf(i -> !(i instanceof Ended));
        queuedBytes = 0;
        if (readingPaused && !lost) {
            readingPaused = false;
            transport.resumeReading();
        }
        wakeReader();
        if (!closeSent) {
            closeSent = true;
            if (lost || transport.isClosing()) {
                // RFC 6455 section 7.1.5: the code of the close frame received, if one was; 1006 if none.
                closeCode = peerClose != null ? peerClose.code() : CloseStatus.ABNORMAL_CLOSURE;
                closeTransport();
                return true;
            }
            transport.write(frame);
            try {
                if (flow.isPaused()) {
                    // The peer may have stopped reading: the close timeout bounds the wait for the
                    // close frame to leave as it bounds the wait for the peer's answer.
                    dev.aio4j.loop.Aio.timeoutAt(deadline, () -> {
                        flow.drain();
                        return null;
                    });
                }
            } catch (TimeoutError e) {
                closeCode = CloseStatus.ABNORMAL_CLOSURE;
                exception = new TimeoutError("the close frame could not be sent within " + settings.closeTimeout()
                        + " s (the close timeout): the peer does not read");
                abortTransport();
                return true;
            } catch (IOException e) {
                closeCode = peerClose != null ? peerClose.code() : CloseStatus.ABNORMAL_CLOSURE;
                if (peerClose == null) {
                    exception = e;
                }
                closeTransport();
                return true;
            } catch (CancelledError e) {
                closeCode = CloseStatus.ABNORMAL_CLOSURE;
                closeTransport();
                throw e;
            }
        }
        if (closing || peerClose != null) {
            if (closeCode == null || provisionalCloseCode) {
                closeCode = peerClose != null ? peerClose.code() : code;
            }
            closeTransport();
            return true;
        }
        if (lost || ended) {
            closeCode = CloseStatus.ABNORMAL_CLOSURE;
            closeTransport();
            return true;
        }
        if (closeWaiter == null) {
            closeWaiter = LoopAccess.newWaiter(loop, "WebSocket close()");
        }
        try {
            closeWaiter.awaitUntil(deadline); // woken by the peer's close frame or the connection's loss
        } catch (CancelledError e) {
            closeCode = CloseStatus.ABNORMAL_CLOSURE;
            abortTransport();
            throw e;
        }
        if (peerClose != null) {
            closeCode = peerClose.code();
            closeTransport();
        } else {
            closeCode = CloseStatus.ABNORMAL_CLOSURE;
            if (!lost && exception == null) {
                exception = new TimeoutError("no close frame from the peer within " + settings.closeTimeout() + " s (the close timeout)");
            }
            abortTransport();
        }
        return true;
    }

    /** close() from receive() (autoclose): drop the waiting result. */
    private void closeQuietly(int code, String reason) {
        close(code, reason);
    }

    private void closeTransport() {
        if (!transportClosed) {
            transportClosed = true;
            cancelHeartbeat();
            if (!lost) {
                transport.close();
            }
            if (onClose != null) {
                onClose.run();
            }
        }
    }

    private void abortTransport() {
        if (!lost) {
            transport.abort();
        }
        closeTransport();
    }

    // ------------------------------------------------------------------------------ heartbeat

    private void heartbeatFired() {
        heartbeatTimer = null;
        if (closed || closing || peerClose != null || lost || transportClosed) {
            return;
        }
        double now = loop.time();
        if (pongDeadline > 0) {
            if (now >= pongDeadline) {
                heartbeatFailed();
                return;
            }
            heartbeatTimer = loop.callAt(pongDeadline, this::heartbeatFired);
            return;
        }
        double due = lastReceived + settings.heartbeat();
        if (now < due) {
            heartbeatTimer = loop.callAt(due, this::heartbeatFired);
            return;
        }
        if (!closeSent && !transport.isClosing()) {
            transport.write(writer.ping(new byte[0]));
        }
        pongDeadline = now + settings.heartbeat() / 2;
        heartbeatTimer = loop.callAt(pongDeadline, this::pongCheck);
    }

    private void pongCheck() {
        heartbeatTimer = null;
        if (closed || closing || peerClose != null || lost || transportClosed) {
            return;
        }
        if (pongDeadline > 0 && loop.time() >= pongDeadline) {
            heartbeatFailed();
        } else {
            // bytes arrived in time: the next ping is due a heartbeat after them
            heartbeatTimer = loop.callAt(lastReceived + settings.heartbeat(), this::heartbeatFired);
        }
    }

    private void heartbeatFailed() {
        RuntimeException e = settings.heartbeatError() != null
                ? settings.heartbeatError().apply("No PONG received after " + settings.heartbeat() / 2 + " seconds")
                : new TimeoutError("No PONG received after " + settings.heartbeat() / 2 + " seconds");
        closed = true;
        closeCode = CloseStatus.ABNORMAL_CLOSURE;
        exception = e;
        if (waiting && !closing) {
            errorForWaiter = e;
        }
        abortTransport();
        wakeReader();
    }

    private void cancelHeartbeat() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
    }

    // ---------------------------------------------------------------------------------- state

    /**
     * aiohttp's {@code closed}.
     *
     * @return whether this end is closed
     */
    public boolean closed() {
        return closed;
    }

    /**
     * aiohttp's {@code close_code}.
     *
     * @return the close code, empty while open
     */
    public OptionalInt closeCode() {
        return closeCode == null ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }

    /**
     * aiohttp's {@code exception()}.
     *
     * @return the error that ended the connection, or null
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Returns the subprotocol agreed on.
     *
     * @return the subprotocol, or null
     */
    public String protocol() {
        return protocol;
    }

    /**
     * Returns whether permessage-deflate is on.
     *
     * @return whether messages are compressed
     */
    public boolean compressed() {
        return deflate != null;
    }

    /**
     * Returns the transport.
     *
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Returns the bytes of received messages waiting for {@code receive()} (tests check the bound).
     *
     * @return the queued bytes
     */
    public long queuedBytes() {
        return queuedBytes;
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public Settings settings() {
        return settings;
    }

    @Override
    public String toString() {
        String state = closed ? "closed" + (closeCode == null ? "" : " " + closeCode) : closing ? "closing" : lost ? "lost" : "open";
        return "WebSocket[" + role.name().toLowerCase(java.util.Locale.ROOT) + ", " + state
                + (protocol == null ? "" : ", protocol=" + protocol) + (deflate != null ? ", permessage-deflate" : "")
                + ", " + queue.size() + " queued]";
    }
}

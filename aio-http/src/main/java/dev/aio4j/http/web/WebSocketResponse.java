package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.WSMessage;
import dev.aio4j.http.WSMsgType;
import dev.aio4j.http.internal.MessageFraming;
import dev.aio4j.http.internal.ws.CloseStatus;
import dev.aio4j.http.internal.ws.DeflateNegotiation;
import dev.aio4j.http.internal.ws.Handshake;
import dev.aio4j.http.internal.ws.MessageAssembler;
import dev.aio4j.http.internal.ws.PerMessageDeflate;
import dev.aio4j.http.internal.ws.Role;
import dev.aio4j.http.internal.ws.WebSocketConnection;
import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import java.util.zip.Deflater;

/**
 * The server end of a WebSocket (RFC 6455): a handler makes one, {@linkplain #prepare prepares}
 * it (the opening handshake and {@code 101 Switching Protocols}), then sends and receives
 * messages on the connection until it closes.
 *
 * <pre>{@code
 * app.router().addGet("/ws", request -> {
 *     WebSocketResponse ws = new WebSocketResponse().heartbeat(30).protocols("chat");
 *     ws.prepare(request);
 *     for (WSMessage msg : ws) {                      // until the client closes
 *         switch (msg.type()) {
 *             case TEXT -> ws.sendStr(msg.str());
 *             case BINARY -> ws.sendBytes(msg.bytes());
 *             default -> { }
 *         }
 *     }
 *     return ws;                                      // closing is automatic when the handler returns
 * });
 * }</pre>
 *
 * <p>The handshake answers {@code 405} to a method other than GET, {@code 400} to an HTTP/1.0
 * request (aiohttp does not check the version), without {@code Upgrade: websocket}, without an
 * {@code upgrade} token in {@code Connection}, or with a missing or malformed
 * {@code Sec-WebSocket-Key} or {@code Sec-WebSocket-Version}, and {@code 426} with
 * {@code Sec-WebSocket-Version: 13} to another version. After the 101 the connection belongs to
 * the WebSocket: it is never used for another HTTP request, and closes when the handler returns
 * ({@link #writeEof()} runs the close handshake if the handler did not).
 *
 * <p>Protocol errors close the connection with 1002 (an unmasked frame, reserved bits or opcodes,
 * a bad control frame), invalid UTF-8 with 1007, a message over {@link #maxMsgSize(int)} with
 * 1009; {@code receive()} then returns an ERROR message whose data is the error.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.web.WebSocketResponse}. <b>Differences:</b> keyword arguments
 * are chained setters called before {@code prepare}; {@code close()} and the receive and send
 * methods suspend directly; pings are answered as they arrive (aiohttp answers them inside
 * {@code receive()}), so a handler that only sends still answers them; {@code async for} is a
 * Java {@code for} over this {@link Iterable}; {@code closeCode()} is an {@link OptionalInt};
 * {@code maxMsgSize} must be positive (no "unlimited"); the
 * {@code compress} argument is a boolean (a client's {@code server_max_window_bits} of 8 to 15 is
 * honoured, see {@code docs/websockets.md}).
 *
 * <p><b>Threading:</b> confined to the loop that serves the request.
 *
 * @since 0.2
 */
public final class WebSocketResponse extends StreamResponse implements Iterable<WSMessage> {
    /*
     * Maintainer notes. prepare(): the handshake (exceptions become the 400/405/426 answer, since
     * nothing was sent yet), then StreamResponse.prepare (signals, the 101 head through
     * RequestHandler.startUpgrade), then the connection is switched to upgrade mode and every byte
     * after the request goes to `ws`. writeEof() (what WebServer calls after the handler) closes.
     */
    private List<String> protocols = List.of();
    private double heartbeat;
    private boolean autoping = true;
    private boolean autoclose = true;
    private int maxMsgSize = MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE;
    private boolean compress = true;
    private double timeout = 10.0;
    private double receiveTimeout;
    private WebSocketConnection ws;
    private String wsProtocol;
    private DeflateNegotiation.Agreement agreement;

    /** A WebSocket response with aiohttp's defaults: autoping, autoclose, compression offered, 4 MiB messages, close timeout 10 s. */
    public WebSocketResponse() {
        super(101);
    }

    // ------------------------------------------------------------------------------ options

    /**
     * Sets the subprotocols this end speaks: {@code protocols=}. As in aiohttp, the answer is the
     * first protocol of the client's offer that is in this list (the client's order decides).
     *
     * @param protocols the names
     * @return this response
     */
    public WebSocketResponse protocols(String... protocols) {
        checkNotPrepared("set the protocols");
        this.protocols = List.of(protocols);
        return this;
    }

    /**
     * Sends a ping every {@code seconds} without incoming data, and closes the connection (1006)
     * when nothing arrives within half that time after it: {@code heartbeat=}.
     *
     * @param seconds the interval; 0 for none (the default)
     * @return this response
     */
    public WebSocketResponse heartbeat(double seconds) {
        checkNotPrepared("set the heartbeat");
        this.heartbeat = Checks.nonNegative(seconds, "heartbeat");
        return this;
    }

    /**
     * {@link #heartbeat(double)} with a {@link Duration}.
     *
     * @param interval the interval; zero for none
     * @return this response
     * @throws IllegalArgumentException if {@code interval} is negative
     * @since 0.2
     */
    public WebSocketResponse heartbeat(Duration interval) {
        return heartbeat(Checks.seconds(interval, "heartbeat"));
    }

    /**
     * Answers pings with pongs and hides both from {@code receive()}: {@code autoping=} (on by default).
     *
     * @param on whether to
     * @return this response
     */
    public WebSocketResponse autoping(boolean on) {
        checkNotPrepared("set autoping");
        this.autoping = on;
        return this;
    }

    /**
     * Answers the peer's close frame when {@code receive()} returns it: {@code autoclose=} (on by default).
     *
     * @param on whether to
     * @return this response
     */
    public WebSocketResponse autoclose(boolean on) {
        checkNotPrepared("set autoclose");
        this.autoclose = on;
        return this;
    }

    /**
     * Sets the largest message accepted, before and after decompression: {@code max_msg_size=}
     * (4 MiB by default). A bigger one closes the connection with 1009.
     *
     * @param bytes the limit, positive
     * @return this response
     * @throws IllegalArgumentException if not positive (aiohttp's 0, "no limit", is not offered)
     */
    public WebSocketResponse maxMsgSize(int bytes) {
        checkNotPrepared("set maxMsgSize");
        this.maxMsgSize = Checks.positive(bytes, "maxMsgSize");
        return this;
    }

    /**
     * Accepts permessage-deflate when the client offers it: {@code compress=} (on by default).
     *
     * @param on whether to
     * @return this response
     */
    public WebSocketResponse compress(boolean on) {
        checkNotPrepared("set compress");
        this.compress = on;
        return this;
    }

    /**
     * Sets how long {@link #close} waits for the client's close frame: {@code timeout=} (10 s).
     *
     * @param seconds the close timeout, positive
     * @return this response
     */
    public WebSocketResponse timeout(double seconds) {
        checkNotPrepared("set the close timeout");
        this.timeout = Checks.positive(seconds, "timeout");
        return this;
    }

    /**
     * {@link #timeout(double)} with a {@link Duration}.
     *
     * @param timeout the close timeout, positive
     * @return this response
     * @throws IllegalArgumentException if {@code timeout} is not positive
     * @since 0.2
     */
    public WebSocketResponse timeout(Duration timeout) {
        return timeout(Checks.seconds(timeout, "timeout"));
    }

    /**
     * Sets how long {@link #receive()} waits by default: {@code receive_timeout=}.
     *
     * @param seconds the timeout; 0 for none (the default)
     * @return this response
     */
    public WebSocketResponse receiveTimeout(double seconds) {
        checkNotPrepared("set the receive timeout");
        this.receiveTimeout = Checks.nonNegative(seconds, "receiveTimeout");
        return this;
    }

    /**
     * {@link #receiveTimeout(double)} with a {@link Duration}.
     *
     * @param timeout the timeout; zero for none
     * @return this response
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @since 0.2
     */
    public WebSocketResponse receiveTimeout(Duration timeout) {
        return receiveTimeout(Checks.seconds(timeout, "receiveTimeout"));
    }

    // ---------------------------------------------------------------------------- handshake

    /**
     * Tells whether {@link #prepare} would succeed, without answering: {@code can_prepare(request)}.
     *
     * @param request the request
     * @return whether it is a valid upgrade, and the subprotocol that would be chosen
     * @throws IllegalStateException after {@link #prepare}
     */
    public WebSocketReady canPrepare(Request request) {
        if (prepared()) {
            throw new IllegalStateException("canPrepare() after prepare(): the handshake is done");
        }
        try {
            String p = handshake(request, false);
            return new WebSocketReady(true, p);
        } catch (HTTPException e) {
            return new WebSocketReady(false, null);
        }
    }

    /** Checks the upgrade request; returns the subprotocol. With {@code apply}, fills in the 101's headers. */
    private String handshake(Request request, boolean apply) {
        Headers h = request.headers();
        if (!request.method().equals("GET")) {
            throw new HTTPMethodNotAllowed(request.method(), List.of("GET"));
        }
        if (request.version().equals("HTTP/1.0")) {
            // RFC 6455 section 4.1: HTTP/1.1 or later; RFC 9110 section 15.2: no 1xx to an HTTP/1.0 client.
            throw new HTTPBadRequest().text("WebSocket upgrade over HTTP/1.0: the handshake needs HTTP/1.1 (RFC 6455 section 4.1)");
        }
        String upgrade = h.getOrDefault("Upgrade", "");
        if (!upgrade.strip().equalsIgnoreCase("websocket")) {
            throw new HTTPBadRequest().text("No WebSocket UPGRADE hdr: " + upgrade
                    + "\n Can \"Upgrade\" only to \"WebSocket\".");
        }
        if (!MessageFraming.connectionHas(h, "upgrade")) {
            throw new HTTPBadRequest().text("No CONNECTION upgrade hdr: " + h.getOrDefault("Connection", ""));
        }
        String protocol = Handshake.selectProtocol(protocols, h.getAll("Sec-WebSocket-Protocol"));
        String version = h.getOrDefault("Sec-WebSocket-Version", "").strip();
        if (version.isEmpty()) {
            // RFC 6455 section 4.2.1: a handshake without the header is malformed (400); section 4.2.2:
            // a version the server does not speak gets 426 with the versions it does.
            throw new HTTPBadRequest().text("Handshake error: no Sec-WebSocket-Version header (send Sec-WebSocket-Version: 13)");
        }
        if (!version.equals("13")) {
            HTTPException e = new HTTPUpgradeRequired().text("Unsupported Sec-WebSocket-Version: " + version + " (this server speaks 13)");
            e.headers().set("Sec-WebSocket-Version", "13");
            throw e;
        }
        String key = h.get("Sec-WebSocket-Key");
        if (!Handshake.isValidKey(key)) {
            throw new HTTPBadRequest().text("Handshake error: Sec-WebSocket-Key must be the base64 of 16 bytes, got "
                    + (key == null ? "none" : "\"" + key + "\""));
        }
        if (apply) {
            Headers out = headers();
            out.set("Upgrade", "websocket");
            out.set("Connection", "upgrade");
            out.set("Sec-WebSocket-Accept", Handshake.accept(key.strip()));
            if (protocol != null) {
                out.set("Sec-WebSocket-Protocol", protocol);
            }
            if (compress) {
                agreement = DeflateNegotiation.negotiate(h.getAll("Sec-WebSocket-Extensions"), false);
                if (agreement != null) {
                    out.set("Sec-WebSocket-Extensions", agreement.responseHeader());
                }
            }
        }
        return protocol;
    }

    /**
     * Runs the opening handshake and sends {@code 101 Switching Protocols}; from then on the
     * connection carries WebSocket frames: {@code await ws.prepare(request)}. A second call does
     * nothing.
     *
     * <p><b>Cancellation:</b> may suspend in an {@code onResponsePrepare} callback and while the
     * 101 is written; cancelled before the 101 is sent, nothing was sent.
     *
     * @param request the upgrade request
     * @throws HTTPException 405, 400 or 426 for a bad upgrade (nothing was sent; the handler may
     *     let it propagate to answer it)
     * @throws IOException if the connection is gone
     */
    @Override
    public void prepare(Request request) throws IOException {
        if (prepared()) {
            return;
        }
        Checks.notNull(request, "request");
        wsProtocol = handshake(request, true);
        super.prepare(request);
        writer().drain(); // the 101 leaves now
        RequestHandler conn = request.connection();
        PerMessageDeflate codec = agreement == null ? null : agreement.codec(Role.SERVER, Deflater.DEFAULT_COMPRESSION);
        ws = new WebSocketConnection(conn.loop(), conn.transport(), Role.SERVER, codec, wsProtocol,
                new WebSocketConnection.Settings(autoping, autoclose, heartbeat, receiveTimeout, timeout, maxMsgSize,
                        request.app() == null ? null : request.app().jsonCodec(), null), null);
        conn.upgrade(ws);
    }

    @Override
    PayloadWriter openWriter(Request request) throws IOException {
        return request.connection().startUpgrade(request, this);
    }

    // ----------------------------------------------------------------------------- messages

    private WebSocketConnection ws() {
        if (ws == null) {
            throw new IllegalStateException("Call prepare(request) first: the WebSocket is not open");
        }
        return ws;
    }

    /**
     * Returns the next message: {@code await ws.receive()}. Data messages come as TEXT or BINARY;
     * the peer's close frame as CLOSE (answered at once with autoclose); after that CLOSING
     * (autoclose off, until {@link #close}) or CLOSED; a failure as ERROR, whose data is the error.
     *
     * <p><b>Cancellation:</b> suspends until a message arrives; cancelling leaves the connection
     * open and nothing is lost. The receive timeout, when set, is the timeout-equivalent: once
     * its deadline passes, the call throws {@code TimeoutError} even if a message arrived in that
     * same loop iteration (before the task resumed), and that message is the next call's, as
     * aiohttp's {@code async with timeout(...)} around its read leaves it.
     *
     * @return the message
     * @throws IllegalStateException before {@link #prepare}, if another task is receiving, or
     *     after CLOSED was returned five times
     * @throws dev.aio4j.loop.TimeoutError if the receive timeout passed (the connection stays open)
     */
    public WSMessage receive() {
        return ws().receive(0);
    }

    /**
     * As {@link #receive()}, with a timeout for this call: {@code receive(timeout)}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @param timeout seconds, positive; 0 for the default receive timeout
     * @return the message
     * @throws dev.aio4j.loop.TimeoutError if nothing arrived in time (the connection stays open)
     */
    public WSMessage receive(double timeout) {
        return ws().receive(Checks.nonNegative(timeout, "timeout"));
    }

    /**
     * {@link #receive(double)} with a {@link Duration}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @param timeout &gt;= 0; zero for the default receive timeout
     * @return the message
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws dev.aio4j.loop.TimeoutError if nothing arrived in time (the connection stays open)
     * @since 0.2
     */
    public WSMessage receive(Duration timeout) {
        return receive(Checks.seconds(timeout, "timeout"));
    }

    /**
     * Receives a TEXT message: {@code receive_str()}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @return the text
     * @throws IllegalStateException if the next message is not TEXT (it is consumed)
     */
    public String receiveStr() {
        return ws().receiveStr(0);
    }

    /**
     * Receives a BINARY message: {@code receive_bytes()}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @return the bytes
     * @throws IllegalStateException if the next message is not BINARY (it is consumed)
     */
    public byte[] receiveBytes() {
        return ws().receiveBytes(0);
    }

    /**
     * Receives a TEXT message and decodes it with the application's {@link dev.aio4j.http.JsonCodec}:
     * {@code receive_json()}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @return the value
     * @throws IllegalStateException if the next message is not TEXT, or no codec is set
     * @throws IllegalArgumentException if the codec cannot decode it
     */
    public Object receiveJson() {
        return ws().receiveJson(Object.class, 0);
    }

    /**
     * As {@link #receiveJson()}, decoding into {@code type}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @param <T> the type
     * @param type a class
     * @return the value
     */
    public <T> T receiveJson(Class<T> type) {
        return type.cast(ws().receiveJson(type, 0));
    }

    /**
     * As {@link #receiveJson()}, decoding into a generic {@code type}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @param type the type
     * @return the value
     */
    public Object receiveJson(Type type) {
        return ws().receiveJson(type, 0);
    }

    /**
     * Iterates over the messages until CLOSE, CLOSING or CLOSED: aiohttp's {@code async for msg in ws}.
     * Each {@code hasNext()} may suspend as {@link #receive()} does.
     *
     * @return the messages
     */
    @Override
    public Iterator<WSMessage> iterator() {
        return ws().iterator();
    }

    /**
     * Sends a text message: {@code await ws.send_str(data)}. Waits while the client reads slowly
     * (the connection's buffer is over its high watermark).
     *
     * <p><b>Cancellation:</b> suspends while the buffer is full; the message was handed to the
     * transport already.
     *
     * @param text the text
     * @throws IOException if the connection is closing or gone
     */
    public void sendStr(String text) throws IOException {
        ws().sendStr(text);
    }

    /**
     * Sends a binary message: {@code await ws.send_bytes(data)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param data the bytes
     * @throws IOException if the connection is closing or gone
     */
    public void sendBytes(byte[] data) throws IOException {
        ws().sendBytes(data);
    }

    /**
     * Sends a value as JSON text with the application's codec: {@code await ws.send_json(data)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param value the value
     * @throws IOException if the connection is closing or gone
     * @throws IllegalStateException if no codec is set
     */
    public void sendJson(Object value) throws IOException {
        ws().sendJson(value);
    }

    /**
     * Sends one frame of any message type: {@code await ws.send_frame(message, opcode)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param data the payload
     * @param type TEXT, BINARY, PING, PONG or CLOSE
     * @throws IOException if the connection is closing or gone
     * @throws IllegalArgumentException for another type, or a control payload over 125 bytes
     */
    public void sendFrame(byte[] data, WSMsgType type) throws IOException {
        ws().sendFrame(data, type);
    }

    /**
     * Sends a ping with an empty payload: {@code await ws.ping()}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @throws IOException if the connection is closing or gone
     */
    public void ping() throws IOException {
        ws().sendPing(new byte[0]);
    }

    /**
     * Sends a ping: {@code await ws.ping(message)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param payload at most 125 bytes
     * @throws IOException if the connection is closing or gone
     */
    public void ping(byte[] payload) throws IOException {
        ws().sendPing(payload);
    }

    /**
     * Sends a pong: {@code await ws.pong(message)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param payload at most 125 bytes
     * @throws IOException if the connection is closing or gone
     */
    public void pong(byte[] payload) throws IOException {
        ws().sendPong(payload);
    }

    /**
     * Closes with 1000: {@code await ws.close()}.
     *
     * <p><b>Cancellation:</b> as {@link #close(int, String)}.
     *
     * @return whether this call closed the WebSocket (false if it was closed already)
     */
    public boolean close() {
        return close(CloseStatus.NORMAL, "");
    }

    /**
     * Sends a close frame and waits, up to the close {@linkplain #timeout(double) timeout}, for
     * the client's; then closes the connection: {@code await ws.close(code=, message=)}. If the
     * client's close frame came first, it only answers.
     *
     * <p><b>Cancellation:</b> suspends while waiting for the client; cancelled, the connection is
     * aborted and the close code is 1006.
     *
     * @param code 1000-1003, 1007-1014 or 3000-4999
     * @param message the reason, at most 123 bytes of UTF-8
     * @return whether this call closed the WebSocket (false if it was closed already)
     * @throws IllegalStateException before {@link #prepare}
     * @throws IllegalArgumentException for a code that may not be sent, or a reason too long
     */
    public boolean close(int code, String message) {
        return ws().close(code, message);
    }

    /**
     * Closes the WebSocket if the handler did not (what the server calls after the handler
     * returns): {@code await ws.write_eof()}.
     *
     * @throws IllegalStateException before {@link #prepare}
     */
    @Override
    public void writeEof() throws IOException {
        if (eofSent()) {
            return;
        }
        ws().close(CloseStatus.NORMAL, "");
        super.writeEof();
    }

    /**
     * Not for a WebSocket: send messages instead.
     *
     * @param data ignored
     * @throws IllegalStateException always
     */
    @Override
    public void write(byte[] data) {
        throw new IllegalStateException("write() on a WebSocketResponse: use sendBytes(...) or sendStr(...)");
    }

    // -------------------------------------------------------------------------------- state

    /**
     * Returns whether the WebSocket is closed: {@code ws.closed}.
     *
     * @return whether {@link #close} ran, the client's close was answered, or the connection failed
     */
    public boolean closed() {
        return ws != null && ws.closed();
    }

    /**
     * Returns the close code: {@code ws.close_code}.
     *
     * @return the code (the client's, or 1006 for an abnormal end), empty while open
     */
    public OptionalInt closeCode() {
        return ws == null ? OptionalInt.empty() : ws.closeCode();
    }

    /**
     * Returns the error that ended the connection: {@code ws.exception()}.
     *
     * @return the error, or null
     */
    public Throwable exception() {
        return ws == null ? null : ws.exception();
    }

    /**
     * Returns the subprotocol chosen: {@code ws.ws_protocol}.
     *
     * @return the subprotocol, or null
     */
    public String wsProtocol() {
        return wsProtocol;
    }

    /**
     * Returns whether permessage-deflate was agreed on: {@code ws.compress}.
     *
     * @return whether messages are compressed
     */
    public boolean compressed() {
        return agreement != null;
    }

    @Override
    public String toString() {
        return "<WebSocketResponse " + (ws == null ? "not prepared" : ws.toString()) + ">";
    }
}

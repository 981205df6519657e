package dev.aio4j.http;

import dev.aio4j.http.internal.ws.CloseStatus;
import dev.aio4j.http.internal.ws.WebSocketConnection;
import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.OptionalInt;

/**
 * The client end of a WebSocket, opened by {@link ClientSession#wsConnect}: send and receive
 * messages until one side closes.
 *
 * <pre>{@code
 * ClientWebSocketResponse ws = session.wsConnect("ws://127.0.0.1:8080/ws", WSConnectOption.heartbeat(30));
 * try {
 *     ws.sendStr("hello");
 *     for (WSMessage msg : ws) {                      // until the server closes
 *         if (msg.type() == WSMsgType.TEXT) {
 *             System.out.println(msg.str());
 *             ws.close();
 *         }
 *     }
 * } finally {
 *     ws.close();
 * }
 * }</pre>
 *
 * <p>Every frame this end sends is masked with a fresh random key (RFC 6455 section 5.3). Sends
 * wait while the server reads slowly. Protocol errors from the server close the connection with
 * 1002 (a masked frame, reserved bits or opcodes, a bad control frame), invalid UTF-8 with 1007, a
 * message over the maximum size with 1009; {@code receive()} then returns an ERROR message. A
 * heartbeat that gets no answer closes with 1006 and a {@link ServerTimeoutError}.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientWebSocketResponse}. <b>Differences:</b> the methods
 * suspend directly; a failed send throws {@link ClientOSError} (aiohttp's
 * {@code ClientConnectionResetError}); pings are answered as they arrive, not inside
 * {@code receive()}; {@code async for} is a Java {@code for} over this {@link Iterable};
 * {@code close()} returns a boolean, so this is not {@link AutoCloseable}: close it in a
 * {@code finally} block; {@link #closeCode()} is an {@link OptionalInt}.
 *
 * <p><b>Threading:</b> confined to the session's loop.
 *
 * @since 0.2
 */
public final class ClientWebSocketResponse implements Iterable<WSMessage> {
    private final WebSocketConnection ws;
    private final URI url;
    private final int status;
    private final Headers headers;

    ClientWebSocketResponse(WebSocketConnection ws, URI url, int status, Headers headers) {
        this.ws = ws;
        this.url = url;
        this.status = status;
        this.headers = headers;
    }

    /**
     * Returns the next message: {@code await ws.receive()}. Data messages come as TEXT or BINARY;
     * the server's close frame as CLOSE (answered at once with autoclose); after that CLOSING
     * (autoclose off, until {@link #close}) or CLOSED; a failure as ERROR, whose data is the error.
     *
     * <p><b>Cancellation:</b> suspends until a message arrives; cancelling leaves the connection
     * open and nothing is lost. The receive timeout, when set, is the timeout-equivalent: once
     * its deadline passes, the call throws {@code TimeoutError} even if a message arrived in that
     * same loop iteration (before the task resumed), and that message is the next call's, as
     * aiohttp's {@code async with timeout(...)} around its read leaves it. A timed-out or cancelled
     * call sets {@link #closeCode()} to 1006 (abnormal closure) while the connection stays open, as
     * aiohttp's client does; a close frame received later, or the close handshake, replaces it.
     *
     * @return the message
     * @throws IllegalStateException if another task is receiving, or after CLOSED was returned
     *     five times
     * @throws dev.aio4j.loop.TimeoutError if the receive timeout passed (the connection stays open)
     */
    public WSMessage receive() {
        return ws.receive(0);
    }

    /**
     * As {@link #receive()}, with a timeout for this call: {@code receive(timeout)}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @param timeout seconds, finite; 0 for the default receive timeout
     * @return the message
     * @throws dev.aio4j.loop.TimeoutError if nothing arrived in time (the connection stays open)
     * @throws IllegalArgumentException if {@code timeout} is negative, infinite or NaN (use 0 and
     *     a receive timeout of 0 to wait without a limit)
     */
    public WSMessage receive(double timeout) {
        return ws.receive(Checks.nonNegative(timeout, "timeout")); // as the server's: infinity refused here, by name
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
        return ws.receiveStr(0);
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
        return ws.receiveBytes(0);
    }

    /**
     * Receives a TEXT message and decodes it with the session's {@link JsonCodec}: {@code receive_json()}.
     *
     * <p><b>Cancellation:</b> as {@link #receive()}.
     *
     * @return the value
     * @throws IllegalStateException if the next message is not TEXT, or the session has no codec
     * @throws IllegalArgumentException if the codec cannot decode it
     */
    public Object receiveJson() {
        return ws.receiveJson(Object.class, 0);
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
        return type.cast(ws.receiveJson(type, 0));
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
        return ws.receiveJson(type, 0);
    }

    /**
     * Iterates over the messages until CLOSE, CLOSING or CLOSED: aiohttp's {@code async for msg in ws}.
     * Each {@code hasNext()} may suspend as {@link #receive()} does.
     *
     * @return the messages
     */
    @Override
    public Iterator<WSMessage> iterator() {
        return ws.iterator();
    }

    private interface Send {
        void run() throws IOException;
    }

    private void send(Send s) {
        try {
            s.run();
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    private ClientOSError writeFailed(IOException e) {
        return new ClientOSError("Cannot write to the WebSocket", url, e);
    }

    /**
     * Sends a text message: {@code await ws.send_str(data)}. Waits while the server reads slowly.
     *
     * <p><b>Cancellation:</b> suspends while the connection's buffer is full; the message was
     * handed to the transport already.
     *
     * @param text the text
     * @throws ClientOSError if the connection is closing or gone
     */
    public void sendStr(String text) {
        try { // not send(...): no capturing lambda per message
            ws.sendStr(text);
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    /**
     * Sends a binary message: {@code await ws.send_bytes(data)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param data the bytes
     * @throws ClientOSError if the connection is closing or gone
     */
    public void sendBytes(byte[] data) {
        try {
            ws.sendBytes(data);
        } catch (IOException e) {
            throw writeFailed(e);
        }
    }

    /**
     * Sends a value as JSON text with the session's codec: {@code await ws.send_json(data)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param value the value
     * @throws ClientOSError if the connection is closing or gone
     * @throws IllegalStateException if the session has no codec
     */
    public void sendJson(Object value) {
        send(() -> ws.sendJson(value));
    }

    /**
     * Sends one frame of any message type: {@code await ws.send_frame(message, opcode)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param data the payload
     * @param type TEXT, BINARY, PING, PONG or CLOSE
     * @throws ClientOSError if the connection is closing or gone
     * @throws IllegalArgumentException for another type, or a control payload over 125 bytes
     */
    public void sendFrame(byte[] data, WSMsgType type) {
        send(() -> ws.sendFrame(data, type));
    }

    /**
     * Sends a ping with an empty payload: {@code await ws.ping()}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @throws ClientOSError if the connection is closing or gone
     */
    public void ping() {
        ping(new byte[0]);
    }

    /**
     * Sends a ping: {@code await ws.ping(message)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param payload at most 125 bytes
     * @throws ClientOSError if the connection is closing or gone
     */
    public void ping(byte[] payload) {
        send(() -> ws.sendPing(payload));
    }

    /**
     * Sends a pong: {@code await ws.pong(message)}.
     *
     * <p><b>Cancellation:</b> as {@link #sendStr}.
     *
     * @param payload at most 125 bytes
     * @throws ClientOSError if the connection is closing or gone
     */
    public void pong(byte[] payload) {
        send(() -> ws.sendPong(payload));
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
     * Sends a close frame and waits, up to the close timeout, for the server's; then closes the
     * connection: {@code await ws.close(code=, message=)}. If the server's close frame came first,
     * it only answers.
     *
     * <p><b>Cancellation:</b> suspends while waiting for the server; cancelled, the connection is
     * aborted and the close code is 1006.
     *
     * @param code 1000-1003, 1007-1014 or 3000-4999
     * @param message the reason, at most 123 bytes of UTF-8
     * @return whether this call closed the WebSocket (false if it was closed already)
     * @throws IllegalArgumentException for a code that may not be sent, or a reason too long
     */
    public boolean close(int code, String message) {
        return ws.close(code, message);
    }

    /**
     * Returns whether the WebSocket is closed: {@code ws.closed}.
     *
     * @return whether {@link #close} ran, the server's close was answered, or the connection failed
     */
    public boolean closed() {
        return ws.closed();
    }

    /**
     * Returns the close code: {@code ws.close_code}.
     *
     * @return the code (the server's, or 1006 for an abnormal end), empty while open unless a
     *     {@link #receive()} timed out or was cancelled (then 1006, as in aiohttp)
     */
    public OptionalInt closeCode() {
        return ws.closeCode();
    }

    /**
     * Returns the error that ended the connection: {@code ws.exception()}.
     *
     * @return the error, or null
     */
    public Throwable exception() {
        return ws.exception();
    }

    /**
     * Returns the subprotocol the server chose among those offered: {@code ws.protocol}.
     *
     * @return the subprotocol, or null
     */
    public String protocol() {
        return ws.protocol();
    }

    /**
     * Returns whether permessage-deflate was agreed on: {@code ws.compress}.
     *
     * @return whether messages are compressed
     */
    public boolean compressed() {
        return ws.compressed();
    }

    /**
     * Returns the status of the handshake response (101).
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the headers of the handshake response.
     *
     * @return the headers, read-only
     */
    public Headers headers() {
        return headers;
    }

    /**
     * Returns the URL connected to: after redirects, the last one; a {@code ws://} or
     * {@code wss://} URL as the caller gave it (the handshake went as {@code http://} or
     * {@code https://}), as aiohttp's response reports it (aio4j-only as a method: aiohttp's
     * {@code ClientWebSocketResponse} keeps its handshake response private).
     *
     * @return the URL, with the fragment given, if any
     */
    public URI url() {
        return url;
    }

    /**
     * Returns e.g. {@code ClientWebSocketResponse[ws://h/ws, WebSocket[client, open, 0 queued]]}.
     *
     * @return the URL and the state
     */
    @Override
    public String toString() {
        return "ClientWebSocketResponse[" + url + ", " + ws + "]";
    }
}

package dev.aio4j.http.internal.ws;

import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.Headers;
import dev.aio4j.http.internal.Exchange;
import dev.aio4j.http.internal.HttpConnection;
import dev.aio4j.http.internal.MessageFraming;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.zip.Deflater;

/**
 * The client's side of the opening handshake (RFC 6455 section 4.1), the protocol part of
 * aiohttp's {@code ClientSession._ws_connect}: the upgrade fields the request carries, the checks
 * of the server's last answer, and the WebSocket put on the connection a {@code 101} left. How the
 * request is sent (the session's middlewares, redirects, traces, {@code raise_for_status}) is the
 * session's ({@code dev.aio4j.http.WsConnect}); this class never sends anything.
 *
 * <p>One instance per {@code wsConnect} call: it holds the {@code Sec-WebSocket-Key} it offered and
 * what it asked for (subprotocols, permessage-deflate).
 */
public final class ClientHandshake {
    private static final RandomGenerator KEYS = new SecureRandom();

    private final String key;
    private final List<String> protocols;
    private final boolean compress;
    private final int compressBits;
    private final String origin;

    /**
     * Prepares a handshake with a new random 16-byte key.
     *
     * @param protocols the subprotocols offered, in order; empty for none
     * @param origin the {@code Origin} field to send, or null for none
     * @param compress whether to offer permessage-deflate
     * @param compressBits the window bits of the offer (aiohttp's {@code compress=})
     */
    public ClientHandshake(List<String> protocols, String origin, boolean compress, int compressBits) {
        this.key = Handshake.newKey(KEYS);
        this.protocols = List.copyOf(protocols);
        this.origin = origin;
        this.compress = compress;
        this.compressBits = compressBits;
    }

    /**
     * Returns the upgrade fields of the request, a new {@link Headers} each call: {@code Upgrade},
     * {@code Connection}, {@code Sec-WebSocket-Version}, {@code Sec-WebSocket-Key}, and
     * {@code Sec-WebSocket-Protocol}, {@code Origin} and {@code Sec-WebSocket-Extensions} when asked
     * for (aiohttp's {@code real_headers}).
     *
     * @return the fields, which the caller's own headers then extend or replace
     */
    public Headers headers() {
        Headers h = new Headers();
        h.set("Upgrade", "websocket");
        h.set("Connection", "Upgrade");
        h.set("Sec-WebSocket-Version", "13");
        h.set("Sec-WebSocket-Key", key);
        if (!protocols.isEmpty()) {
            h.set("Sec-WebSocket-Protocol", String.join(",", protocols));
        }
        if (origin != null) {
            h.set("Origin", origin);
        }
        if (compress) {
            h.set("Sec-WebSocket-Extensions", DeflateNegotiation.clientOffer(false, false, compressBits));
        }
        return h;
    }

    /**
     * What the server agreed to.
     *
     * @param protocol the subprotocol it chose, or null for none
     * @param agreement the permessage-deflate parameters, or null without compression
     */
    public record Accepted(String protocol, DeflateNegotiation.Agreement agreement) {}

    /**
     * A handshake answer that fails the checks; the session turns it into a
     * {@code WSServerHandshakeError} of the response. Never leaves aio-http.
     */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /**
     * Checks the server's last answer, in aiohttp's order: the status, {@code Upgrade},
     * {@code Connection}, {@code Sec-WebSocket-Accept}, then the subprotocol and the extensions.
     *
     * @param status the response's status
     * @param response the response's fields
     * @param sentKey the {@code Sec-WebSocket-Key} the request went out with (a middleware may
     *     have replaced the offered one), or null to check against the offered key
     * @return what the server agreed to
     * @throws Refused with aiohttp's message ({@code Invalid response status}, ...) if a check fails;
     *     its cause is the extension negotiation's error where that failed, else null
     */
    public Accepted check(int status, Headers response, String sentKey) {
        if (status != 101) {
            throw new Refused("Invalid response status", null);
        }
        if (!response.getOrDefault("Upgrade", "").strip().equalsIgnoreCase("websocket")) {
            throw new Refused("Invalid upgrade header", null);
        }
        if (!MessageFraming.connectionHas(response, "upgrade")) {
            throw new Refused("Invalid connection header", null);
        }
        if (!Handshake.accept(sentKey == null ? key : sentKey).equals(response.getOrDefault("Sec-WebSocket-Accept", "").strip())) {
            throw new Refused("Invalid challenge response", null);
        }
        String protocol = null;
        for (String v : response.getAll("Sec-WebSocket-Protocol")) {
            for (String p : v.split(",")) {
                String name = p.strip();
                if (name.isEmpty()) {
                    continue;
                }
                // RFC 6455 section 4.1: a subprotocol the client did not offer fails the connection
                // (aiohttp ignores it, and would then speak a protocol the server did not choose).
                if (!protocols.contains(name)) {
                    throw new Refused("Invalid protocol response: the server chose " + Escaping.quote(name)
                            + ", which was not offered" + (protocols.isEmpty() ? " (no subprotocol was offered)"
                            : " (offered: " + String.join(", ", protocols) + ")"), null);
                }
                if (protocol == null) {
                    protocol = name;
                }
            }
        }
        DeflateNegotiation.Agreement agreement = null;
        List<String> ext = response.getAll("Sec-WebSocket-Extensions");
        if (!ext.isEmpty()) {
            if (!compress) {
                throw new Refused("Sec-WebSocket-Extensions in the response, but no extension was offered: "
                        + String.join(", ", ext), null);
            }
            try {
                agreement = DeflateNegotiation.acceptResponse(ext, false, compressBits);
            } catch (WebSocketHandshakeError e) {
                throw new Refused(e.getMessage(), e);
            }
        }
        return new Accepted(protocol, agreement);
    }

    /**
     * Puts the WebSocket on the connection of an accepted {@code 101}: takes the connection from
     * {@code exchange} (which ends it), makes the connection's transport speak to the WebSocket, and
     * hands it the bytes that came after the response head, and the end of the stream or the
     * failure the connection already had.
     *
     * @param loop the running loop
     * @param exchange the handshake's exchange, its head read
     * @param url the URL the WebSocket reports, for a read failure's message
     * @param accepted what {@link #check} returned
     * @param settings the WebSocket's settings
     * @param onClose run once when the WebSocket is done with the connection
     * @return the open WebSocket
     * @throws ClientOSError if the bytes already buffered cannot be read
     */
    public static WebSocketConnection open(EventLoop loop, Exchange exchange, URI url, Accepted accepted,
                                           WebSocketConnection.Settings settings, Runnable onClose) {
        byte[] rest = exchange.takeUpgraded();
        HttpConnection conn = exchange.connection();
        StreamReader in = conn.in();
        byte[] buffered = new byte[0];
        if (in.bufferSize() > 0) {
            try {
                buffered = in.read(in.bufferSize());
            } catch (IOException e) {
                throw new ClientOSError("cannot read the WebSocket's first frames", url, e);
            }
        }
        boolean eof = in.atEof();
        Throwable broken = in.exception();
        Transport transport = conn.out().transport();
        DeflateNegotiation.Agreement agreement = accepted.agreement();
        WebSocketConnection socket = new WebSocketConnection(loop, transport, Role.CLIENT,
                agreement == null ? null : agreement.codec(Role.CLIENT, Deflater.DEFAULT_COMPRESSION), accepted.protocol(),
                settings, onClose);
        transport.setProtocol(socket);
        if (rest.length > 0) {
            socket.dataReceived(rest);
        }
        if (buffered.length > 0) {
            socket.dataReceived(buffered);
        }
        if (broken instanceof Exception e) {
            socket.connectionLost(e);
        } else if (eof) {
            socket.eofReceived();
        }
        return socket;
    }
}

package dev.aio4j.http;

import dev.aio4j.http.internal.ws.MessageAssembler;
import dev.aio4j.loop.internal.Checks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One option of {@link ClientSession#wsConnect(String, WSConnectOption...)}: subprotocols,
 * heartbeat, timeouts, limits, compression, headers, or any {@link RequestOption} of the
 * handshake request.
 *
 * <pre>{@code
 * import static dev.aio4j.http.WSConnectOption.*;
 *
 * ClientWebSocketResponse ws = session.wsConnect("ws://127.0.0.1:8080/chat",
 *         protocols("chat"), heartbeat(30), compress(true), header("X-Room", "7"));
 * try {
 *     ws.sendStr("hello");
 *     System.out.println(ws.receiveStr());
 * } finally {
 *     ws.close();
 * }
 * }</pre>
 *
 * <p><b>aiohttp:</b> the keyword arguments of {@code ClientSession.ws_connect()}: {@code protocols},
 * {@code heartbeat}, {@code autoping}, {@code autoclose}, {@code receive_timeout},
 * {@code timeout=ClientWSTimeout(ws_close=)}, {@code max_msg_size}, {@code compress},
 * {@code headers}, {@code origin}, and (through {@link #request(RequestOption)}) {@code params},
 * {@code auth}, {@code proxy}. <b>Differences:</b> Java has no keyword arguments, so each is a
 * value made by a static factory, as {@link RequestOption} does for requests; {@code compress}
 * is {@link #compress(boolean)} or, with aiohttp's window bits, {@link #compress(int)}.
 *
 * @since 0.2
 */
public final class WSConnectOption {
    /** What the options of one call add up to. */
    static final class Spec {
        List<String> protocols = List.of();
        double heartbeat;
        boolean autoping = true;
        boolean autoclose = true;
        double receiveTimeout;
        double closeTimeout = 10.0;
        int maxMsgSize = MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE;
        boolean compress;
        int compressBits = 15;
        final Headers headers = new Headers();
        String origin;
        final List<RequestOption> requestOptions = new ArrayList<>();
    }

    private final Consumer<Spec> apply;

    private WSConnectOption(Consumer<Spec> apply) {
        this.apply = apply;
    }

    void applyTo(Spec spec) {
        apply.accept(spec);
    }

    /**
     * The subprotocols to offer, in order of preference (aiohttp's {@code protocols=}); the one
     * the server picks is {@link ClientWebSocketResponse#protocol()}.
     *
     * @param protocols the names
     * @return the option
     */
    public static WSConnectOption protocols(String... protocols) {
        List<String> p = List.of(protocols);
        for (String s : p) {
            Checks.token(s, "protocol");
        }
        return new WSConnectOption(s -> s.protocols = p);
    }

    /**
     * Sends a ping every {@code seconds} without incoming data and closes the connection (1006)
     * when nothing arrives within half that time after it (aiohttp's {@code heartbeat=}).
     *
     * @param seconds the interval, positive
     * @return the option
     */
    public static WSConnectOption heartbeat(double seconds) {
        double v = Checks.positive(seconds, "heartbeat");
        return new WSConnectOption(s -> s.heartbeat = v);
    }

    /**
     * {@link #heartbeat(double)} with a {@link Duration}.
     *
     * @param interval the interval, positive
     * @return the option
     * @throws IllegalArgumentException if not positive
     * @since 0.2
     */
    public static WSConnectOption heartbeat(Duration interval) {
        return heartbeat(Checks.seconds(interval, "heartbeat"));
    }

    /**
     * Whether pings are answered and pongs hidden from {@code receive()} (aiohttp's
     * {@code autoping=}, on by default).
     *
     * @param on whether to
     * @return the option
     */
    public static WSConnectOption autoping(boolean on) {
        return new WSConnectOption(s -> s.autoping = on);
    }

    /**
     * Whether the server's close frame is answered when {@code receive()} returns it (aiohttp's
     * {@code autoclose=}, on by default).
     *
     * @param on whether to
     * @return the option
     */
    public static WSConnectOption autoclose(boolean on) {
        return new WSConnectOption(s -> s.autoclose = on);
    }

    /**
     * How long {@code receive()} waits by default (aiohttp's {@code receive_timeout=}; none by default).
     *
     * @param seconds the timeout, positive
     * @return the option
     */
    public static WSConnectOption receiveTimeout(double seconds) {
        double v = Checks.positive(seconds, "receiveTimeout");
        return new WSConnectOption(s -> s.receiveTimeout = v);
    }

    /**
     * {@link #receiveTimeout(double)} with a {@link Duration}.
     *
     * @param timeout the timeout, positive
     * @return the option
     * @throws IllegalArgumentException if not positive
     * @since 0.2
     */
    public static WSConnectOption receiveTimeout(Duration timeout) {
        return receiveTimeout(Checks.seconds(timeout, "receiveTimeout"));
    }

    /**
     * How long {@code close()} waits for the server's close frame (aiohttp's
     * {@code ClientWSTimeout(ws_close=)}; 10 s by default).
     *
     * @param seconds the timeout, positive
     * @return the option
     */
    public static WSConnectOption closeTimeout(double seconds) {
        double v = Checks.positive(seconds, "closeTimeout");
        return new WSConnectOption(s -> s.closeTimeout = v);
    }

    /**
     * {@link #closeTimeout(double)} with a {@link Duration}.
     *
     * @param timeout the timeout, positive
     * @return the option
     * @throws IllegalArgumentException if not positive
     * @since 0.2
     */
    public static WSConnectOption closeTimeout(Duration timeout) {
        return closeTimeout(Checks.seconds(timeout, "closeTimeout"));
    }

    /**
     * The largest message accepted, before and after decompression (aiohttp's {@code max_msg_size=},
     * 4 MiB); a bigger one closes the connection with 1009.
     *
     * @param bytes the limit, positive (aiohttp's 0, "no limit", is not offered)
     * @return the option
     */
    public static WSConnectOption maxMsgSize(int bytes) {
        int v = Checks.positive(bytes, "maxMsgSize");
        return new WSConnectOption(s -> s.maxMsgSize = v);
    }

    /**
     * Whether to offer permessage-deflate (aiohttp's {@code compress=15}; off by default, as in aiohttp).
     *
     * @param on whether to
     * @return the option
     */
    public static WSConnectOption compress(boolean on) {
        return new WSConnectOption(s -> {
            s.compress = on;
            s.compressBits = 15;
        });
    }

    /**
     * Offers permessage-deflate asking the server to compress with a window of at most
     * {@code 2^windowBits} bytes: aiohttp's {@code compress=windowBits} ({@code 0} does not offer
     * it). Below 15 the offer carries {@code server_max_window_bits=windowBits}, and a server that
     * accepts must answer with that or less. Either way the offer carries
     * {@code client_max_window_bits}, so the server may also limit this client's window, which the
     * client honours (docs/websockets.md, "permessage-deflate"). aiohttp accepts 9 to 15; 8 is
     * allowed here too (RFC 7692 allows it).
     *
     * @param windowBits 0 (off), or 8 to 15
     * @return the option
     * @throws IllegalArgumentException if it is neither 0 nor 8 to 15
     */
    public static WSConnectOption compress(int windowBits) {
        if (windowBits != 0 && (windowBits < 8 || windowBits > 15)) {
            throw new IllegalArgumentException("compress takes 0 (off) or window bits 8 to 15, got " + windowBits);
        }
        return new WSConnectOption(s -> {
            s.compress = windowBits != 0;
            s.compressBits = windowBits == 0 ? 15 : windowBits;
        });
    }

    /**
     * One header of the handshake request; it replaces a default WebSocket header of the same name.
     *
     * @param name the field name
     * @param value the value
     * @return the option
     */
    public static WSConnectOption header(String name, String value) {
        Checks.notNull(name, "name");
        Checks.notNull(value, "value");
        return new WSConnectOption(s -> s.headers.set(name, value));
    }

    /**
     * Headers of the handshake request (aiohttp's {@code headers=}); each replaces a default
     * WebSocket header of the same name.
     *
     * @param headers the fields
     * @return the option
     */
    public static WSConnectOption headers(Headers headers) {
        Headers h = Headers.copyOf(Checks.notNull(headers, "headers"));
        return new WSConnectOption(s -> {
            for (String name : h.names()) {
                s.headers.remove(name);
            }
            s.headers.addAll(h);
        });
    }

    /**
     * The {@code Origin} header (aiohttp's {@code origin=}).
     *
     * @param origin e.g. {@code https://example.com}
     * @return the option
     */
    public static WSConnectOption origin(String origin) {
        Checks.notNull(origin, "origin");
        return new WSConnectOption(s -> s.origin = origin);
    }

    /**
     * A {@link RequestOption} for the handshake request: {@code params}, {@code auth},
     * {@code timeout}, {@code proxy}... (a body makes no sense on it).
     *
     * @param option the option
     * @return the option
     */
    public static WSConnectOption request(RequestOption option) {
        Checks.notNull(option, "option");
        return new WSConnectOption(s -> s.requestOptions.add(option));
    }
}

package dev.aio4j.http;

import dev.aio4j.http.internal.ws.Handshake;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handshake failures of {@link ClientSession#wsConnect}: mirrors the {@code test_ws_connect_err_*}
 * and {@code test_ws_connect_deflate_*_bad} tests of aiohttp's tests/test_client_ws.py, which mock
 * the response; here a raw scripted server sends it. In aiohttp each failure is a
 * {@code WSServerHandshakeError(resp.request_info, resp.history, message=..., status=resp.status,
 * headers=resp.headers)}: the error carries the handshake request, the status and the headers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientWsTest {

    /** A valid 101 for the key in {@code head}, with {@code extra} header lines. */
    private static String accept101(String head, String extra) {
        String key = head.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Key:", 0, 18))
                .map(l -> l.substring(18).strip()).findFirst().orElseThrow();
        return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                + Handshake.accept(key) + "\r\n" + extra + "\r\n";
    }

    /**
     * Connects to a server that answers the handshake with {@code answer(requestHead)}, expects a
     * {@link WSServerHandshakeError}, checks what every one of them carries, and returns it.
     */
    private static WSServerHandshakeError handshakeError(UnaryOperator<String> answer, WSConnectOption... options) throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            TestServers.write(out, answer.apply(TestServers.readHead(in)));
            in.readAllBytes();
        })) {
            WSConnectOption[] all = Arrays.copyOf(options, options.length + 1);
            all[options.length] = WSConnectOption.header("X-Trace", "t1");
            WSServerHandshakeError e = Aio.run(() -> {
                try (ClientSession s = ClientSession.create()) {
                    return assertThrows(WSServerHandshakeError.class, () -> s.wsConnect("ws://127.0.0.1:" + srv.port() + "/chat#room", all));
                }
            });
            RequestInfo info = e.requestInfo();
            assertNotNull(info, "aiohttp: resp.request_info");
            assertEquals("GET", info.method());
            // aiohttp sends the handshake to the ws:// URL itself: request_info.url keeps it
            assertEquals(URI.create(srv.url("/chat").replace("http://", "ws://")), info.url(), "the URL the caller gave");
            assertEquals(URI.create(srv.url("/chat#room").replace("http://", "ws://")), info.realUrl());
            assertEquals(info.realUrl(), e.url());
            assertEquals("t1", info.headers().get("X-Trace"));
            assertEquals("websocket", info.headers().get("Upgrade"));
            assertNotNull(info.headers().get("Sec-WebSocket-Key"));
            assertEquals(List.of(), e.history(), "aiohttp: resp.history");
            assertNotNull(e.headers(), "aiohttp: resp.headers");
            assertEquals(List.of(), srv.errors);
            return e;
        }
    }

    @Test
    void wsConnectErrStatus() throws Exception { // aiohttp: test_ws_connect_err_status
        WSServerHandshakeError e = handshakeError(head -> accept101(head, "Content-Length: 0\r\n")
                .replace("101 Switching Protocols", "500 Internal Server Error"));
        assertEquals("Invalid response status", e.message());
        assertEquals(500, e.status());
        assertEquals("websocket", e.headers().get("Upgrade"));
    }

    @Test
    void wsConnectErrUpgrade() throws Exception { // aiohttp: test_ws_connect_err_upgrade
        WSServerHandshakeError e = handshakeError(head -> accept101(head, "").replace("Upgrade: websocket", "Upgrade: test"));
        assertEquals("Invalid upgrade header", e.message());
        assertEquals(101, e.status());
        assertEquals("test", e.headers().get("Upgrade"));
    }

    @Test
    void wsConnectErrConn() throws Exception { // aiohttp: test_ws_connect_err_conn
        WSServerHandshakeError e = handshakeError(head -> accept101(head, "").replace("Connection: Upgrade", "Connection: close"));
        assertEquals("Invalid connection header", e.message());
        assertEquals(101, e.status());
        assertEquals("close", e.headers().get("Connection"));
    }

    @Test
    void wsConnectErrChallenge() throws Exception { // aiohttp: test_ws_connect_err_challenge
        WSServerHandshakeError e = handshakeError(head -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: upgrade\r\nSec-WebSocket-Accept: asdfasdfasdfasdfasdfasdf\r\n\r\n");
        assertEquals("Invalid challenge response", e.message());
        assertEquals(101, e.status());
        assertEquals("asdfasdfasdfasdfasdfasdf", e.headers().get("Sec-WebSocket-Accept"));
    }

    @Test
    void wsConnectDeflateServerExtBad() throws Exception { // aiohttp: test_ws_connect_deflate_server_ext_bad
        WSServerHandshakeError e = handshakeError(head -> accept101(head, "Sec-WebSocket-Extensions: permessage-deflate; bad\r\n"),
                WSConnectOption.compress(15));
        assertEquals(101, e.status());
        assertNotNull(e.getCause(), "the negotiation's error is kept, as aiohttp's raise ... from exc");
        assertEquals("permessage-deflate; bad", e.headers().get("Sec-WebSocket-Extensions"));
    }

    @Test
    void wsConnectDeflateClientWbitsBad() throws Exception { // aiohttp: test_ws_connect_deflate_client_wbits_bad
        WSServerHandshakeError e = handshakeError(head -> accept101(head,
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=6\r\n"), WSConnectOption.compress(15));
        assertEquals(101, e.status());
    }

    @Test
    void wsConnectProtocolNotOfferedCarriesTheRequest() throws Exception { // aio4j-only: RFC 6455 section 4.1 (aiohttp ignores it)
        WSServerHandshakeError e = handshakeError(head -> accept101(head, "Sec-WebSocket-Protocol: superchat\r\n"),
                WSConnectOption.protocols("chat"));
        assertTrue(e.message().startsWith("Invalid protocol response"), e.message());
        assertEquals("chat", e.requestInfo().headers().get("Sec-WebSocket-Protocol"));
    }

    @Test
    void wsConnectExtensionNotOfferedCarriesTheRequest() throws Exception { // aio4j-only
        WSServerHandshakeError e = handshakeError(head -> accept101(head, "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        assertTrue(e.message().contains("no extension was offered"), e.message());
        assertNull(e.requestInfo().headers().get("Sec-WebSocket-Extensions"));
        assertNull(e.getCause());
    }

    @Test
    void handshakeErrorMadeForARequest() { // aio4j-only: the constructor aiohttp's _ws_connect uses
        RequestInfo info = new RequestInfo(URI.create("http://h/ws"), "GET", Headers.of("Upgrade", "websocket"),
                URI.create("http://h/ws#x"));
        WSServerHandshakeError e = new WSServerHandshakeError(info, 403, "Invalid response status", List.of(URI.create("http://h/")),
                Headers.of("Server", "x"), null);
        assertSame(info, e.requestInfo());
        assertEquals(403, e.status());
        assertEquals(URI.create("http://h/ws#x"), e.url());
        assertEquals(List.of(URI.create("http://h/")), e.history());
        assertEquals("x", e.headers().get("Server"));
        assertEquals("403, message='Invalid response status', url=http://h/ws#x", e.getMessage());
        assertThrows(NullPointerException.class, () -> new WSServerHandshakeError(null, 403, "x", List.of(), null, null));
    }
}

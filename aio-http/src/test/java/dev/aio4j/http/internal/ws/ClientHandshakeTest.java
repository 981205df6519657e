package dev.aio4j.http.internal.ws;

import dev.aio4j.http.Headers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's side of the opening handshake without a socket ({@link ClientHandshake}): the
 * upgrade fields and the checks of the answer. Mirrors the handshake cases of aiohttp's
 * {@code tests/test_client_ws.py}, whose mocked responses become the fields given to
 * {@link ClientHandshake#check}; the session around it is {@code ClientWsTest}'s and
 * {@code ClientWsFunctionalTest}'s.
 */
class ClientHandshakeTest {
    private static final List<String> PROTOCOLS = List.of("t1", "t2", "chat");

    private static Headers answer(ClientHandshake h, String... more) {
        Headers r = Headers.of("Upgrade", "websocket", "Connection", "upgrade",
                "Sec-WebSocket-Accept", Handshake.accept(h.headers().get("Sec-WebSocket-Key")));
        for (int i = 0; i < more.length; i += 2) {
            r.set(more[i], more[i + 1]);
        }
        return r;
    }

    // aiohttp: test_ws_connect (the fields sent, and the protocol the server chose)
    @Test
    void offerFieldsAndTheProtocolChosen() {
        ClientHandshake h = new ClientHandshake(PROTOCOLS, null, false, 15);
        Headers f = h.headers();
        assertEquals("websocket", f.get("Upgrade"));
        assertEquals("Upgrade", f.get("Connection"));
        assertEquals("13", f.get("Sec-WebSocket-Version"));
        assertTrue(Handshake.isValidKey(f.get("Sec-WebSocket-Key")), f.get("Sec-WebSocket-Key"));
        assertEquals("t1,t2,chat", f.get("Sec-WebSocket-Protocol"));
        assertNull(f.get("Origin"));
        assertNull(f.get("Sec-WebSocket-Extensions"));
        assertEquals(f.get("Sec-WebSocket-Key"), h.headers().get("Sec-WebSocket-Key"), "one key per handshake");
        assertNotEquals(f.get("Sec-WebSocket-Key"), new ClientHandshake(PROTOCOLS, null, false, 15).headers()
                .get("Sec-WebSocket-Key"), "a fresh random key per handshake");
        ClientHandshake.Accepted a = h.check(101, answer(h, "Sec-WebSocket-Protocol", "chat"), null);
        assertEquals("chat", a.protocol());
        assertNull(a.agreement());
        assertNull(h.check(101, answer(h), null).protocol(), "the server may choose none");
    }

    // aiohttp: test_ws_connect_with_origin, test_ws_connect_deflate (the offer)
    @Test
    void originAndTheDeflateOffer() {
        Headers f = new ClientHandshake(List.of(), "http://example.com", true, 15).headers();
        assertEquals("http://example.com", f.get("Origin"));
        assertEquals(DeflateNegotiation.clientOffer(false, false, 15), f.get("Sec-WebSocket-Extensions"));
        assertNull(f.get("Sec-WebSocket-Protocol"));
    }

    // aiohttp: test_ws_connect_err_status, test_ws_connect_err_upgrade, test_ws_connect_err_conn,
    // test_ws_connect_err_challenge: the checks in that order, each with aiohttp's message
    @Test
    void refusalsInAiohttpsOrder() {
        ClientHandshake h = new ClientHandshake(PROTOCOLS, null, false, 15);
        assertEquals("Invalid response status", assertThrows(ClientHandshake.Refused.class,
                () -> h.check(500, Headers.of(), null)).getMessage(), "the status first, whatever the fields");
        assertEquals("Invalid upgrade header", assertThrows(ClientHandshake.Refused.class,
                () -> h.check(101, answer(h, "Upgrade", "test"), null)).getMessage());
        assertEquals("Invalid connection header", assertThrows(ClientHandshake.Refused.class,
                () -> h.check(101, answer(h, "Connection", "close"), null)).getMessage());
        ClientHandshake.Refused challenge = assertThrows(ClientHandshake.Refused.class,
                () -> h.check(101, answer(h, "Sec-WebSocket-Accept", "asdfasdfasdfasdfsadf"), null));
        assertEquals("Invalid challenge response", challenge.getMessage());
        assertNull(challenge.getCause());
    }

    // aio4j-only: the key the request went out with (a middleware may have replaced the offered
    // one) is the one the answer must match
    @Test
    void theKeySentIsTheOneChecked() {
        ClientHandshake h = new ClientHandshake(List.of(), null, false, 15);
        String other = "dGhlIHNhbXBsZSBub25jZQ==";
        Headers forOther = answer(h, "Sec-WebSocket-Accept", Handshake.accept(other));
        assertNotNull(h.check(101, forOther, other));
        assertThrows(ClientHandshake.Refused.class, () -> h.check(101, forOther, null));
    }

    // aiohttp: test_ws_connect_non_overlapped_protocols accepts a subprotocol not offered (and
    // leaves protocol None); aio4j refuses it, as RFC 6455 section 4.1 says
    @Test
    void aSubprotocolNotOfferedIsRefused() {
        ClientHandshake h = new ClientHandshake(PROTOCOLS, null, false, 15);
        assertEquals("Invalid protocol response: the server chose \"other\", which was not offered (offered: t1, t2, chat)",
                assertThrows(ClientHandshake.Refused.class,
                        () -> h.check(101, answer(h, "Sec-WebSocket-Protocol", "other"), null)).getMessage());
        ClientHandshake none = new ClientHandshake(List.of(), null, false, 15);
        assertTrue(assertThrows(ClientHandshake.Refused.class,
                () -> none.check(101, answer(none, "Sec-WebSocket-Protocol", "chat"), null)).getMessage()
                .endsWith("(no subprotocol was offered)"));
    }

    // aiohttp: test_ws_connect_deflate (agreed), test_ws_connect_deflate_server_not_support (none),
    // test_ws_connect_deflate_client_wbits_bad (a refused answer, the negotiation's error its cause)
    @Test
    void deflateAnswers() {
        ClientHandshake h = new ClientHandshake(List.of(), null, true, 15);
        ClientHandshake.Accepted a = h.check(101, answer(h, "Sec-WebSocket-Extensions", "permessage-deflate"), null);
        assertNotNull(a.agreement());
        assertNull(h.check(101, answer(h), null).agreement(), "the server may decline");
        ClientHandshake.Refused bad = assertThrows(ClientHandshake.Refused.class, () -> h.check(101,
                answer(h, "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits=6"), null));
        assertInstanceOf(WebSocketHandshakeError.class, bad.getCause());
        assertEquals(bad.getCause().getMessage(), bad.getMessage());
        ClientHandshake plain = new ClientHandshake(List.of(), null, false, 15);
        assertEquals("Sec-WebSocket-Extensions in the response, but no extension was offered: permessage-deflate",
                assertThrows(ClientHandshake.Refused.class, () -> plain.check(101,
                        answer(plain, "Sec-WebSocket-Extensions", "permessage-deflate"), null)).getMessage());
    }
}

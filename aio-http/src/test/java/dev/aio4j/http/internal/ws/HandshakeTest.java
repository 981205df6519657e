package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The opening handshake's computations ({@link Handshake}) and the permessage-deflate negotiation
 * ({@link DeflateNegotiation}). Mirrors the handshake parts of aiohttp's
 * {@code tests/test_websocket_handshake.py} and the extension tests of
 * {@code tests/test_websocket_parser.py} ({@code ws_ext_parse}/{@code ws_ext_gen}), written from
 * RFC 6455 section 4 and RFC 7692 section 7.
 */
class HandshakeTest {
    @Test
    void acceptFromTheRfcExampleKey() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void keyValidation() {
        assertTrue(Handshake.isValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
        assertTrue(Handshake.isValidKey(" dGhlIHNhbXBsZSBub25jZQ== "), "surrounding whitespace is not part of a field value");
        assertFalse(Handshake.isValidKey(null));
        assertFalse(Handshake.isValidKey(""));
        assertFalse(Handshake.isValidKey("dGhlIHNhbXBsZSBub25jZQ"), "unpadded");
        assertFalse(Handshake.isValidKey("dGhlIHNhbXBsZSBub25jZXg="), "17 bytes");
        assertFalse(Handshake.isValidKey("dGhlIHNhbXBsZSBub25j!Q=="), "not base64");
        assertFalse(Handshake.isValidKey("aGVsbG8="), "5 bytes");
        Random r = new Random(16);
        for (int i = 0; i < 100; i++) {
            String key = Handshake.newKey(r::nextInt);
            assertTrue(Handshake.isValidKey(key), key);
        }
    }

    @Test
    void serverPicksTheFirstProtocolOfTheClientsOfferThatItSpeaks() { // aiohttp's web_ws._handshake loop
        assertEquals("superchat", Handshake.selectProtocol(List.of("chat", "superchat"), List.of("superchat, chat")));
        assertEquals("chat", Handshake.selectProtocol(List.of("superchat", "chat"), List.of("chat", "superchat")));
        assertEquals("worse_proto", Handshake.selectProtocol(List.of("best", "chat", "worse_proto"), List.of("worse_proto,chat")));
        assertEquals("chat", Handshake.selectProtocol(List.of("chat"), List.of("", " ,v9", "chat")));
        assertEquals("v2", Handshake.selectProtocol(List.of("v2"), List.of("v1,v2 , v3")));
        assertNull(Handshake.selectProtocol(List.of("v2"), List.of("v1")));
        assertNull(Handshake.selectProtocol(List.of("v2"), null));
        assertNull(Handshake.selectProtocol(List.of(), List.of("v1")));
    }

    // permessage-deflate, server side

    private static DeflateNegotiation.Agreement negotiate(String offer) {
        return DeflateNegotiation.negotiate(List.of(offer), false);
    }

    @Test
    void plainOfferIsAccepted() {
        DeflateNegotiation.Agreement a = negotiate("permessage-deflate");
        assertEquals(new DeflateNegotiation.Agreement(false, false, "permessage-deflate"), a);
    }

    @Test
    void contextTakeoverParametersAreHonouredAndEchoed() {
        assertEquals(new DeflateNegotiation.Agreement(true, true,
                        "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
                negotiate("permessage-deflate; client_no_context_takeover; server_no_context_takeover"));
        assertEquals(new DeflateNegotiation.Agreement(true, false, "permessage-deflate; server_no_context_takeover"),
                DeflateNegotiation.negotiate(List.of("permessage-deflate"), true), "the server may ask for it itself");
    }

    @Test
    void serverWindowBits8To15AreAcceptedEchoedAndGivenToTheServersCompressor() {
        for (int bits = 8; bits <= 15; bits++) {
            DeflateNegotiation.Agreement a = negotiate("permessage-deflate; server_max_window_bits=" + bits);
            assertEquals(new DeflateNegotiation.Agreement(false, false, bits, 15, "permessage-deflate; server_max_window_bits=" + bits), a);
            try (PerMessageDeflate server = a.codec(Role.SERVER, -1); PerMessageDeflate client = a.codec(Role.CLIENT, -1)) {
                assertEquals(bits, server.compressorWindowBits());
                assertEquals(15, client.compressorWindowBits());
            }
        }
        assertEquals("permessage-deflate; server_max_window_bits=15", negotiate("permessage-deflate; server_max_window_bits=15")
                .responseHeader());
        assertEquals("permessage-deflate; server_max_window_bits=15", negotiate("permessage-deflate; server_max_window_bits=\"15\"")
                .responseHeader(), "a quoted token is the same value");
    }

    @Test
    void clientWindowBitsAreAcceptedSinceInflaterTakesAnyWindow() {
        assertEquals("permessage-deflate", negotiate("permessage-deflate; client_max_window_bits").responseHeader());
        assertEquals("permessage-deflate", negotiate("permessage-deflate; client_max_window_bits=9").responseHeader());
    }

    @Test
    void invalidOffersAreDeclinedAndTheNextOneTried() {
        assertNull(negotiate("permessage-deflate; server_max_window_bits"), "the server's value is required");
        assertNull(negotiate("permessage-deflate; client_max_window_bits=7"));
        assertNull(negotiate("permessage-deflate; client_max_window_bits=16"));
        assertNull(negotiate("permessage-deflate; client_max_window_bits=010"));
        assertNull(negotiate("permessage-deflate; server_no_context_takeover; server_no_context_takeover"));
        assertNull(negotiate("permessage-deflate; server_no_context_takeover=1"));
        assertNull(negotiate("permessage-deflate; mystery"));
        assertNull(negotiate("x-webkit-deflate-frame"));
        assertNull(negotiate("permessage-deflate; =15"), "malformed header");
        assertNull(negotiate("permessage-deflate; a=\"unterminated"));
        assertNull(DeflateNegotiation.negotiate(null, false));
        assertNull(negotiate("permessage-deflate; server_max_window_bits=8; server_max_window_bits=8"));
        assertEquals("permessage-deflate; client_no_context_takeover",
                negotiate("permessage-deflate; server_max_window_bits=7, foo, permessage-deflate; client_no_context_takeover")
                        .responseHeader());
        assertEquals("permessage-deflate", DeflateNegotiation.negotiate(List.of("foo; bar=\"baz\"", "permessage-deflate"), false)
                .responseHeader(), "several header lines");
    }

    // permessage-deflate, client side

    @Test
    void clientOfferLetsTheServerPickTheClientWindowAsAiohttpDoes() {
        assertEquals("permessage-deflate; client_max_window_bits", DeflateNegotiation.clientOffer(false, false));
        assertEquals("permessage-deflate; client_max_window_bits; client_no_context_takeover; server_no_context_takeover",
                DeflateNegotiation.clientOffer(true, true));
        assertEquals("permessage-deflate; client_max_window_bits; server_max_window_bits=9",
                DeflateNegotiation.clientOffer(false, false, 9));
        assertThrows(IllegalArgumentException.class, () -> DeflateNegotiation.clientOffer(false, false, 7));
        assertThrows(IllegalArgumentException.class, () -> DeflateNegotiation.clientOffer(false, false, 16));
    }

    @Test
    void clientHonoursTheClientWindowOfTheResponse() {
        for (int bits = 8; bits <= 15; bits++) {
            DeflateNegotiation.Agreement a = DeflateNegotiation.acceptResponse(
                    List.of("permessage-deflate; client_max_window_bits=" + bits), false);
            assertEquals(bits, a.clientMaxWindowBits());
            try (PerMessageDeflate client = a.codec(Role.CLIENT, -1)) {
                assertEquals(bits, client.compressorWindowBits());
            }
        }
        assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate; client_max_window_bits"), false),
                "a response must give the client's window a value (RFC 7692 section 7.1.2.2)");
    }

    @Test
    void clientChecksTheServerWindowItAskedFor() {
        assertEquals(10, DeflateNegotiation.acceptResponse(List.of("permessage-deflate; server_max_window_bits=10"), false, 10)
                .serverMaxWindowBits());
        assertEquals(9, DeflateNegotiation.acceptResponse(List.of("permessage-deflate; server_max_window_bits=9"), false, 10)
                .serverMaxWindowBits(), "a smaller window than asked for is fine");
        WebSocketHandshakeError missing = assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate"), false, 10));
        assertEquals("the server's permessage-deflate response must answer server_max_window_bits=10 with"
                + " server_max_window_bits of at most that, got \"permessage-deflate\"", missing.getMessage());
        assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate; server_max_window_bits=11"), false, 10));
        assertNull(DeflateNegotiation.acceptResponse(List.of(), false, 10), "declining the extension is always allowed");
    }

    @Test
    void clientAcceptsValidResponses() {
        assertNull(DeflateNegotiation.acceptResponse(null, false));
        assertNull(DeflateNegotiation.acceptResponse(List.of(), false));
        assertEquals(new DeflateNegotiation.Agreement(false, false, "permessage-deflate"),
                DeflateNegotiation.acceptResponse(List.of("permessage-deflate"), false));
        DeflateNegotiation.Agreement a = DeflateNegotiation.acceptResponse(
                List.of("permessage-deflate; server_no_context_takeover; server_max_window_bits=9"), true);
        assertTrue(a.serverNoContextTakeover());
        assertTrue(a.clientNoContextTakeover(), "the client keeps its own promise");
        assertTrue(DeflateNegotiation.acceptResponse(List.of("permessage-deflate; client_no_context_takeover"), false)
                .clientNoContextTakeover(), "the server may ask the client not to take over context");
    }

    @Test
    void clientRefusesBadResponses() {
        WebSocketHandshakeError e = assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate; client_max_window_bits=7"), false));
        assertEquals("the server's permessage-deflate response has a parameter that is unknown, repeated or malformed"
                + " (window bits must be 8 to 15): \"client_max_window_bits=7\"", e.getMessage());
        assertThrows(WebSocketHandshakeError.class, () -> DeflateNegotiation.acceptResponse(List.of("x-other"), false));
        assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate", "permessage-deflate"), false));
        assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate; server_max_window_bits=20"), false));
        assertThrows(WebSocketHandshakeError.class,
                () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate; server_no_context_takeover; server_no_context_takeover"), false));
        assertThrows(WebSocketHandshakeError.class, () -> DeflateNegotiation.acceptResponse(List.of("permessage-deflate;"), false));
    }

    @Test
    void agreementGivesEachEndItsCodec() {
        DeflateNegotiation.Agreement a = new DeflateNegotiation.Agreement(true, false, "permessage-deflate; server_no_context_takeover");
        try (PerMessageDeflate server = a.codec(Role.SERVER, -1); PerMessageDeflate client = a.codec(Role.CLIENT, -1)) {
            assertEquals("PerMessageDeflate[compressor no_context_takeover, window bits 15, decompressor context_takeover]",
                    server.toString());
            assertEquals("PerMessageDeflate[compressor context_takeover, window bits 15, decompressor no_context_takeover]",
                    client.toString());
        }
    }
}

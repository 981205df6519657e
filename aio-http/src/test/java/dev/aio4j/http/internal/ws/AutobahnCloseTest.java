package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.aio4j.http.internal.ws.RecordingEndpoint.concat;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.hex;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the Autobahn testsuite's case group 7 (close handling) at the codec level: what a close
 * frame delivers, that nothing after it is parsed (7.1), which close payloads are refused (7.3,
 * 7.5) and which status codes are valid (7.7) or not (7.9, 7.13). Also the building of close
 * payloads ({@link CloseStatus#payload}). Written from the case descriptions.
 */
class AutobahnCloseTest {
    private static final int TEXT = 1;
    private static final int CLOSE = 8;
    private static final int PING = 9;

    private static byte[] code(int code, String reasonHex) {
        return concat(new byte[] {(byte) (code >> 8), (byte) code}, hex(reasonHex));
    }

    // 7.1: close frames and what follows them.

    @Test
    void case7_1_1_textThenClose() {
        RecordingEndpoint ep = server();
        ep.feed(concat(ep.peer(true, TEXT, "Hello World!"), ep.peer(true, CLOSE, code(1000, ""))));
        assertEquals(List.of("text Hello World!", "close 1000"), ep.events);
        assertTrue(ep.parser.closed());
    }

    @Test
    void case7_1_2_closeTwiceSecondIgnored() {
        RecordingEndpoint ep = server();
        byte[] close = ep.peer(true, CLOSE, code(1000, ""));
        byte[] wire = concat(close, close);
        assertEquals(close.length, ep.parser.feed(wire, 0, wire.length), "nothing after the first close is parsed");
        assertEquals(List.of("close 1000"), ep.events);
    }

    @Test
    void case7_1_3_pingAfterCloseIgnored() {
        RecordingEndpoint ep = server();
        ep.feed(concat(ep.peer(true, CLOSE, code(1000, "")), ep.peer(true, PING, "Hello World!")));
        assertEquals(List.of("close 1000"), ep.events);
    }

    @Test
    void case7_1_4_textAfterCloseIgnored() {
        RecordingEndpoint ep = server();
        ep.feed(concat(ep.peer(true, CLOSE, code(1000, "")), ep.peer(true, TEXT, "Hello World!")));
        assertEquals(List.of("close 1000"), ep.events);
    }

    @Test
    void case7_1_5_closeInsideFragmentedMessage() {
        RecordingEndpoint ep = server();
        ep.feed(concat(ep.peer(false, TEXT, "fragment1"), ep.peer(true, CLOSE, code(1000, "")), ep.peer(true, 0, "fragment2")));
        assertEquals(List.of("close 1000"), ep.events, "the unfinished message is never delivered");
    }

    @Test
    void case7_1_6_largeTextThenCloseThenPing() {
        RecordingEndpoint ep = server();
        String big = "BAsd7&jh23".repeat(256 * 1024 / 10);
        ep.feedChopped(1000, ep.peer(true, TEXT, big), ep.peer(true, CLOSE, code(1000, "")), ep.peer(true, PING, "Hello World!"));
        assertEquals(List.of("text " + big.length() + " chars", "close 1000"), ep.events);
    }

    // 7.3: close payloads.

    @Test
    void case7_3_1_closeEmpty() {
        RecordingEndpoint ep = server();
        ep.feed(ep.peer(true, CLOSE, new byte[0]));
        assertEquals(List.of("close 1005"), ep.events, "an empty close means 'no status received' (1005)");
    }

    @Test
    void case7_3_2_closeOneBytePayload() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, ep.peer(true, CLOSE, hex("00")));
        assertEquals("close frame with a 1-byte payload; it must be empty or hold a 2-byte status code"
                + " (RFC 6455 section 5.5.1): \"\\x00\" (close code 1002)", e.getMessage());
    }

    @Test
    void case7_3_3_closeWithCodeOnly() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("close 1000"), ep.feed(ep.peer(true, CLOSE, code(1000, ""))).events);
    }

    @Test
    void case7_3_4_closeWithCodeAndReason() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("close 1000 Hello World!"),
                ep.feed(ep.peer(true, CLOSE, CloseStatus.payload(1000, "Hello World!"))).events);
    }

    @Test
    void case7_3_5_closeWith123ByteReason() {
        RecordingEndpoint ep = server();
        String reason = "*".repeat(123);
        ep.feed(ep.peer(true, CLOSE, CloseStatus.payload(1000, reason)));
        assertEquals(List.of("close 1000 " + reason), ep.events);
    }

    @Test
    void case7_3_6_closePayload126() {
        RecordingEndpoint ep = server();
        ep.fails(1002, ep.peer(true, CLOSE, concat(code(1000, ""), "*".repeat(124).getBytes())));
    }

    // 7.5: the reason must be valid UTF-8.

    @Test
    void case7_5_1_closeInvalidUtf8Reason() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1007, ep.peer(true, CLOSE, code(1000, "cebae1bdb9cf83cebcceb5eda080656469746564")));
        assertEquals("close frame with a reason that is not valid UTF-8 (RFC 6455 section 5.5.1): "
                + "\"\\xce\\xba\\xe1\\xbd\\xb9\\xcf\\x83\\xce\\xbc\\xce\\xb5\\xed\\xa0\\x80edited\" (close code 1007)", e.getMessage());
    }

    // 7.7: valid codes are accepted; 7.9 and 7.13: invalid ones fail with 1002.

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
    void case7_7_validCloseCodes(int code) {
        RecordingEndpoint ep = server();
        assertEquals(List.of("close " + code), ep.feed(ep.peer(true, CLOSE, code(code, ""))).events);
        assertArrayEquals(code(code, ""), CloseStatus.payload(code, null));
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {1012, 1013, 1014})
    void closeCodesRegisteredSinceRfc6455AreValid(int code) { // aio4j-only: IANA registered these after Autobahn's list
        RecordingEndpoint ep = server();
        assertEquals(List.of("close " + code), ep.feed(ep.peer(true, CLOSE, code(code, ""))).events);
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999})
    void case7_9_invalidCloseCodes(int code) {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, ep.peer(true, CLOSE, code(code, "")));
        assertEquals("close frame with status code " + code + ", which may not be sent (RFC 6455 section 7.4; valid:"
                + " 1000-1003, 1007-1014, 3000-4999) (close code 1002)", e.getMessage());
        if (code != CloseStatus.NO_STATUS) { // 1005 builds the empty payload; see closePayloadLimitsAndNoStatus
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> CloseStatus.payload(code, "x"));
            assertEquals("close code must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 section 7.4), got " + code, b.getMessage());
        }
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {5000, 65535})
    void case7_13_closeCodesAbove4999(int code) {
        RecordingEndpoint ep = server();
        ep.fails(1002, ep.peer(true, CLOSE, code(code, "")));
    }

    // Building close frames. aio4j-only.

    @Test
    void closePayloadLimitsAndNoStatus() {
        assertArrayEquals(new byte[0], CloseStatus.payload(CloseStatus.NO_STATUS, null));
        assertArrayEquals(new byte[0], new CloseStatus(CloseStatus.NO_STATUS, null).payload());
        assertEquals("close reason needs a status code, got code 1005 (no status) with reason \"x\"",
                assertThrows(IllegalArgumentException.class, () -> CloseStatus.payload(1005, "x")).getMessage());
        assertEquals(125, CloseStatus.payload(1000, "\u00e9".repeat(61) + "a").length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloseStatus.payload(1000, "\u00e9".repeat(62)));
        assertTrue(e.getMessage().startsWith("close reason must be at most 123 bytes of UTF-8, got 124: "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CloseStatus.payload(1000, "\udc00"));
    }

    @Test
    void writerBuildsCloseFrames() {
        byte[] frame = new FrameWriter(Role.SERVER, null).close(1001, "going");
        assertArrayEquals(hex("880703e9676f696e67"), frame);
        RecordingEndpoint client = new RecordingEndpoint(Role.CLIENT);
        assertEquals(List.of("close 1001 going"), client.feed(frame).events);
    }
}

package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.aio4j.http.internal.ws.RecordingEndpoint.concat;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.server;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the Autobahn testsuite's case groups 1 (framing), 2 (pings and pongs), 3 (reserved bits),
 * 4 (opcodes) and 5 (fragmentation), at the frame and message level: each test sends what the
 * fuzzing client sends to a server and checks what the server's codec delivers, or that it fails
 * the connection with the close code Autobahn expects. Written from the case descriptions
 * ({@code autobahntestsuite/case/case*.py}); "chopped" sends become small {@code feed} chunks.
 */
class AutobahnFramingTest {
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    private static void textOfLength(int length, int chop) {
        RecordingEndpoint ep = server();
        String text = repeat('*', length);
        byte[] frame = ep.peer(true, TEXT, text);
        if (chop > 0) {
            ep.feedChopped(chop, frame);
        } else {
            ep.feed(frame);
        }
        assertEquals(List.of("text " + RecordingEndpoint.summary(text)), ep.events);
        assertArrayEquals(utf8(text), ep.payloads.get(0));
    }

    private static void binaryOfLength(int length, int chop) {
        RecordingEndpoint ep = server();
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) 0xfe);
        byte[] frame = ep.peer(true, BINARY, data);
        if (chop > 0) {
            ep.feedChopped(chop, frame);
        } else {
            ep.feed(frame);
        }
        assertEquals(1, ep.events.size());
        assertArrayEquals(data, ep.payloads.get(0));
    }

    // 1.1: text messages of growing length; 1.2: the same as binary.

    @Test void case1_1_1_textEmpty() { textOfLength(0, 0); }
    @Test void case1_1_2_text125() { textOfLength(125, 0); }
    @Test void case1_1_3_text126() { textOfLength(126, 0); }
    @Test void case1_1_4_text127() { textOfLength(127, 0); }
    @Test void case1_1_5_text128() { textOfLength(128, 0); }
    @Test void case1_1_6_text65535() { textOfLength(65535, 0); }
    @Test void case1_1_7_text65536() { textOfLength(65536, 0); }
    @Test void case1_1_8_text65536Chopped997() { textOfLength(65536, 997); }
    @Test void case1_2_1_binaryEmpty() { binaryOfLength(0, 0); }
    @Test void case1_2_2_binary125() { binaryOfLength(125, 0); }
    @Test void case1_2_3_binary126() { binaryOfLength(126, 0); }
    @Test void case1_2_4_binary127() { binaryOfLength(127, 0); }
    @Test void case1_2_5_binary128() { binaryOfLength(128, 0); }
    @Test void case1_2_6_binary65535() { binaryOfLength(65535, 0); }
    @Test void case1_2_7_binary65536() { binaryOfLength(65536, 0); }
    @Test void case1_2_8_binary65536Chopped997() { binaryOfLength(65536, 997); }

    // 2: pings and pongs.

    @Test
    void case2_1_pingEmpty() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("ping "), ep.feed(ep.peer(true, PING, new byte[0])).events);
    }

    @Test
    void case2_2_pingSmallText() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("ping 48656c6c6f2c20776f726c6421"), ep.feed(ep.peer(true, PING, "Hello, world!")).events);
    }

    @Test
    void case2_3_pingSmallBinary() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("ping 0000fffe"), ep.feed(ep.peer(true, PING, new byte[] {0, 0, -1, -2})).events);
    }

    @Test
    void case2_4_ping125() {
        RecordingEndpoint ep = server();
        byte[] payload = new byte[125];
        Arrays.fill(payload, (byte) 0xfe);
        ep.feed(ep.peer(true, PING, payload));
        assertArrayEquals(payload, ep.payloads.get(0));
    }

    @Test
    void case2_5_pingOver125() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, ep.peer(true, PING, new byte[126]));
        assertEquals("PING frame longer than 125 bytes; control frames carry at most 125 (RFC 6455 section 5.5)"
                + " (close code 1002)", e.getMessage());
    }

    @Test
    void case2_6_ping125ChoppedIntoOctets() {
        RecordingEndpoint ep = server();
        byte[] payload = new byte[125];
        Arrays.fill(payload, (byte) 0xfe);
        ep.feedChopped(1, ep.peer(true, PING, payload));
        assertArrayEquals(payload, ep.payloads.get(0));
    }

    @Test
    void case2_7_unsolicitedPongEmpty() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("pong "), ep.feed(ep.peer(true, PONG, new byte[0])).events);
    }

    @Test
    void case2_8_unsolicitedPongWithPayload() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("pong 756e736f6c6963697465642070"), ep.feed(ep.peer(true, PONG, "unsolicited p")).events);
    }

    @Test
    void case2_9_unsolicitedPongThenPing() {
        RecordingEndpoint ep = server();
        ep.feed(concat(ep.peer(true, PONG, "x"), ep.peer(true, PING, "y")));
        assertEquals(List.of("pong 78", "ping 79"), ep.events);
    }

    @Test
    void case2_10_tenPings() {
        RecordingEndpoint ep = server();
        for (int i = 0; i < 10; i++) {
            ep.feed(ep.peer(true, PING, "payload-" + i));
        }
        assertEquals(10, ep.events.size());
        assertEquals("ping " + java.util.HexFormat.of().formatHex(utf8("payload-9")), ep.events.get(9));
    }

    @Test
    void case2_11_tenPingsChoppedIntoOctets() {
        RecordingEndpoint ep = server();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(ep.peer(true, PING, "payload-" + i));
        }
        ep.feedChopped(1, frames.toArray(byte[][]::new));
        assertEquals(10, ep.events.size());
    }

    // 3: reserved bits without a negotiated extension. Messages before the bad frame are delivered.
    // Autobahn numbers the three bits as one value, RSV1 RSV2 RSV3 from high to low: "RSV = 1" is RSV3,
    // "RSV = 4" is RSV1 (FrameWriter's rsv argument is the same value).

    @Test
    void case3_1_rsv1WithoutExtension() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, ep.peer(true, 1, TEXT, utf8("Hello, world!")));
        assertEquals("RSV2 or RSV3 set in a TEXT frame, but no extension that defines them was negotiated"
                + " (RFC 6455 section 5.2) (close code 1002)", e.getMessage());
    }

    @Test
    void case3_2_rsv2AfterValidText() {
        RecordingEndpoint ep = server();
        ep.fails(1002, concat(ep.peer(true, TEXT, "Hello, world!"), ep.peer(true, 2, TEXT, utf8("Hello, world!"))));
        assertEquals(List.of("text Hello, world!"), ep.events);
    }

    @Test
    void case3_3_rsv3AfterValidTextChopped() {
        RecordingEndpoint ep = server();
        ep.failsChopped(1002, 1, ep.peer(true, TEXT, "Hello, world!"), ep.peer(true, 3, TEXT, utf8("Hello, world!")),
                ep.peer(true, PING, new byte[0]));
        assertEquals(List.of("text Hello, world!"), ep.events, "the ping after the bad frame is never seen");
    }

    @Test
    void case3_4_rsv4TextThenPing() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, concat(ep.peer(true, TEXT, "Hello, world!"), ep.peer(true, 4, TEXT, utf8("Hello, world!")),
                ep.peer(true, PING, new byte[0])));
        assertEquals(List.of("text Hello, world!"), ep.events);
        assertEquals("RSV1 set in a TEXT frame, but permessage-deflate was not negotiated (RFC 6455 section 5.2)"
                + " (close code 1002)", e.getMessage());
    }

    @Test
    void case3_5_rsv5Binary() {
        RecordingEndpoint ep = server();
        ep.fails(1002, ep.peer(true, 5, BINARY, new byte[] {0, -1, -2}));
    }

    @Test
    void case3_6_rsv6Ping() {
        RecordingEndpoint ep = server();
        ep.fails(1002, ep.peer(true, 6, PING, utf8("Hello, world!")));
    }

    @Test
    void case3_7_rsv7Close() {
        RecordingEndpoint ep = server();
        ep.fails(1002, ep.peer(true, 7, CLOSE, CloseStatus.payload(1000, null)));
        assertEquals(List.of(), ep.events);
    }

    // 4.1: reserved non-control opcodes 3-7; 4.2: reserved control opcodes 11-15.

    private static void reservedOpcode(int opcode, boolean withPayload, boolean afterText) {
        RecordingEndpoint ep = server();
        byte[] bad = ep.peer(true, opcode, withPayload ? utf8("reserved opcode") : new byte[0]);
        byte[] wire = afterText ? concat(ep.peer(true, TEXT, "Hello, world!"), bad, ep.peer(true, PING, new byte[0])) : bad;
        WebSocketProtocolError e = ep.fails(1002, wire);
        assertTrue(e.getMessage().startsWith("reserved opcode 0x" + Integer.toHexString(opcode)), e.getMessage());
        assertEquals(afterText ? List.of("text Hello, world!") : List.of(), ep.events);
    }

    @Test void case4_1_1_reservedOpcode3() { reservedOpcode(3, false, false); }
    @Test void case4_1_2_reservedOpcode4WithPayload() { reservedOpcode(4, true, false); }
    @Test void case4_1_3_reservedOpcode5AfterText() { reservedOpcode(5, false, true); }
    @Test void case4_1_4_reservedOpcode6WithPayloadAfterText() { reservedOpcode(6, true, true); }
    @Test void case4_1_5_reservedOpcode7WithPayloadAfterText() { reservedOpcode(7, true, true); }
    @Test void case4_2_1_reservedOpcode11() { reservedOpcode(11, false, false); }
    @Test void case4_2_2_reservedOpcode12WithPayload() { reservedOpcode(12, true, false); }
    @Test void case4_2_3_reservedOpcode13AfterText() { reservedOpcode(13, false, true); }
    @Test void case4_2_4_reservedOpcode14WithPayloadAfterText() { reservedOpcode(14, true, true); }
    @Test void case4_2_5_reservedOpcode15WithPayloadAfterText() { reservedOpcode(15, true, true); }

    // 5: fragmentation.

    @Test
    void case5_1_pingFragmented() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, concat(ep.peer(false, PING, "fragment1"), ep.peer(true, 0, "fragment2")));
        assertEquals("fragmented PING frame; control frames must not be fragmented (RFC 6455 section 5.5) (close code 1002)",
                e.getMessage());
    }

    @Test
    void case5_2_pongFragmented() {
        RecordingEndpoint ep = server();
        ep.fails(1002, concat(ep.peer(false, PONG, "fragment1"), ep.peer(true, 0, "fragment2")));
    }

    private static byte[][] twoFragments(RecordingEndpoint ep) {
        return new byte[][] {ep.peer(false, TEXT, "fragment1"), ep.peer(true, 0, "fragment2")};
    }

    @Test
    void case5_3_fragmentedTextTwoFragments() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("text fragment1fragment2"), ep.feed(twoFragments(ep)).events);
    }

    @Test
    void case5_4_fragmentedTextChopped() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("text fragment1fragment2"), ep.feedChopped(3, twoFragments(ep)).events);
    }

    @Test
    void case5_5_fragmentedTextFrameByFrame() {
        RecordingEndpoint ep = server();
        byte[][] f = twoFragments(ep);
        ep.feed(f[0]);
        assertTrue(ep.events.isEmpty() && ep.assembler.inMessage());
        ep.feed(f[1]);
        assertEquals(List.of("text fragment1fragment2"), ep.events);
    }

    private static byte[][] fragmentsWithPing(RecordingEndpoint ep) {
        return new byte[][] {ep.peer(false, TEXT, "fragment1"), ep.peer(true, PING, "ping payload"), ep.peer(true, 0, "fragment2")};
    }

    private static final List<String> PING_THEN_TEXT = List.of("ping 70696e67207061796c6f6164", "text fragment1fragment2");

    @Test
    void case5_6_fragmentedTextWithPingBetween() {
        RecordingEndpoint ep = server();
        assertEquals(PING_THEN_TEXT, ep.feed(fragmentsWithPing(ep)).events, "the ping is delivered at once, mid-message");
    }

    @Test
    void case5_7_fragmentedTextWithPingBetweenChopped() {
        RecordingEndpoint ep = server();
        assertEquals(PING_THEN_TEXT, ep.feedChopped(7, fragmentsWithPing(ep)).events);
    }

    @Test
    void case5_8_fragmentedTextWithPingBetweenOctetWise() {
        RecordingEndpoint ep = server();
        assertEquals(PING_THEN_TEXT, ep.feedChopped(1, fragmentsWithPing(ep)).events);
    }

    private static byte[][] continuationFirst(RecordingEndpoint ep, boolean fin) {
        return new byte[][] {ep.peer(fin, 0, "non-continuation payload"), ep.peer(true, TEXT, "Hello, world!")};
    }

    @Test
    void case5_9_continuationWithNothingToContinue() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, continuationFirst(ep, true));
        assertEquals("continuation frame with no message to continue (RFC 6455 section 5.4) (close code 1002)", e.getMessage());
        assertEquals(List.of(), ep.events);
    }

    @Test void case5_10_continuationWithNothingToContinueChopped() {
        RecordingEndpoint ep = server();
        ep.failsChopped(1002, 3, continuationFirst(ep, true));
    }
    @Test void case5_11_continuationWithNothingToContinueOctetWise() {
        RecordingEndpoint ep = server();
        ep.failsChopped(1002, 1, continuationFirst(ep, true));
    }
    @Test void case5_12_continuationNotFinWithNothingToContinue() {
        RecordingEndpoint ep = server();
        ep.fails(1002, continuationFirst(ep, false));
    }
    @Test void case5_13_continuationNotFinWithNothingToContinueChopped() {
        RecordingEndpoint ep = server();
        ep.failsChopped(1002, 5, continuationFirst(ep, false));
    }
    @Test void case5_14_continuationNotFinWithNothingToContinueOctetWise() {
        RecordingEndpoint ep = server();
        ep.failsChopped(1002, 1, continuationFirst(ep, false));
    }

    @Test
    void case5_15_strayContinuationAfterCompleteMessage() {
        RecordingEndpoint ep = server();
        ep.fails(1002, concat(ep.peer(false, TEXT, "fragment1"), ep.peer(true, 0, "fragment2"),
                ep.peer(false, 0, "fragment3"), ep.peer(true, TEXT, "fragment4")));
        assertEquals(List.of("text fragment1fragment2"), ep.events);
    }

    @Test
    void case5_16_continuationNotFinThenFragmentedText() {
        RecordingEndpoint ep = server();
        ep.fails(1002, concat(ep.peer(false, 0, "fragment1"), ep.peer(false, TEXT, "fragment2"), ep.peer(true, 0, "fragment3")));
    }

    @Test
    void case5_17_continuationFinThenFragmentedText() {
        RecordingEndpoint ep = server();
        ep.fails(1002, concat(ep.peer(true, 0, "fragment1"), ep.peer(false, TEXT, "fragment2"), ep.peer(true, 0, "fragment3")));
    }

    @Test
    void case5_18_newTextFrameInsideFragmentedMessage() {
        RecordingEndpoint ep = server();
        WebSocketProtocolError e = ep.fails(1002, concat(ep.peer(false, TEXT, "fragment1"), ep.peer(true, TEXT, "fragment2")));
        assertEquals("TEXT frame while a fragmented TEXT message is unfinished; its fragments must be continuation frames"
                + " (RFC 6455 section 5.4) (close code 1002)", e.getMessage());
    }

    private static byte[][] fiveFragmentsWithPings(RecordingEndpoint ep) {
        return new byte[][] {ep.peer(false, TEXT, "fragment1"), ep.peer(false, 0, "fragment2"), ep.peer(true, PING, "pongme 1!"),
                ep.peer(false, 0, "fragment3"), ep.peer(false, 0, "fragment4"), ep.peer(true, PING, "pongme 2!"),
                ep.peer(true, 0, "fragment5")};
    }

    private static final List<String> FIVE_WITH_PINGS = List.of("ping 706f6e676d65203121", "ping 706f6e676d65203221",
            "text fragment1fragment2fragment3fragment4fragment5");

    @Test
    void case5_19_fiveFragmentsWithPingsBetween() {
        RecordingEndpoint ep = server();
        assertEquals(FIVE_WITH_PINGS, ep.feed(fiveFragmentsWithPings(ep)).events);
    }

    @Test
    void case5_20_fiveFragmentsWithPingsBetweenInPieces() {
        RecordingEndpoint ep = server();
        byte[][] frames = fiveFragmentsWithPings(ep);
        ep.feed(frames[0], frames[1], frames[2]);
        assertEquals(List.of("ping 706f6e676d65203121"), ep.events, "the first ping arrives before the message ends");
        ep.feedChopped(2, Arrays.copyOfRange(frames, 3, frames.length));
        assertEquals(FIVE_WITH_PINGS, ep.events);
    }

    // The client role applies the same rules to a server's unmasked frames.

    @Test
    void case5_6_fragmentedTextWithPingBetween_clientRole() { // aio4j-only: Autobahn's client cases are mirrored the same way
        RecordingEndpoint ep = new RecordingEndpoint(Role.CLIENT);
        assertEquals(PING_THEN_TEXT, ep.feed(fragmentsWithPing(ep)).events);
    }

    @Test
    void assemblerToStringShowsState() { // aio4j-only
        RecordingEndpoint ep = server();
        assertEquals("MessageAssembler[between messages, max 4194304]", ep.assembler.toString());
        ep.feed(ep.peer(false, TEXT, "fragment1"));
        assertEquals("MessageAssembler[TEXT, 9 bytes so far, max 4194304]", ep.assembler.toString());
    }
}

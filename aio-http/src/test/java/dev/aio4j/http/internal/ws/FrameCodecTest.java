package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static dev.aio4j.http.internal.ws.RecordingEndpoint.concat;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.hex;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame format of RFC 6455 section 5: {@link FrameWriter} and {@link FrameParser} against the
 * RFC's own examples (section 5.7), each other, and the frame-level rules. aio4j-only (aiohttp tests
 * its reader in {@code tests/test_websocket_parser.py}; these are written from the RFC).
 */
class FrameCodecTest {
    private static byte[] parseOne(Role role, byte[] wire, FrameRecorder rec) {
        FrameParser p = new FrameParser(role, false, rec);
        assertEquals(wire.length, p.feed(wire, 0, wire.length));
        return rec.payloads.get(rec.payloads.size() - 1);
    }

    @Test
    void rfcExamplesUnmasked() {
        FrameWriter server = new FrameWriter(Role.SERVER, null);
        assertArrayEquals(hex("810548656c6c6f"), server.text("Hello"));
        assertArrayEquals(hex("890548656c6c6f"), server.ping(utf8("Hello")));
        assertArrayEquals(hex("010348656c"), FrameWriter.frame(false, 0, 1, utf8("Hel"), 0, 3, false, 0));
        assertArrayEquals(hex("80026c6f"), FrameWriter.frame(true, 0, 0, utf8("lo"), 0, 2, false, 0));
        byte[] b256 = server.binary(new byte[256]);
        assertArrayEquals(hex("827e0100"), java.util.Arrays.copyOf(b256, 4));
        byte[] b64k = server.binary(new byte[65536]);
        assertArrayEquals(hex("827f0000000000010000"), java.util.Arrays.copyOf(b64k, 10));
    }

    @Test
    void rfcExamplesMasked() {
        FrameWriter client = new FrameWriter(Role.CLIENT, null, () -> RecordingEndpoint.KEY);
        assertArrayEquals(hex("818537fa213d7f9f4d5158"), client.text("Hello"));
        assertArrayEquals(hex("8a8537fa213d7f9f4d5158"), client.pong(utf8("Hello")));
        FrameRecorder rec = new FrameRecorder();
        assertArrayEquals(utf8("Hello"), parseOne(Role.SERVER, hex("818537fa213d7f9f4d5158"), rec));
        assertEquals("TEXT fin 48656c6c6f", rec.frames.get(0));
    }

    @Test
    void clientRoleMasksWithAFreshKeyPerFrame() {
        int[] keys = {1, 2};
        int[] i = {0};
        FrameWriter client = new FrameWriter(Role.CLIENT, null, () -> keys[i[0]++]);
        byte[] a = client.binary(new byte[4]);
        byte[] b = client.binary(new byte[4]);
        assertArrayEquals(hex("828400000001") , java.util.Arrays.copyOf(a, 6));
        assertArrayEquals(hex("00000001"), java.util.Arrays.copyOfRange(a, 6, 10), "zeros masked with key 1");
        assertArrayEquals(hex("00000002"), java.util.Arrays.copyOfRange(b, 6, 10), "zeros masked with key 2");
        FrameWriter random = new FrameWriter(Role.CLIENT, null);
        assertTrue((random.text("x")[1] & 0x80) != 0, "a client always masks");
    }

    // aio4j-only (stop 34): the default keys come from a ChaCha20 keystream refilled every 64 keys
    // and keyed per writer from SecureRandom; a frame of 4 zero bytes, masked, shows its key.
    @Test
    void defaultClientKeysDifferAcrossRefillsAndWriters() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int w = 0; w < 3; w++) {
            FrameWriter client = new FrameWriter(Role.CLIENT, null);
            for (int i = 0; i < 200; i++) { // past three refills of 64 keys
                byte[] frame = client.binary(new byte[4]);
                int key = java.nio.ByteBuffer.wrap(frame, 2, 4).getInt();
                assertEquals(key, java.nio.ByteBuffer.wrap(frame, 6, 4).getInt(), "zeros masked show the key");
                seen.add(key);
            }
        }
        // 600 random 32-bit keys collide with probability about 4e-5; a repeated stream would repeat all of them
        assertTrue(seen.size() >= 599, "distinct keys: " + seen.size() + " of 600");
    }

    // aio4j-only (review of stop 34's in-place header read): a header part is read in place when it
    // arrived whole and copied into the parser's own array otherwise; the frames parsed must not
    // depend on where the reads end. Every cut inside or at the edge of each header (2, 4, 8 or 14
    // bytes: 7-, 16- and 64-bit lengths, masked or not), every pair of cuts inside one header, and
    // one byte per read.
    @ParameterizedTest(name = "{0} parses")
    @org.junit.jupiter.params.provider.EnumSource(Role.class)
    void headersSplitAtEveryOffsetParseTheSame(Role parserRole) {
        boolean masked = parserRole == Role.SERVER;
        int[] lengths = {2, 0, 125, 126, 300, 65535, 65536, 70_000, 1};
        Random random = new Random(34);
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        java.util.List<int[]> headers = new java.util.ArrayList<>(); // {start, size} of each header in the wire
        int at = 0;
        for (int i = 0; i < lengths.length; i++) {
            byte[] payload = new byte[lengths[i]];
            random.nextBytes(payload);
            int opcode = i == 2 ? Opcode.PING.code() : i == lengths.length - 1 ? Opcode.CLOSE.code() : Opcode.BINARY.code();
            if (opcode == Opcode.CLOSE.code()) {
                payload = new byte[0];
            }
            byte[] f = FrameWriter.frame(true, 0, opcode, payload, 0, payload.length, masked, random.nextInt());
            int headerSize = f.length - payload.length;
            headers.add(new int[] {at, headerSize});
            parts.add(f);
            at += f.length;
        }
        byte[] wire = concat(parts.toArray(byte[][]::new));
        java.util.List<String> expected = parseSplit(parserRole, wire, new int[0]);
        assertEquals(lengths.length, expected.size(), expected::toString);
        for (int[] h : headers) {
            for (int a = h[0]; a <= h[0] + h[1]; a++) {
                assertEquals(expected, parseSplit(parserRole, wire, new int[] {a}), "cut at " + a);
                for (int b = a + 1; b <= h[0] + h[1]; b++) {
                    assertEquals(expected, parseSplit(parserRole, wire, new int[] {a, b}), "cuts at " + a + ", " + b);
                }
            }
        }
        FrameRecorder oneByte = new FrameRecorder();
        FrameParser p = new FrameParser(parserRole, false, oneByte);
        for (int i = 0; i < wire.length; i++) {
            assertEquals(1, p.feed(wire, i, 1));
        }
        assertEquals(expected, oneByte.frames);
    }

    /** Feeds {@code wire} cut at the ascending offsets {@code cuts}, each piece as its own array. */
    private static java.util.List<String> parseSplit(Role role, byte[] wire, int[] cuts) {
        FrameRecorder copies = new FrameRecorder();
        FrameRecorder inWire = new FrameRecorder();
        FrameParser p = new FrameParser(role, false, copies);
        FrameParser q = new FrameParser(role, false, inWire);
        int prev = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int end = i < cuts.length ? cuts[i] : wire.length;
            byte[] piece = java.util.Arrays.copyOfRange(wire, prev, end); // its own array: read from index 0
            assertEquals(piece.length, p.feed(piece, 0, piece.length));
            assertEquals(end - prev, q.feed(wire, prev, end - prev)); // a slice of one array: read at an offset
            prev = end;
        }
        assertTrue(p.closed() && q.closed());
        assertEquals(copies.frames, inWire.frames);
        return copies.frames;
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 100_000})
    void roundTripAtLengthBoundaries(int length) {
        Random r = new Random(length);
        byte[] payload = new byte[length];
        r.nextBytes(payload);
        for (Role sender : Role.values()) {
            Role receiver = sender == Role.CLIENT ? Role.SERVER : Role.CLIENT;
            byte[] wire = new FrameWriter(sender, null, r::nextInt).binary(payload);
            int header = (length < 126 ? 2 : length < 65536 ? 4 : 10) + (sender == Role.CLIENT ? 4 : 0);
            assertEquals(header + length, wire.length, "shortest length encoding");
            FrameRecorder rec = new FrameRecorder();
            assertArrayEquals(payload, parseOne(receiver, wire, rec));
            // and one byte at a time
            FrameRecorder slow = new FrameRecorder();
            FrameParser p = new FrameParser(receiver, false, slow);
            for (int i = 0; i < wire.length; i++) {
                assertEquals(1, p.feed(wire, i, 1));
            }
            assertArrayEquals(payload, slow.payloads.get(0));
        }
    }

    @Test
    void roundTripOfRandomLengths() {
        Random r = new Random(16);
        for (int t = 0; t < 200; t++) {
            int length = r.nextInt(3) == 0 ? r.nextInt(126) : r.nextInt(200_000);
            byte[] payload = new byte[length];
            r.nextBytes(payload);
            byte[] wire = new FrameWriter(Role.CLIENT, null, r::nextInt).binary(payload);
            assertArrayEquals(payload, parseOne(Role.SERVER, wire, new FrameRecorder()), "length " + length);
        }
    }

    @Test
    void emptyFrameEndsWithoutMoreInput() {
        FrameRecorder rec = new FrameRecorder();
        FrameParser p = new FrameParser(Role.CLIENT, false, rec);
        p.feed(hex("8a00"), 0, 2);
        assertEquals(java.util.List.of("PONG fin "), rec.frames);
    }

    @Test
    void lengthNotInItsShortestFormIsRefused() {
        RecordingEndpoint client = new RecordingEndpoint(Role.CLIENT);
        WebSocketProtocolError e = client.fails(1002, hex("827e007d"));
        assertEquals("payload length 125 sent in 16 bits; the minimal encoding must be used (RFC 6455 section 5.2)"
                + " (close code 1002)", e.getMessage());
        new RecordingEndpoint(Role.CLIENT).fails(1002, hex("827f000000000000ffff"));
        new RecordingEndpoint(Role.CLIENT).feed(hex("827e007e"), new byte[126]);
        new RecordingEndpoint(Role.CLIENT).feed(hex("827f0000000000010000"), new byte[65536]);
    }

    @Test
    void sixtyFourBitLengthWithTopBitSetIsRefused() {
        WebSocketProtocolError e = new RecordingEndpoint(Role.CLIENT).fails(1002, hex("827f8000000000000000"));
        assertEquals("64-bit payload length with the most significant bit set (RFC 6455 section 5.2) (close code 1002)",
                e.getMessage());
    }

    @Test
    void serverRefusesUnmaskedFrames() {
        WebSocketProtocolError e = RecordingEndpoint.server().fails(1002, hex("810548656c6c6f"));
        assertEquals("unmasked TEXT frame from the client; a client must mask every frame (RFC 6455 section 5.1)"
                + " (close code 1002)", e.getMessage());
    }

    @Test
    void clientRefusesMaskedFrames() {
        WebSocketProtocolError e = new RecordingEndpoint(Role.CLIENT).fails(1002, hex("818537fa213d7f9f4d5158"));
        assertEquals("masked TEXT frame from the server; a server must not mask frames (RFC 6455 section 5.1)"
                + " (close code 1002)", e.getMessage());
    }

    @Test
    void rsv1IsAllowedOnlyOnTheFirstFrameOfADataMessageWithDeflate() {
        FrameRecorder rec = new FrameRecorder();
        FrameParser p = new FrameParser(Role.CLIENT, true, rec);
        byte[] ok = concat(FrameWriter.frame(false, 4, 1, new byte[1], 0, 1, false, 0),
                FrameWriter.frame(true, 0, 0, new byte[1], 0, 1, false, 0));
        p.feed(ok, 0, ok.length);
        assertEquals(java.util.List.of("TEXT rsv1 00", "CONTINUATION fin 00"), rec.frames);

        byte[] rsv1Continuation = FrameWriter.frame(true, 4, 0, new byte[1], 0, 1, false, 0);
        WebSocketProtocolError e = assertThrows(WebSocketProtocolError.class,
                () -> new FrameParser(Role.CLIENT, true, new FrameRecorder()).feed(rsv1Continuation, 0, rsv1Continuation.length));
        assertTrue(e.getMessage().startsWith("RSV1 set in a CONTINUATION frame; permessage-deflate allows it only on the first"), e.getMessage());
        byte[] rsv1Ping = FrameWriter.frame(true, 4, 9, new byte[0], 0, 0, false, 0);
        assertThrows(WebSocketProtocolError.class, () -> new FrameParser(Role.CLIENT, true, new FrameRecorder()).feed(rsv1Ping, 0, 2));
    }

    @Test
    void parserStopsAfterCloseFrame() {
        RecordingEndpoint ep = new RecordingEndpoint(Role.CLIENT);
        byte[] wire = concat(new FrameWriter(Role.SERVER, null).close(1000, "bye"), hex("810161"));
        assertEquals(7, ep.parser.feed(wire, 0, wire.length), "the text frame after close is not consumed");
        assertTrue(ep.parser.closed());
        assertEquals(0, ep.parser.feed(wire, 7, 3));
        assertEquals(java.util.List.of("close 1000 bye"), ep.events);
    }

    @Test
    void parserRefusesUseAfterAProtocolError() {
        RecordingEndpoint ep = new RecordingEndpoint(Role.CLIENT);
        ep.fails(1002, hex("8300"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ep.parser.feed(new byte[1], 0, 1));
        assertEquals("FrameParser.feed() called after a protocol error: FrameParser[CLIENT, 0 frames, failed]", e.getMessage());
    }

    @Test
    void toStringShowsState() {
        FrameParser p = new FrameParser(Role.SERVER, true, new FrameRecorder());
        assertEquals("FrameParser[SERVER, permessage-deflate, 0 frames, between frames]", p.toString());
        byte[] wire = FrameWriter.frame(true, 0, 2, new byte[10], 0, 10, true, 1);
        p.feed(wire, 0, 8);
        assertEquals("FrameParser[SERVER, permessage-deflate, 0 frames, inside a BINARY payload, 8 bytes to go]", p.toString());
        assertEquals("FrameWriter[CLIENT]", new FrameWriter(Role.CLIENT, null).toString());
        assertEquals("FrameHeader[TEXT, fin, masked, 5 bytes]",
                new FrameHeader(true, false, Opcode.TEXT, true, 1, 5).toString());
    }

    @Test
    void writerChecksItsArguments() {
        FrameWriter w = new FrameWriter(Role.SERVER, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.ping(new byte[126]));
        assertEquals("PING payload must be at most 125 bytes (RFC 6455 section 5.5), got 126", e.getMessage());
        assertEquals("opcode must be 0-15 (four bits), got 16", assertThrows(IllegalArgumentException.class,
                () -> FrameWriter.frame(true, 0, 16, new byte[0], 0, 0, false, 0)).getMessage());
        assertEquals("rsv must be 0-7 (three bits), got 8", assertThrows(IllegalArgumentException.class,
                () -> FrameWriter.frame(true, 8, 1, new byte[0], 0, 0, false, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.text("\ud800"), "unpaired surrogate");
        assertFalse(w.toString().contains("deflate"));
    }
}

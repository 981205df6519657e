package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.aio4j.http.internal.ws.RecordingEndpoint.concat;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.hex;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the Autobahn testsuite's case groups 12 (permessage-deflate with the default offer:
 * many messages of each size, text and binary) and 13 (the same under different offers:
 * no_context_takeover, window bits, several offers) as codec round trips: one end negotiates, writes
 * the messages through its {@link FrameWriter}, the other end's parser and assembler must give them
 * back. Autobahn sends 1000 messages per case; 100 (20 above 16 KiB) keep this suite fast on a
 * loaded machine and still carry the compression context across many messages. Also the examples of RFC 7692 section 7.2.3, and the
 * limits: a compression bomb fails with 1009 without growing memory.
 */
class AutobahnCompressionTest {
    private static final int MESSAGES = 100;

    /** Compressible text, like Autobahn's: words drawn from a small vocabulary. */
    private static String text(Random r, int size) {
        String[] words = {"autobahn ", "websocket ", "deflate ", "κόσμε ", "message ", "frame ", "window ", "0123 "};
        StringBuilder sb = new StringBuilder(size + 16);
        while (sb.length() < size) {
            sb.append(words[r.nextInt(words.length)]);
        }
        return sb.substring(0, size);
    }

    /** One negotiated connection: client and server writers and recording endpoints on both sides. */
    private record Link(FrameWriter client, FrameWriter server, RecordingEndpoint atServer, RecordingEndpoint atClient) {
        static Link negotiate(String offer) {
            DeflateNegotiation.Agreement server = DeflateNegotiation.negotiate(List.of(offer), false);
            assertTrue(server != null, "accepted: " + offer);
            DeflateNegotiation.Agreement client = DeflateNegotiation.acceptResponse(List.of(server.responseHeader()),
                    offer.contains("client_no_context_takeover"));
            Random keys = new Random(13);
            return new Link(new FrameWriter(Role.CLIENT, client.codec(Role.CLIENT, -1), keys::nextInt),
                    new FrameWriter(Role.SERVER, server.codec(Role.SERVER, -1)),
                    new RecordingEndpoint(Role.SERVER, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, server.codec(Role.SERVER, -1)),
                    new RecordingEndpoint(Role.CLIENT, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE, client.codec(Role.CLIENT, -1)));
        }
    }

    /** Sends {@link #MESSAGES} messages of {@code size} each way and checks they arrive unchanged. */
    private static void roundTrips(String offer, int size, boolean binary) {
        Link link = Link.negotiate(offer);
        Random r = new Random(size);
        List<byte[]> sent = new ArrayList<>();
        int messages = size > 16384 ? 20 : MESSAGES;
        for (int i = 0; i < messages; i++) {
            String t = text(r, size);
            byte[] fromClient = binary ? link.client().binary(utf8(t)) : link.client().text(t);
            byte[] fromServer = binary ? link.server().binary(utf8(t)) : link.server().text(t);
            assertTrue((fromClient[0] & 0x40) != 0 && (fromServer[0] & 0x40) != 0, "RSV1: compressed");
            link.atServer().feed(fromClient);
            link.atClient().feedChopped(1 + r.nextInt(64), fromServer);
            sent.add(utf8(t));
        }
        for (int i = 0; i < messages; i++) {
            assertArrayEquals(sent.get(i), link.atServer().payloads.get(i), "client to server, message " + i);
            assertArrayEquals(sent.get(i), link.atClient().payloads.get(i), "server to client, message " + i);
        }
        assertTrue(link.atServer().events.get(0).startsWith(binary ? "binary" : "text"));
    }

    // 12.1: text, 12.2: binary, with the default offer; sizes 16 B to 128 KiB.

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072})
    void case12_1_textRoundTrips(int size) {
        roundTrips("permessage-deflate; client_max_window_bits", size, false);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 1024, 65536, 131072})
    void case12_2_binaryRoundTrips(int size) {
        roundTrips("permessage-deflate; client_max_window_bits", size, true);
    }

    @Test
    void case12_1_emptyMessage() { // aio4j-only: the edge under group 12
        roundTrips("permessage-deflate", 0, false);
    }

    // 13: offers with no_context_takeover (requested of the server) and window bits.

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 4096, 131072})
    void case13_1_contextTakeoverDefaultWindow(int size) {
        roundTrips("permessage-deflate; client_max_window_bits", size, false);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 4096, 131072})
    void case13_2_noContextTakeover(int size) {
        roundTrips("permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover", size, false);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 4096, 131072})
    void case13_3_window8(int size) {
        assertEquals("permessage-deflate; server_max_window_bits=8", DeflateNegotiation.negotiate(
                List.of("permessage-deflate; client_max_window_bits; server_max_window_bits=8"), false).responseHeader());
        roundTrips("permessage-deflate; client_max_window_bits; server_max_window_bits=8", size, false);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 4096, 131072})
    void case13_5_noContextTakeoverWindow8(int size) {
        roundTrips("permessage-deflate; client_max_window_bits; server_no_context_takeover; server_max_window_bits=8", size, false);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 4096, 131072})
    void case13_4_window15(int size) {
        roundTrips("permessage-deflate; client_max_window_bits; server_max_window_bits=15", size, false);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {16, 4096, 131072})
    void case13_6_noContextTakeoverWindow15(int size) {
        roundTrips("permessage-deflate; client_max_window_bits; server_no_context_takeover; server_max_window_bits=15", size, false);
    }

    @Test
    void case13_7_severalOffersFirstHonourableChosen() {
        String offers = "permessage-deflate; client_max_window_bits; server_no_context_takeover; server_max_window_bits=8,"
                + " permessage-deflate; client_max_window_bits; server_no_context_takeover, permessage-deflate; client_max_window_bits";
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=8",
                DeflateNegotiation.negotiate(List.of(offers), false).responseHeader(), "every window 8 to 15 is honoured");
        roundTrips(offers, 4096, false);
        offers = "permessage-deflate; server_max_window_bits=7, permessage-deflate; server_no_context_takeover";
        assertEquals("permessage-deflate; server_no_context_takeover",
                DeflateNegotiation.negotiate(List.of(offers), false).responseHeader());
        roundTrips(offers, 4096, false);
    }

    // RFC 7692 section 7.2.3: the examples.

    @Test
    void rfc7692Examples() {
        RecordingEndpoint client = new RecordingEndpoint(Role.CLIENT, 1000, new PerMessageDeflate(false, false, -1));
        client.feed(hex("c107f248cdc9c90700"));                       // 7.2.3.1: "Hello", compressed
        client.feed(hex("c105f200110000"));                           // 7.2.3.2: again, using the shared window
        client.feed(hex("41 03 f248cd".replace(" ", "")), hex("80 04 c9c90700".replace(" ", ""))); // 7.2.3.1 fragmented
        client.feed(hex("c10b000500faff48656c6c6f00"));             // 7.2.3.3: stored block, no compression
        client.feed(hex("c108f348cdc9c9070000"));                     // 7.2.3.5: BFINAL set
        client.feed(hex("c107f248cdc9c90700"));                       // the next message starts a new stream
        assertEquals(List.of("text Hello", "text Hello", "text Hello", "text Hello", "text Hello", "text Hello"), client.events);
    }

    @Test
    void compressStripsTheSyncFlushTail() {
        try (PerMessageDeflate d = new PerMessageDeflate(true, true, -1)) {
            byte[] c = d.compress(utf8("Hello"), 0, 5);
            assertEquals("Hello", new String(d.decompress(c, 0, c.length, 100), java.nio.charset.StandardCharsets.UTF_8));
            byte[] again = d.compress(utf8("Hello"), 0, 5);
            assertArrayEquals(c, again, "without context takeover each message compresses alone");
        }
        try (PerMessageDeflate d = new PerMessageDeflate(false, false, -1)) {
            byte[] first = d.compress(utf8("Hello"), 0, 5);
            byte[] second = d.compress(utf8("Hello"), 0, 5);
            assertTrue(second.length < first.length, "with context takeover the second refers to the first");
        }
    }

    // Limits and bad data.

    @Test
    void compressionBombFailsAtTheMaxSize() {
        byte[] zeros = new byte[16 * 1024 * 1024];
        byte[] bomb;
        try (PerMessageDeflate d = new PerMessageDeflate(true, true, 9)) {
            bomb = d.compress(zeros, 0, zeros.length);
        }
        assertTrue(bomb.length < 32 * 1024, "16 MiB of zeros compress to " + bomb.length + " bytes");
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 1024 * 1024, new PerMessageDeflate(false, false, -1));
        WebSocketProtocolError e = server.fails(1009, server.peer(true, 4, 2, bomb));
        assertEquals("decompressed message is larger than 1048576 bytes (the maximum message size) (close code 1009)", e.getMessage());
    }

    @Test
    void compressedMessageAtTheLimitPasses() {
        byte[] data = new byte[1000];
        Arrays.fill(data, (byte) 'a');
        byte[] c;
        try (PerMessageDeflate d = new PerMessageDeflate(true, true, -1)) {
            c = d.compress(data, 0, data.length);
        }
        RecordingEndpoint ok = new RecordingEndpoint(Role.SERVER, 1000, new PerMessageDeflate(true, true, -1));
        ok.feed(ok.peer(true, 4, 2, c));
        assertEquals(List.of("binary 1000 bytes"), ok.events);
        RecordingEndpoint over = new RecordingEndpoint(Role.SERVER, 999, new PerMessageDeflate(true, true, -1));
        over.fails(1009, over.peer(true, 4, 2, c));
    }

    @Test
    void corruptDeflateDataFailsWith1007() {
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 1000, new PerMessageDeflate(false, false, -1));
        WebSocketProtocolError e = server.fails(1007, server.peer(true, 4, 1, hex("ffffffff")));
        assertTrue(e.getMessage().startsWith("compressed message is not valid deflate data ("), e.getMessage());
    }

    @Test
    void compressedTextIsValidatedAfterInflating() {
        byte[] c;
        try (PerMessageDeflate d = new PerMessageDeflate(true, true, -1)) {
            c = d.compress(hex("cebae1bdb9cf83cebcceb5eda080"), 0, 14);
        }
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 1000, new PerMessageDeflate(true, true, -1));
        WebSocketProtocolError e = server.fails(1007, server.peer(true, 4, 1, c));
        assertEquals("TEXT message is not valid UTF-8 after decompression (close code 1007)", e.getMessage());
    }

    @Test
    void uncompressedMessagesStillPassWhenDeflateIsOn() {
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 1000, new PerMessageDeflate(false, false, -1));
        server.feed(concat(server.peer(false, 1, "plain "), server.peer(true, 0, "text")));
        assertEquals(List.of("text plain text"), server.events);
    }

    /** A whole raw deflate stream (a "member": its last block has BFINAL set), as zlib's compressobj().flush() makes it. */
    private static byte[] member(byte[] data) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(-1, true);
        d.setInput(data);
        d.finish();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    @Test
    void compressedMultiMemberMessage() { // aiohttp's test_compressed_multi_member_message (RFC 7692 section 7.2.3.5)
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            payload.writeBytes(member(utf8("part " + i + " ")));
            expected.append("part ").append(i).append(' ');
        }
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 4 * 1024 * 1024, new PerMessageDeflate(false, false, -1));
        server.feed(server.peer(true, 4, 2, payload.toByteArray()), server.peer(true, 4, 1, member(utf8("next"))));
        assertEquals(List.of("binary " + expected.length() + " bytes", "text next"), server.events);
        assertEquals(expected.toString(), new String(server.payloads.get(0), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void compressedMemberFloodRejected() { // aiohttp's test_compressed_member_flood_rejected
        // Empty members inflate to nothing, so the size limit cannot bound the work: their number is.
        int maxMsgSize = 262144;
        byte[] payload = new byte[2 * maxMsgSize / 256 * 2];
        for (int i = 0; i < payload.length; i += 2) {
            payload[i] = 0x03; // an empty final block with fixed Huffman codes: "03 00"
        }
        RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, maxMsgSize, new PerMessageDeflate(false, false, -1));
        WebSocketProtocolError e = server.fails(1009, server.peer(true, 4, 2, payload));
        assertTrue(e.getMessage().contains("deflate streams"), e.getMessage());
        // At the limit it passes.
        RecordingEndpoint ok = new RecordingEndpoint(Role.SERVER, maxMsgSize, new PerMessageDeflate(false, false, -1));
        ok.feed(ok.peer(true, 4, 2, Arrays.copyOf(payload, 2 * PerMessageDeflate.MAX_MEMBERS)));
        assertEquals(List.of("binary 0 bytes "), ok.events);
    }
}

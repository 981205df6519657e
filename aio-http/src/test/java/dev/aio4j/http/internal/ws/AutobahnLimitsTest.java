package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.aio4j.http.internal.ws.RecordingEndpoint.hex;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.server;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Mirrors the Autobahn testsuite's case groups 9 (limits and performance: large messages, in one
 * frame, in fragments, in chops) and 10 (auto-fragmentation) against the default maximum message
 * size of 4 MiB: up to the limit messages arrive whole; beyond it the endpoint fails with 1009 as
 * soon as a frame header shows the message cannot fit, before reading its payload. Autobahn's
 * 9.1.5/9.1.6 (8 and 16 MiB) therefore fail here, as they do with aiohttp's default
 * {@code max_msg_size}.
 */
class AutobahnLimitsTest {
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int MIB = 1024 * 1024;

    private static byte[] payload(int size) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) '*');
        return p;
    }

    private static void oneFrame(int opcode, int size) {
        RecordingEndpoint ep = server();
        ep.feed(ep.peer(true, opcode, payload(size)));
        assertEquals(1, ep.events.size());
        assertEquals(size, ep.payloads.get(0).length);
    }

    @Test void case9_1_1_text64KiB() { oneFrame(TEXT, 64 * 1024); }
    @Test void case9_1_2_text256KiB() { oneFrame(TEXT, 256 * 1024); }
    @Test void case9_1_3_text1MiB() { oneFrame(TEXT, MIB); }
    @Test void case9_1_4_text4MiBAtTheLimit() { oneFrame(TEXT, 4 * MIB); }
    @Test void case9_2_4_binary4MiBAtTheLimit() { oneFrame(BINARY, 4 * MIB); }

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(ints = {8, 16})
    void case9_1_5_and_9_1_6_textOverTheLimitFailsFromTheHeader(int mib) {
        RecordingEndpoint ep = server();
        byte[] header = Arrays.copyOf(ep.peer(true, TEXT, new byte[0]), 2);
        header[1] = (byte) (0x80 | 127);
        byte[] length = java.nio.ByteBuffer.allocate(8).putLong((long) mib * MIB).array();
        byte[] wire = RecordingEndpoint.concat(header, length, hex("37fa213d")); // the header alone: no payload is needed
        WebSocketProtocolError e = ep.fails(1009, wire);
        assertEquals("TEXT message larger than 4194304 bytes (the maximum message size): 0 bytes so far and a frame of "
                + (mib * MIB) + " (close code 1009)", e.getMessage());
    }

    @Test
    void case9_1_4_oneByteOverTheLimit() { // aio4j-only: the exact boundary
        RecordingEndpoint ep = server();
        ep.fails(1009, ep.peer(true, BINARY, payload(4 * MIB + 1)));
    }

    private static void fragmented(int opcode, int total, int fragment, int chop) {
        RecordingEndpoint ep = server();
        byte[] all = payload(total);
        List<byte[]> frames = new ArrayList<>();
        for (int off = 0; off < total; off += fragment) {
            int n = Math.min(fragment, total - off);
            frames.add(ep.peer(off + n == total, off == 0 ? opcode : 0, Arrays.copyOfRange(all, off, off + n)));
        }
        if (chop > 0) {
            ep.feedChopped(chop, frames.toArray(byte[][]::new));
        } else {
            ep.feed(frames.toArray(byte[][]::new));
        }
        assertEquals(1, ep.events.size());
        assertArrayEquals(all, ep.payloads.get(0));
    }

    @Test void case9_3_1_text4MiBInFragmentsOf64() { fragmented(TEXT, 4 * MIB, 64, 0); }
    @Test void case9_3_5_text4MiBInFragmentsOf16KiB() { fragmented(TEXT, 4 * MIB, 16 * 1024, 0); }
    @Test void case9_3_9_text4MiBInOneFragment() { fragmented(TEXT, 4 * MIB, 4 * MIB, 0); }
    @Test void case9_4_1_binary4MiBInFragmentsOf64() { fragmented(BINARY, 4 * MIB, 64, 0); }
    @Test void case9_4_7_binary4MiBInFragmentsOf256KiB() { fragmented(BINARY, 4 * MIB, 256 * 1024, 0); }
    @Test void case9_5_1_text1MiBInChopsOf64() { fragmented(TEXT, MIB, MIB, 64); }
    @Test void case9_6_6_binary1MiBInChopsOf2KiB() { fragmented(BINARY, MIB, MIB, 2048); }
    @Test void case10_1_1_text64KiBAutoFragmentedInto1300() { fragmented(TEXT, 65536, 1300, 0); }

    @Test
    void case9_3_fragmentedMessageCrossingTheLimitFailsAtTheFrameThatCrossesIt() { // aio4j-only
        RecordingEndpoint ep = new RecordingEndpoint(Role.SERVER, 1000, null);
        ep.feed(ep.peer(false, BINARY, payload(600)));
        WebSocketProtocolError e = ep.fails(1009, Arrays.copyOf(ep.peer(false, 0, payload(401)), 8));
        assertEquals("BINARY message larger than 1000 bytes (the maximum message size): 600 bytes so far and a frame of 401"
                + " (close code 1009)", e.getMessage());
    }

    @Test
    void maxMessageSizeMustBePositive() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RecordingEndpoint(Role.SERVER, 0, null));
        assertEquals("maxMessageSize must be > 0, got 0", e.getMessage());
    }
}

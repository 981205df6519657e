package dev.aio4j.http.internal.ws;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * max_window_bits below 15 (RFC 7692 section 7.1.2): {@link PerMessageDeflate} cannot give
 * {@link java.util.zip.Deflater} a smaller window, so it bounds its back-references by compressing
 * in chunks with a preset dictionary. These tests decode its output with
 * {@link DeflateWindowChecker}, which records every back-reference distance, and check that none
 * exceeds 2^N, with and without context takeover, while the JDK's inflater (any window) still
 * reads the same bytes. aio-only: aiohttp relies on zlib's own window setting.
 */
class PerMessageDeflateWindowTest {

    /** Text that repeats itself near and far, so a 15-bit compressor would refer far back. */
    static byte[] prose(int n, long seed) {
        String[] words = {"the ", "event ", "loop ", "runs ", "a ", "task ", "until ", "it ", "awaits ", "the ", "socket ",
            "and ", "then ", "resumes ", "with ", "its ", "data ", "\n"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n + 16);
        while (sb.length() < n) {
            sb.append(words[r.nextInt(words.length)]);
            if (r.nextInt(50) == 0) {
                sb.append(r.nextLong()); // some noise, so matches are not all short and close
            }
        }
        sb.setLength(n);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends messages through one compressor, decodes each with the checker and with the JDK inflater. */
    private static int roundTrip(int bits, boolean noContextTakeover, int[] lengths, long seed) {
        DeflateWindowChecker checker = new DeflateWindowChecker();
        try (PerMessageDeflate sender = new PerMessageDeflate(noContextTakeover, false, -1, bits);
                PerMessageDeflate receiver = new PerMessageDeflate(false, noContextTakeover, -1)) {
            for (int i = 0; i < lengths.length; i++) {
                byte[] message = prose(lengths[i], seed + i);
                byte[] wire = sender.compress(message, 0, message.length);
                if (noContextTakeover) {
                    checker.reset();
                }
                assertArrayEquals(message, checker.message(wire), "the checker decodes message " + i);
                assertArrayEquals(message, receiver.decompress(wire, 0, wire.length, 1 << 24), "the JDK inflates message " + i);
            }
        }
        return checker.maxDistance;
    }

    @Test
    void everyWindowFrom8To15IsHonoured() {
        int[] lengths = {0, 1, 100, 255, 256, 257, 1000, 5000, 40_000, 70_000, 300, 20};
        for (int bits = 8; bits <= 15; bits++) {
            for (boolean noContext : new boolean[] {false, true}) {
                int max = roundTrip(bits, noContext, lengths, bits * 31L);
                assertTrue(max <= 1 << bits, bits + " bits, no_context_takeover " + noContext + ": a back-reference of "
                        + max + " bytes");
                assertTrue(max > (1 << bits) / 4, "the window is used, not just avoided (" + bits + " bits: " + max + ")");
            }
        }
    }

    @Test
    void theCheckerSeesLongBackReferences() {
        // The same data through the ordinary 15-bit compressor refers further back than a 9-bit window:
        // the checker would catch a compressor that ignored the limit.
        int max = roundTrip(15, false, new int[] {5000, 5000, 5000}, 7);
        assertTrue(max > 1 << 9, "a 15-bit compressor's longest back-reference: " + max);
    }

    @Test
    void contextIsTakenOverAcrossMessagesWithinTheWindow() {
        byte[] message = prose(200, 1);
        try (PerMessageDeflate d = new PerMessageDeflate(false, false, -1, 10)) {
            int first = d.compress(message, 0, message.length).length;
            int second = d.compress(message, 0, message.length).length;
            assertTrue(second < first / 4, "the repeat refers to the previous message: " + first + " then " + second);
        }
        try (PerMessageDeflate d = new PerMessageDeflate(true, false, -1, 10)) {
            int first = d.compress(message, 0, message.length).length;
            assertEquals(first, d.compress(message, 0, message.length).length, "no context takeover: the same size again");
        }
    }

    @Test
    void windowBitsOutsideTheRfcRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflate(false, false, -1, 7));
        assertEquals("compressorWindowBits must be 8 to 15 (RFC 7692), got 7", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflate(false, false, -1, 16));
    }

    @Property(tries = 40)
    void backReferencesStayWithinTheWindow(@ForAll @IntRange(min = 8, max = 14) int bits, @ForAll boolean noContext,
            @ForAll @IntRange(min = 0, max = 20_000) int a, @ForAll @IntRange(min = 0, max = 3_000) int b,
            @ForAll long seed) {
        int max = roundTrip(bits, noContext, new int[] {a, b, a}, seed);
        assertTrue(max <= 1 << bits, bits + " bits: a back-reference of " + max + " bytes");
    }
}

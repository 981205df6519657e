package dev.aio4j.http.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link QuotedPrintable}: RFC 2045 section 6.7, and what CPython's {@code binascii.a2b_qp} (which
 * aiohttp's {@code BodyPartReader.decode} uses) makes of the lenient cases.
 */
class QuotedPrintableTest {
    private static String enc(String latin1) {
        return new String(QuotedPrintable.encode(latin1.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    private static String dec(String latin1) {
        return new String(QuotedPrintable.decode(latin1.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesWhatIsNotPrintable() {
        assertEquals("plain text, spaces kept", enc("plain text, spaces kept"));
        assertEquals("!~ =7F=1F", enc("!~ \u007f\u001f"), "33 to 126 are printable");
        assertEquals("a=3Db=00=FF", enc("a=b\u0000\u00ff"));
        assertEquals("line one\r\nline two", enc("line one\r\nline two"), "CRLF pairs stay line breaks");
        assertEquals("lone=0Dcr=0Alf", enc("lone\rcr\nlf"));
        assertEquals("trailing=20\r\ntab=09", enc("trailing \r\ntab\t"), "whitespace that would end a line is escaped");
        assertEquals("=2D-a\r\n=2D-b", enc("--a\r\n--b"), "a dash that begins a line is escaped");
    }

    @Test
    void longLinesGetSoftBreaks() {
        String e = enc("x".repeat(200));
        for (String line : e.split("\r\n")) {
            assertTrue(line.length() <= 76, line);
        }
        assertEquals("x".repeat(75) + "=\r\n" + "x".repeat(75) + "=\r\n" + "x".repeat(50), e);
        String escaped = enc("\u00e9".repeat(30)); // 3 characters each: 25 per line
        assertEquals("=E9".repeat(25) + "=\r\n" + "=E9".repeat(5), escaped);
    }

    @Test
    void decodesAsA2bQp() { // each expected value is what CPython 3.11's binascii.a2b_qp returns
        assertEquals("\u00d0\u009f!", dec("=D0=9f!"), "either case of hex");
        assertEquals("joined", dec("jo=\r\nin=\ned"), "soft line breaks, CRLF or LF");
        assertEquals("pad= \t\r\nded", dec("pad= \t\r\nded"), "= with padding before CRLF is kept, not a soft break");
        assertEquals("a=zb=", dec("a=zb=="), "a bad escape is kept; == is one =");
        assertEquals("end", dec("end="), "a lone = at the end is dropped");
        assertEquals("x=4", dec("x=4"), "a cut escape is kept");
        assertEquals("=4g", dec("=4g"));
        assertEquals("keep \r\n", dec("keep \r\n"), "whitespace before a hard line break is kept");
        assertEquals("keep \t\r\nx", dec("keep \t\r\nx"));
        assertEquals("a=b", dec("a==b"));
        assertEquals("=41", dec("==41"));
        assertEquals("\u00aa\u00ff\u0000", dec("=aa=fF=00"));
        assertEquals("x=  ", dec("x=  "), "an = followed by spaces to the end is kept");
        assertEquals("a", dec("a=\r"), "an = and a CR: all up to the next LF is dropped");
        assertEquals("ab", dec("a=\rxx\nb"));
        assertEquals("ab", dec("a=\r\nb"));
        assertEquals("", dec("=\n="));
    }

    /** Random inputs and what CPython 3.11's binascii.a2b_qp returns for each, in hex (seed 20261205). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "46 | 46",
            "3d3d46342e0a0d67670d | 3d46342e0a0d67670d",
            "090a673d46464646612061 | 090a67ff4646612061",
            "3d20 | 3d20",
            "0961672e2067460d34460d2e2e3d | 0961672e2067460d34460d2e2e",
            "612e672e6734200d3d | 612e672e6734200d",
            "34463d200a0d | 34463d200a0d",
            "0d2e612020462e2e09 | 0d2e612020462e2e09",
            "342020340a6734200d2e0a206146 | 342020340a6734200d2e0a206146",
            "2e3d3d09 | 2e3d09",
            "61090d3d670d | 61090d3d670d",
            "202e67670a0a46460920204667 | 202e67670a0a46460920204667",
            "3d3d2e0d0a203409 | 3d2e0d0a203409",
            "0a0920464609610d092046 | 0a0920464609610d092046",
            "0a3d3d200d672e | 0a3d200d672e",
            "340d | 340d",
            "3434610d2e20343d616134 | 3434610d2e2034aa34",
            "093d | 09",
            "61203d0a0a2e | 61200a2e",
            "3d34676734462e2034 | 3d34676734462e2034",
            "67463d093d4620462e0d | 67463d093d4620462e0d",
            "3446460a096734340d | 3446460a096734340d",
            "3d | ",
            "0d3d0961672e34200a | 0d3d0961672e34200a",
            "462e67 | 462e67",
            "2e094609343420462e2061 | 2e094609343420462e2061",
            "6746 | 6746",
            "67673d3d3446460a3d0d46 | 67673d3446460a",
            "3467612e0d340a462e | 3467612e0d340a462e",
            "0a613d6146202020672e673d2e | 0a61af202020672e673d2e"
    })
    void decodesRandomInputsAsA2bQp(String input, String expected) {
        byte[] in = java.util.HexFormat.of().parseHex(input);
        assertEquals(expected == null ? "" : expected, java.util.HexFormat.of().formatHex(QuotedPrintable.decode(in)), input);
    }

    @Property(tries = 500, seed = "20261205")
    void decodingInPiecesIsDecodingAtOnce(@ForAll("qp") String text, @ForAll @IntRange(min = 1, max = 7) int piece) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        QuotedPrintable.Decoder d = new QuotedPrintable.Decoder();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int off = 0; off < data.length; off += piece) {
            out.writeBytes(d.feed(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + piece)), false));
        }
        out.writeBytes(d.feed(new byte[0], true));
        assertArrayEquals(QuotedPrintable.decode(data), out.toByteArray(), text);
    }

    @Provide
    Arbitrary<String> qp() {
        return Arbitraries.strings().withChars("=\r\n \taF4g").ofMaxLength(40);
    }

    @Provide
    Arbitrary<byte[]> data() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withChars("-=\r\n \tab.\u00e9").ofMaxLength(300)
                        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Property(tries = 500, seed = "20261205")
    void decodingUndoesEncoding(@ForAll("data") byte[] data) {
        byte[] e = QuotedPrintable.encode(data);
        assertArrayEquals(data, QuotedPrintable.decode(e));
        String text = new String(e, StandardCharsets.ISO_8859_1);
        for (String line : text.split("\r\n", -1)) {
            assertTrue(line.length() <= 76, line);
            assertFalse(line.startsWith("-"), "a line may not look like a delimiter: " + line);
            assertFalse(line.endsWith(" ") || line.endsWith("\t"), "trailing whitespace: " + line);
            assertTrue(line.chars().allMatch(c -> c >= 32 && c <= 126 || c == '\t'), line);
        }
    }
}

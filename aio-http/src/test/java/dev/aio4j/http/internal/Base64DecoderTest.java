package dev.aio4j.http.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Base64Decoder}: what CPython's {@code base64.b64decode} (aiohttp's
 * {@code BodyPartReader.decode} of a base64 part) makes of each input; every expected value below
 * is CPython 3.11's.
 */
class Base64DecoderTest {
    private static String dec(String s) {
        return new String(Base64Decoder.decode(s.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void decodesAsB64decode() {
        assertEquals("abc", dec("YWJj"));
        assertEquals("ab", dec("YWI="));
        assertEquals("a", dec("YQ=="));
        assertEquals("abcdef", dec("YWJj\r\nZGVm"), "line breaks are skipped");
        assertEquals("abc", dec("YW Jj"));
        assertEquals("abc", dec("YW*Jj"), "any byte outside the alphabet is skipped");
        assertEquals("a", dec("YQ==YQ=="), "padding ends the data");
        assertEquals("a\u0006", dec("YQ=a="));
        assertEquals("a", dec("=YQ=="), "an = before two data characters is skipped");
        assertEquals("a", dec("Y=Q=="));
        assertEquals("", dec(""));
        assertEquals("", dec("===="));
        assertEquals("abc", dec("YWJj===="));
        assertEquals("abc", dec("YW=Jj"));
    }

    @Test
    void missingPaddingIsRefused() { // the JDK's MIME decoder accepts these; b64decode raises binascii.Error
        for (String s : new String[] {"YWI", "YQ", "YQ=", "YWJjZA", "YWJjZGVmZw", "YWJjZGVmZw=", "QQ=A"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dec(s), s);
            assertTrue(e.getMessage().startsWith("incorrect padding: the data ends inside a 4-character group"), e.getMessage());
        }
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> dec("Y"));
        assertTrue(one.getMessage().startsWith("the number of data characters (1) cannot be 1 more than a multiple of 4"),
                one.getMessage());
    }

    /**
     * Random inputs and what CPython 3.11's base64.b64decode returns for each, in hex, or ERROR
     * for its binascii.Error (seed 20261205).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0d44510d0d4a20440d200d55204a | ERROR",
            "513d513d3d0d | 41",
            "55550a552055510a2a512a0a550a | ERROR",
            "2a440d4a2a3d0d443d0d512a3d51 | 0c90",
            "3d0d0a4a20 | ERROR",
            "0a203d2a | ",
            "3d443d51553d2a2055513d | 0d05",
            "2a4a4a440a0d2a55 | 2490d4",
            "4a55440d | ERROR",
            "0a3d550d440a3d4420514a | ERROR",
            "3d2a440a44440d55553d0a0a | ERROR",
            "440a3d | ERROR",
            "3d0a20552a2020202a0a55200d | ERROR",
            "514a4a0d4a2044 | ERROR",
            "0a44550a204a0d51 | 0d4250",
            "55 | ERROR",
            "2a5520204455 | ERROR",
            "5520203d4420514a0d200d0a55 | ERROR",
            "3d | ",
            "550a440d4a | ERROR",
            "510a2a4a | ERROR",
            "514a | ERROR",
            "2a3d202a5544515520513d3d55 | ERROR",
            "0d2a55 | ERROR",
            "4a202a | ERROR",
            "20512a200d3d440d200d510d55 | 403414",
            "0a55553d444a510d0d3d205120 | ERROR",
            "4a2a44202a | ERROR",
            "2a2a | ",
            "2a554a2a | ERROR"
    })
    void decodesRandomInputsAsB64decode(String input, String expected) {
        byte[] in = java.util.HexFormat.of().parseHex(input);
        if ("ERROR".equals(expected)) {
            assertThrows(IllegalArgumentException.class, () -> Base64Decoder.decode(in), input);
        } else {
            assertEquals(expected == null ? "" : expected, java.util.HexFormat.of().formatHex(Base64Decoder.decode(in)), input);
        }
    }

    @Test
    void significantBytesAreAiohttpsBase64Chars() { // aiohttp's _BASE64_CHARS: the alphabet and "="
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        for (int b = 0; b < 256; b++) {
            assertEquals(alphabet.indexOf(b) >= 0, Base64Decoder.isSignificant((byte) b), "byte " + b);
        }
    }

    @Property(tries = 300, seed = "20261205")
    void decodesWhatTheJdkEncodesInAnyPieces(@ForAll @Size(max = 300) byte[] data,
                                             @ForAll @IntRange(min = 1, max = 9) int piece) {
        byte[] text = Base64.getMimeEncoder().encode(data);
        Base64Decoder d = new Base64Decoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < text.length; off += piece) {
            out.writeBytes(d.feed(Arrays.copyOfRange(text, off, Math.min(text.length, off + piece))));
        }
        d.finish();
        assertArrayEquals(data, out.toByteArray());
        assertArrayEquals(data, Base64Decoder.decode(text));
    }
}

package dev.aio4j.http.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

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

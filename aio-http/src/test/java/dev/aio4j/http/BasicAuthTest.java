package dev.aio4j.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BasicAuth}: mirrors the BasicAuth tests of aiohttp's tests/test_helpers.py. */
class BasicAuthTest {
    @Test
    void basicAuthEncode() {
        assertEquals("Basic bmtpbTpwd2Q=", new BasicAuth("nkim", "pwd").encode());
        assertEquals("Basic bmtpbTo=", new BasicAuth("nkim", "").encode());
        assertEquals("Basic w6k6w6k=", new BasicAuth("\u00e9", "\u00e9", StandardCharsets.UTF_8).encode());
        assertEquals("Basic 6Trp", new BasicAuth("\u00e9", "\u00e9").encode(), "ISO-8859-1 by default, as aiohttp");
    }

    @Test
    void basicAuthDecode() {
        assertEquals(new BasicAuth("nkim", "pwd"), BasicAuth.decode("Basic bmtpbTpwd2Q="));
        assertEquals(new BasicAuth("nkim", "pw:d"), BasicAuth.decode("basic  bmtpbTpwdzpk"), "the password may hold ':'");
        assertEquals(new BasicAuth("\u00e9", "\u00e9", StandardCharsets.UTF_8), BasicAuth.decode("Basic w6k6w6k=", StandardCharsets.UTF_8));
    }

    @Test
    void basicAuthDecodeRefusesWhatIsNotBasic() {
        assertEquals("not Basic credentials (the scheme must be Basic): Bearer x",
                assertThrows(IllegalArgumentException.class, () -> BasicAuth.decode("Bearer x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BasicAuth.decode("Basic !!!"));
        assertEquals("Basic credentials have no ':' between login and password",
                assertThrows(IllegalArgumentException.class, () -> BasicAuth.decode("Basic bmtpbQ==")).getMessage());
    }

    @Test
    void basicAuthInvalidLogin() {
        assertEquals("a Basic auth login must not contain ':' (RFC 7617), got a:b",
                assertThrows(IllegalArgumentException.class, () -> new BasicAuth("a:b", "x")).getMessage());
        assertThrows(NullPointerException.class, () -> new BasicAuth(null, "x"));
        assertThrows(NullPointerException.class, () -> new BasicAuth("a", null));
    }

    /**
     * aiohttp test_helpers.py test_basic_auth_decode_illegal_chars_base64 / encode of a login
     * latin-1 cannot hold: aiohttp raises UnicodeEncodeError from encode(); aio4j refuses at
     * construction, naming the character and the encoding to choose.
     */
    @Test
    void basicAuthRefusesCharactersTheEncodingCannotEncode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BasicAuth("\u20acuro", "x"));
        assertEquals("the Basic auth login holds '\u20ac' (U+20AC EURO SIGN) at index 0, which ISO-8859-1 cannot encode; "
                + "give the encoding the server expects, e.g. new BasicAuth(login, password, StandardCharsets.UTF_8) "
                + "(RFC 7617's charset=\"UTF-8\")", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BasicAuth("ada", "pa\u0161s"));
        assertEquals("the Basic auth password holds U+0161 LATIN SMALL LETTER S WITH CARON at index 2, which ISO-8859-1 "
                + "cannot encode; give the encoding the server expects, e.g. new BasicAuth(login, password, "
                + "StandardCharsets.UTF_8) (RFC 7617's charset=\"UTF-8\")", e.getMessage(), "the password's character is not shown");
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("ada", "\ud83d\ude00", StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> new BasicAuth("ada", "\ud83d", StandardCharsets.UTF_8),
                "a lone surrogate is not text");
        // what the encoding holds is fine
        assertEquals("Basic 4oKsOvCfmIA=", new BasicAuth("\u20ac", "\ud83d\ude00", StandardCharsets.UTF_8).encode());
        assertEquals("Basic /zr/", new BasicAuth("\u00ff", "\u00ff").encode());
    }

    @Test
    void toStringHidesThePassword() { // aio4j-only
        assertEquals("BasicAuth[login=ada, password=***, encoding=ISO-8859-1]", new BasicAuth("ada", "s3cret").toString());
    }
}

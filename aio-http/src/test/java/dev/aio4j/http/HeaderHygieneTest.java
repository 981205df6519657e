package dev.aio4j.http;

import dev.aio4j.http.internal.BodyFraming;
import dev.aio4j.http.internal.ChunkedEncoder;
import dev.aio4j.http.internal.HeadSerializer;
import dev.aio4j.http.internal.ProxySpec;
import dev.aio4j.http.internal.RequestSerializer;
import dev.aio4j.loop.Aio;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Header hygiene on every path to the wire: a value a {@link Headers} object got without the
 * checks of {@link Headers#add} (the read-only head of a received multipart part, decoded as
 * UTF-8) is refused when it is copied into modifiable headers, and again by whatever writes a
 * head (request, response, {@code CONNECT}, trailers) before a byte is written. aio4j-only
 * hardening tests, after aiohttp's {@code _safe_header} ({@code test_http_writer.py}) and the JDK
 * {@code HttpClient}'s refusal of such values.
 */
class HeaderHygieneTest {
    /** A part head as MultipartReader makes it: UTF-8 file name, read-only. */
    private static Headers partHead() {
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Content-Disposition", "form-data; name=\"f\"; filename=\"\u65e5\u672c.txt\""});
        fields.add(new String[] {"Content-Type", "text/plain"});
        return Headers.receivedPartHeaders(fields);
    }

    private static void assertRefusesContentDisposition(Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains("header Content-Disposition"), x.getMessage());
    }

    @Test
    void copyOfAReceivedPartHeadIsChecked() { // failed: the copy held U+65E5, later written as '?'
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Headers.copyOf(partHead()));
        assertTrue(e.getMessage().startsWith("value of header Content-Disposition must contain only HTAB, visible "
                + "ISO-8859-1 characters and spaces"), e.getMessage());
        assertTrue(e.getMessage().contains("read it with get(...) or readOnlyCopy()"), e.getMessage());
    }

    @Test
    void addAllOfAReceivedPartHeadIsCheckedAndAddsNothing() { // failed: added as they were
        Headers h = Headers.of("Accept", "*/*");
        assertRefusesContentDisposition(() -> h.addAll(partHead()));
        assertEquals(Headers.of("Accept", "*/*"), h);
    }

    @Test
    void readOnlyCopyKeepsAPartHeadAsItIs() {
        Headers copy = partHead().readOnlyCopy();
        assertTrue(copy.isReadOnly());
        assertEquals(partHead(), copy);
        assertEquals("text/plain", Headers.copyOf(Headers.of("Content-Type", "text/plain")).get("Content-Type"));
    }

    @Test
    void requestHeadRefusesAFieldThatCannotBeSent() { // failed: written, the value's U+65E5 as '?'
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                RequestSerializer.head("POST", URI.create("http://h/"), partHead(), new BodyFraming.None()));
        assertTrue(e.getMessage().startsWith("cannot send the request head: the value of header Content-Disposition holds "
                + "U+65E5 at index 31"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; nothing was sent"), e.getMessage());
    }

    @Test
    void requestTargetMustBeAscii() { // aio4j-only: java.net.URI lets non-ASCII through
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                RequestSerializer.head("GET", URI.create("http://h/\u00e9"), new Headers(), new BodyFraming.None()));
        assertTrue(e.getMessage().startsWith("cannot send the request head: the request target holds U+00E9"), e.getMessage());
    }

    @Test
    void responseHeadsRefuseAFieldThatCannotBeSent() { // failed: written, the value's U+65E5 as '?'
        assertRefusesContentDisposition(() -> HeadSerializer.serverResponse(200, "OK", partHead(), new BodyFraming.Length(0)));
        assertRefusesContentDisposition(() -> HeadSerializer.response(200, "OK", partHead(), new BodyFraming.Length(0)));
    }

    @Test
    void trailersRefuseAFieldThatCannotBeSent() { // failed: written as '?'
        assertRefusesContentDisposition(() -> ChunkedEncoder.last(partHead()));
        assertEquals("0\r\nX-Sum: 1\r\n\r\n", new String(ChunkedEncoder.last(Headers.of("X-Sum", "1")), StandardCharsets.ISO_8859_1));
    }

    @Test
    void proxyHeadersAreCheckedWhenTheProxyIsGiven() { // failed: accepted, written in the CONNECT as '?'
        assertRefusesContentDisposition(() -> new ProxySpec("proxy", 3128, null, partHead()));
        assertRefusesContentDisposition(() -> RequestOption.proxyHeaders(partHead()));
    }

    @Test
    void appendFieldRefusesNamesThatAreNotTokens() {
        for (String name : new String[] {"X Note", "X:Note", "X\r\nEvil", "", "N\u00e4me"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HeadSerializer.appendField(new StringBuilder(), name, "v", "request"));
            assertTrue(e.getMessage().contains("is not an RFC 9110 token"), e.getMessage());
        }
    }

    /** Every request path: the failure comes before a connection is tried (port 1 would refuse it). */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void clientRequestsRefuseBadFieldsBeforeConnecting() throws Exception {
        String url = "http://127.0.0.1:1/";
        Aio.run(() -> {
            try (ClientSession s = ClientSession.create()) {
                assertRefusesContentDisposition(() -> s.get(url, RequestOption.headers(partHead())));
                assertRefusesContentDisposition(() -> s.wsConnect("ws://127.0.0.1:1/", WSConnectOption.headers(partHead())));
                assertThrows(IllegalArgumentException.class, () -> s.get(url, RequestOption.header("X-Note", "a\r\nX-Evil: 1")));
                assertThrows(IllegalArgumentException.class, () -> s.get(url, RequestOption.header("X-Note", "\u65e5")));
            }
            // a cookie jar (a user's own) whose cookie would split the head
            AbstractCookieJar jar = new AbstractCookieJar() {
                @Override
                public void updateCookies(URI responseUrl, Headers responseHeaders, Instant now) {}

                @Override
                public Map<String, String> filterCookies(URI requestUrl, Instant now) {
                    return Map.of("sid", "1\r\nX-Evil: 1");
                }

                @Override
                public void clear() {}

                @Override
                public int size() {
                    return 1;
                }
            };
            try (ClientSession s = ClientSession.builder().cookieJar(jar).build()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.get(url));
                assertTrue(e.getMessage().startsWith("value of header Cookie must contain only HTAB"), e.getMessage());
            }
            return null;
        });
    }

    /** The wire check and {@link Headers#add} accept exactly the same values. */
    @Property(tries = 300)
    void appendFieldAcceptsWhatHeadersAccept(@ForAll("values") String value) {
        boolean headersOk;
        try {
            new Headers().add("X-V", value);
            headersOk = true;
        } catch (IllegalArgumentException e) {
            headersOk = false;
        }
        StringBuilder sb = new StringBuilder();
        boolean wireOk;
        try {
            HeadSerializer.appendField(sb, "X-V", value, "request");
            wireOk = true;
        } catch (IllegalArgumentException e) {
            wireOk = false;
            assertEquals(0, sb.length(), "nothing appended");
        }
        assertEquals(headersOk, wireOk, value);
        if (wireOk) {
            assertEquals("X-V: " + value + "\r\n", sb.toString());
        }
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withCharRange('\u0000', '\u0120').withChars('\r', '\n', '\t', '\u65e5', '\u2028')
                .ofMaxLength(8);
    }
}

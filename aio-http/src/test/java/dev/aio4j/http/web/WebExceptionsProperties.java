package dev.aio4j.http.web;

import dev.aio4j.http.Headers;
import dev.aio4j.http.web.WebExceptionFamily.Member;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariants of every class of the {@link HTTPException} family (the classes listed in
 * {@link WebExceptionFamily}), and of what a handler may pass in. aio4j-only.
 */
class WebExceptionsProperties {
    @Provide
    Arbitrary<Member> members() {
        return Arbitraries.of(WebExceptionFamily.MEMBERS);
    }

    /** Reasons a status line can carry: printable ISO-8859-1 and HTAB. */
    @Provide
    Arbitrary<String> reasons() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u00ff').withChars('\t').ofMaxLength(30);
    }

    /** Anything, with the characters that could split a header line made likely. */
    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.strings().all().withChars('\r', '\n', '\0', ' ', '%', '<', '>', '"').ofMaxLength(30);
    }

    /**
     * Every concrete class sits in the group of its status's hundred, has the RFC 9110 reason
     * phrase by default, the default text {@code "<status>: <reason>"} as {@code text/plain}, or
     * no body and no Content-Type for 204, 205 and 304.
     */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void everyClassHasItsCategoryStatusAndStandardReason(@ForAll("members") Member m) {
        HTTPException e = m.create();
        assertEquals(m.status(), e.status());
        assertInstanceOf(m.category(), e, m + " is in the group of status " + m.status());
        assertEquals(m.category().getSuperclass() == HTTPException.class ? HTTPException.class : HTTPError.class,
                m.category().getSuperclass());
        assertEquals(m.reason(), e.reason());
        assertEquals(m.reason(), e.getMessage());
        assertEquals(0, e.getStackTrace().length, "no stack trace");
        if (m.emptyBody()) {
            assertNull(e.text());
            assertNull(e.body());
            assertNull(e.contentType());
        } else if (m.type() != HTTPRequestEntityTooLarge.class) {
            assertEquals(m.status() + ": " + m.reason(), e.text());
            assertEquals("text/plain", e.contentType());
            assertArrayEquals(e.text().getBytes(StandardCharsets.UTF_8), e.body());
        }
    }

    /**
     * For every class and any reason and text, the long constructor (aiohttp's keyword
     * arguments) and the fluent setters give the same status, reason, text and header fields (in
     * any order).
     */
    @Property(tries = 300, seed = "20261203")
    void longConstructorAndFluentSettersAgree(@ForAll("members") Member m, @ForAll("reasons") String reason,
            @ForAll String text) {
        if (m.emptyBody()) {
            HTTPException k = m.create(Headers.of("X-A", "1"), reason, null, null);
            HTTPException f = m.create().header("X-A", "1").reason(reason);
            assertSame(k, f);
            assertThrows(IllegalArgumentException.class, () -> m.create().text(text));
            return;
        }
        HTTPException k = m.create(Headers.of("X-A", "1"), reason, text, "custom/type");
        HTTPException f = m.create().header("X-A", "1").reason(reason).text(text).contentType("custom/type");
        assertSame(k, f);
        HTTPException defaults = m.create(null, reason, null, null);
        HTTPException later = m.create().reason(reason);
        assertSame(defaults, later);
    }

    /** Whatever a handler passes as reason, it is refused or it cannot break the status line. */
    @Property(tries = 300, seed = "20261203")
    void reasonNeverHoldsALineBreak(@ForAll("members") Member m, @ForAll("hostile") String reason) {
        try {
            HTTPException e = m.create().reason(reason);
            assertFalse(e.reason().contains("\r") || e.reason().contains("\n"), e.reason());
        } catch (IllegalArgumentException refused) {
            assertTrue(reason.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F || c > 0xFF), reason);
        }
    }

    /**
     * Whatever a handler passes as a location or link, it is refused or its header holds only
     * visible ASCII, and the header is what {@code location()} or {@code link()} returns.
     */
    @Property(tries = 500, seed = "20261203")
    void locationAndLinkHeadersAreVisibleAscii(@ForAll("hostile") String target) {
        try {
            HTTPFound f = new HTTPFound(target);
            String header = f.headers().get("Location");
            assertTrue(header.chars().allMatch(c -> c > 0x20 && c < 0x7F), header);
            assertEquals(f.location().toASCIIString(), header);
        } catch (IllegalArgumentException refused) {
            // empty, or no URI reference even when encoded (e.g. a space in the host)
        }
        try {
            HTTPUnavailableForLegalReasons u = new HTTPUnavailableForLegalReasons(target);
            String header = u.headers().get("Link");
            if (u.link() == null) {
                assertNull(header);
            } else {
                assertEquals("<" + u.link().toASCIIString() + ">; rel=\"blocked-by\"", header);
                assertTrue(header.chars().allMatch(c -> c >= 0x20 && c < 0x7F), header);
            }
        } catch (IllegalArgumentException refused) {
            // no URI reference even when encoded
        }
    }

    private static void assertSame(HTTPException expected, HTTPException actual) {
        assertEquals(expected.getClass(), actual.getClass());
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.reason(), actual.reason());
        assertEquals(expected.text(), actual.text());
        assertEquals(WebExceptionFamily.fieldSet(expected.headers()), WebExceptionFamily.fieldSet(actual.headers()));
        assertArrayEquals(expected.body(), actual.body());
    }
}

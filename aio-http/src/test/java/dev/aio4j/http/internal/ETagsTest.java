package dev.aio4j.http.internal;

import dev.aio4j.http.ETag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ETags} on its own: aiohttp's {@code _etag_values} (tests/test_web_request.py
 * test_etag_headers) and {@code StreamResponse.etag}'s reading (test_web_response.py
 * test_etag_invalid_value_get), with the edges of the character class and the separators.
 */
class ETagsTest {
    private static ETag strong(String v) {
        return new ETag(v);
    }

    @Test
    void listAsAiohttpReadsIt() {
        assertEquals(List.of(strong("67ab43"), new ETag("54ed21", true), strong("7892,dd")),
                ETags.parseList("\"67ab43\", W/\"54ed21\", \"7892,dd\""));
        assertEquals(List.of(strong("valid-tag"), strong("also-valid-tag")),
                ETags.parseList("\"valid-tag\", \"also-valid-tag\",somegarbage\"last-tag\""));
        assertEquals(List.of(strong("*")), ETags.parseList("*"));
        assertNull(ETags.parseList(null));
        assertNull(ETags.parseList(""));
    }

    @Test
    void separatorsAndEnds() {
        assertEquals(List.of(strong("a"), strong("b")), ETags.parseList("\"a\"\t,\t\"b\""));
        assertEquals(List.of(strong("a"), strong("b")), ETags.parseList("\"a\",\"b\""));
        assertEquals(List.of(strong("a")), ETags.parseList("\"a\" ,"));
        assertEquals(List.of(), ETags.parseList("\"a\" \"b\""));     // no comma between: garbage at once
        assertEquals(List.of(), ETags.parseList("\"a\" "));          // a space, then neither comma nor end
        assertEquals(List.of(), ETags.parseList(" \"a\""));          // leading space is garbage, as in aiohttp
        assertEquals(List.of(), ETags.parseList("W/a"));
        assertEquals(List.of(), ETags.parseList("W\"a\""));
        assertEquals(List.of(), ETags.parseList("\"a"));             // unclosed
        assertEquals(List.of(), ETags.parseList("\"\""));            // empty
        assertEquals(List.of(strong("a")), ETags.parseList("\"a\",\"\""));
        assertEquals(List.of(strong("x"), strong("y")), ETags.parseList("\"x\",\u00a0\"y\"")); // Python's \s takes NBSP
        assertEquals(List.of(strong("x")), ETags.parseList("\"x\",\u001c"));
        assertEquals(List.of(strong("x"), strong("y")), ETags.parseList("\"x\"\r,\u000b\"y\""));
        assertEquals(List.of(strong("x"), strong("y")), ETags.parseList("\"x\"\u0085,\u001f\"y\""));
        assertEquals(List.of(), ETags.parseList("\"x\"\u001b,\"y\""));  // ESC is not whitespace
        assertEquals(List.of(), ETags.parseList("\"x\"\u000e,\"y\""));
        assertEquals(List.of(), ETags.parseList("W/"));
        assertEquals(List.of(), ETags.parseList(",\"a\""));               // a leading comma is garbage
        assertEquals(List.of(strong("!#~\u0080\u00ff")), ETags.parseList("\"!#~\u0080\u00ff\""));
        assertEquals(List.of(), ETags.parseList("\"a\u007fb\""));     // DEL is no tag character
        assertEquals(List.of(), ETags.parseList("\"a b\""));
    }

    @Test
    void oneTag() {
        assertEquals(strong("a"), ETags.parseOne("\"a\""));
        assertEquals(new ETag("a", true), ETags.parseOne("W/\"a\""));
        assertEquals(strong("*"), ETags.parseOne("*"));
        assertNull(ETags.parseOne(null));
        assertNull(ETags.parseOne(""));
        assertNull(ETags.parseOne("\"a\" "));
        assertNull(ETags.parseOne("*\""));
        assertNull(ETags.parseOne("a"));
        assertNull(ETags.parseOne("\"a\",\"b\""));
        assertNull(ETags.parseOne("W/"));
    }

    @Test
    void tagText() {
        assertTrue(ETags.isTagText("!"));
        assertTrue(ETags.isTagText("#~"));
        assertTrue(ETags.isTagText("\u0080\u00ff"));
        assertFalse(ETags.isTagText(""));
        assertFalse(ETags.isTagText("\""));
        assertFalse(ETags.isTagText(" "));
        assertFalse(ETags.isTagText("\u0100"));
        assertFalse(ETags.isTagText("\u007f"));
        assertFalse(ETags.isTagText("\u0020"));
        assertEquals("W/\"a\"", new ETag("a", true).headerValue());
        assertEquals("*", new ETag("*", true).headerValue());
    }
}

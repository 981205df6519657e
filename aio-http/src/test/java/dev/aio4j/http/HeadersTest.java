package dev.aio4j.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Headers}, the case-insensitive multi-map. Mirrors multidict's {@code tests/test_multidict.py}
 * for {@code CIMultiDict} (test_getall, test_set_replaces_first, test_del, test_repr, ...), written fresh.
 */
class HeadersTest {
    @Test
    void getIsCaseInsensitiveAndReturnsTheFirst() {
        Headers h = Headers.of("Content-Type", "text/html", "Set-Cookie", "a=1", "set-cookie", "b=2");
        assertEquals("text/html", h.get("content-type"));
        assertEquals("a=1", h.get("SET-COOKIE"));
        assertNull(h.get("missing"));
        assertEquals("dflt", h.getOrDefault("missing", "dflt"));
        assertEquals(List.of("a=1", "b=2"), h.getAll("Set-Cookie"));
        assertEquals(List.of(), h.getAll("missing"));
        assertTrue(h.contains("CONTENT-type"));
        assertFalse(h.contains("Content"));
        assertEquals(3, h.size());
    }

    @Test
    void setReplacesFirstInPlaceAndRemovesTheRest() {
        Headers h = Headers.of("A", "1", "B", "2", "a", "3", "C", "4");
        h.set("A", "x");
        assertEquals("Headers[A: x, B: 2, C: 4]", h.toString());
        h.set("D", "new");
        assertEquals("Headers[A: x, B: 2, C: 4, D: new]", h.toString());
    }

    @Test
    void removeAll() {
        Headers h = Headers.of("A", "1", "B", "2", "a", "3");
        assertEquals(2, h.remove("A"));
        assertEquals(0, h.remove("A"));
        assertEquals("Headers[B: 2]", h.toString());
    }

    @Test
    void namesKeepFirstSpellingAndOrder() {
        Headers h = Headers.of("X-B", "1", "x-a", "2", "X-b", "3", "X-A", "4");
        assertEquals(List.of("X-B", "x-a"), h.names());
        assertEquals(List.of(Map.entry("X-B", "1"), Map.entry("x-a", "2"), Map.entry("X-b", "3"), Map.entry("X-A", "4")), h.entries());
    }

    @Test
    void equalityIgnoresNameCaseButNotOrder() {
        assertEquals(Headers.of("A", "1", "b", "2"), Headers.of("a", "1", "B", "2"));
        assertEquals(Headers.of("A", "1").hashCode(), Headers.of("a", "1").hashCode());
        assertNotEquals(Headers.of("A", "1", "B", "2"), Headers.of("B", "2", "A", "1"));
        assertNotEquals(Headers.of("A", "x"), Headers.of("A", "X"));
    }

    @Test
    void readOnlyCopy() {
        Headers h = Headers.of("A", "1");
        Headers ro = h.readOnlyCopy();
        h.add("B", "2");
        assertEquals("Headers[read-only; A: 1]", ro.toString());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> ro.add("C", "3"));
        assertEquals("these Headers are read-only (a response's headers or a readOnlyCopy()); use Headers.copyOf(...) for a modifiable copy",
                e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> ro.set("A", "2"));
        assertThrows(UnsupportedOperationException.class, () -> ro.remove("A"));
        Headers copy = Headers.copyOf(ro);
        assertFalse(copy.isReadOnly());
        copy.add("C", "3");
        assertEquals(ro, Headers.of("A", "1"));
    }

    @Test
    void namesMustBeTokens() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Headers().add("Bad Name", "v"));
        assertEquals("header name must be a token (RFC 9110 section 5.6.2), got \"Bad Name\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Headers().add("", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Headers().add("A:", "v"));
        assertThrows(NullPointerException.class, () -> new Headers().add(null, "v"));
    }

    @Test
    void valuesCannotSmuggleLines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Headers().add("X", "a\r\nEvil: 1"));
        assertEquals("value of header X must contain only HTAB, visible ISO-8859-1 characters and spaces (no CR, LF or other controls), "
                + "got \"a\\r\\nEvil: 1\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Headers().set("X", "\u0000"));
        assertThrows(IllegalArgumentException.class, () -> new Headers().add("X", "\u20ac"));
        new Headers().add("X", "tab\tand \u00e9 ok");
    }

    @Test
    void ofNeedsPairs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Headers.of("A"));
        assertEquals("namesAndValues must have an even length (name, value, ...), got 1", e.getMessage());
    }

    @Test
    void addAllAndForEach() {
        Headers h = Headers.of("A", "1");
        h.addAll(Headers.of("B", "2", "a", "3"));
        StringBuilder sb = new StringBuilder();
        h.forEach((n, v) -> sb.append(n).append('=').append(v).append(';'));
        assertEquals("A=1;B=2;a=3;", sb.toString());
        h.addAll(h);
        assertEquals(6, h.size());
        assertTrue(new Headers().isEmpty());
    }
}

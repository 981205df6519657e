package dev.aio4j.http.internal;

import dev.aio4j.http.ETag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Entity tags in headers, as aiohttp reads them: the characters of a tag's value
 * ({@code _ETAGC}), one quoted tag ({@code QUOTED_ETAG_RE}, for a response's {@code ETag}) and a
 * list ({@code LIST_QUOTED_ETAG_RE}, for {@code If-Match} and {@code If-None-Match}).
 */
public final class ETags {
    private ETags() {}

    /** One character of a tag's value: {@code !}, {@code #} to {@code ~}, 0x80 to 0xFF. */
    static boolean isTagChar(char c) {
        return c == '!' || c >= 0x23 && c <= 0x7E || c >= 0x80 && c <= 0xFF;
    }

    /**
     * Whether {@code value} can be a tag's value: one or more tag characters.
     *
     * @param value the value, without quotes
     * @return whether it is {@code [!\x23-\x7E\x80-\xff]+}
     */
    public static boolean isTagText(String value) {
        return !value.isEmpty() && tagTextEnd(value, 0) == value.length();
    }

    private static int tagTextEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isTagChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * Reads one quoted tag, as a response's {@code ETag} header holds it.
     *
     * @param header the header's value
     * @return the tag, {@code *} for {@code *}, or null if the value is not one tag
     */
    public static ETag parseOne(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        if (header.equals(ETag.ANY)) {
            return new ETag(ETag.ANY);
        }
        int end = quotedEnd(header, 0);
        return end == header.length() ? tag(header, 0, end) : null;
    }

    /**
     * Reads an {@code If-Match} or {@code If-None-Match} list as aiohttp's {@code _etag_values}:
     * {@code *} alone is any tag; otherwise quoted tags, each followed by a comma (with optional
     * whitespace around it) or the end, up to the first thing that is not (the rest is ignored).
     *
     * @param header the header's value
     * @return the tags, read-only; null if the header is absent or empty (aiohttp's None)
     */
    public static List<ETag> parseList(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        if (header.equals(ETag.ANY)) {
            return List.of(new ETag(ETag.ANY));
        }
        List<ETag> tags = new ArrayList<>();
        int pos = 0;
        int n = header.length();
        while (pos < n) {
            int end = quotedEnd(header, pos);
            if (end < 0) {
                break; // garbage: aiohttp stops at the first character no tag starts at
            }
            int next = separatorEnd(header, end);
            if (next < 0) {
                break; // a tag not followed by a comma or the end is garbage too
            }
            tags.add(tag(header, pos, end));
            pos = next;
        }
        return Collections.unmodifiableList(tags);
    }

    /** The end of {@code (W/)?"tagtext"} at {@code from}, or -1. */
    private static int quotedEnd(String s, int from) {
        int i = s.startsWith("W/", from) ? from + 2 : from;
        if (i >= s.length() || s.charAt(i) != '"') {
            return -1;
        }
        int textEnd = tagTextEnd(s, i + 1);
        if (textEnd == i + 1 || textEnd >= s.length() || s.charAt(textEnd) != '"') {
            return -1;
        }
        return textEnd + 1;
    }

    /** After a tag: the end of {@code \s*,\s*}, the end of the text, or -1 if neither follows. */
    private static int separatorEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && s.charAt(i) == ',') {
            i++;
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
            }
            return i;
        }
        // Python's $ also matches before one trailing newline, which no header value holds
        return from == s.length() ? from : -1;
    }

    /** Python's {@code \s} for the characters a header can hold. */
    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r' || c >= 0x1C && c <= 0x1F || c == 0x85 || c == 0xA0;
    }

    private static ETag tag(String s, int from, int end) {
        boolean weak = s.charAt(from) == 'W';
        return new ETag(s.substring(weak ? from + 3 : from + 1, end - 1), weak);
    }
}

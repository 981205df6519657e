package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Forwarded} request header (RFC 7239) parsed as aiohttp 3's {@code BaseRequest.forwarded}
 * parses it: one map per forwarded-element (each field line, and each comma inside one, starts a
 * new element), parameter names lower-cased, quoted strings unquoted and unescaped, a {@code :port}
 * of 1 to 4 digits after the value kept on it; {@code for}, {@code by}, {@code host} and
 * {@code proto} are not checked beyond token / quoted-string syntax.
 *
 * <p>Bad syntax is skipped, never thrown: the rest of an element is dropped up to the next comma,
 * so an element a trusted proxy appended after a broken one (an unclosed quote, a missing
 * {@code ;}) is still read, as aiohttp's injection tests require.
 *
 * <p>aiohttp matches each pair with a backtracking regular expression whose quoted-string part
 * tries an escape pair before a plain backslash; this class finds the same closing quote in linear
 * time (see {@link #closingQuotes}), so a hostile header of many backslashes costs one pass.
 */
public final class ForwardedHeader {
    private ForwardedHeader() {}

    /**
     * Parses every {@code Forwarded} field line, in order.
     *
     * @param fieldValues the values of the {@code Forwarded} fields, in the order received
     * @return one read-only map per forwarded-element; an empty list if there is no field
     */
    public static List<Map<String, String>> parse(List<String> fieldValues) {
        List<Map<String, String>> elems = new ArrayList<>();
        for (String value : fieldValues) {
            parseField(value, elems);
        }
        return Collections.unmodifiableList(elems);
    }

    private static void parseField(String s, List<Map<String, String>> elems) {
        int length = s.length();
        int[] closing = null; // computed on the first quoted string of this field
        Map<String, String> elem = new LinkedHashMap<>();
        elems.add(Collections.unmodifiableMap(elem));
        boolean needSeparator = false;
        int pos = 0;
        while (pos >= 0 && pos < length) {
            int nameEnd = tokenEnd(s, pos);
            int valueEnd = -1;
            boolean quoted = false;
            if (nameEnd > pos && nameEnd < length && s.charAt(nameEnd) == '=') {
                int v = nameEnd + 1;
                if (v < length && s.charAt(v) == '"') {
                    if (closing == null) {
                        closing = closingQuotes(s);
                    }
                    valueEnd = closing[v + 1]; // v < length, and closing has length + 1 entries
                    quoted = true;
                } else {
                    int t = tokenEnd(s, v);
                    valueEnd = t > v ? t : -1;
                }
            }
            if (valueEnd >= 0) { // a forwarded-pair
                int portEnd = portEnd(s, valueEnd);
                if (needSeparator) {
                    pos = s.indexOf(',', pos); // bad syntax: skip to the next element
                } else {
                    String name = s.substring(pos, nameEnd).toLowerCase(Locale.ROOT);
                    String value = quoted ? unescape(s, nameEnd + 2, valueEnd - 1) : s.substring(nameEnd + 1, valueEnd);
                    elem.put(name, value + s.substring(valueEnd, portEnd));
                    pos = portEnd;
                    needSeparator = true;
                }
            } else {
                char c = s.charAt(pos);
                if (c == ',') { // the next forwarded-element
                    needSeparator = false;
                    elem = new LinkedHashMap<>();
                    elems.add(Collections.unmodifiableMap(elem));
                    pos++;
                } else if (c == ';') { // the next forwarded-pair
                    needSeparator = false;
                    pos++;
                } else if (c == ' ' || c == '\t') { // allowed anywhere, as aiohttp allows it
                    pos++;
                } else {
                    pos = s.indexOf(',', pos); // bad syntax: skip to the next element
                }
            }
        }
    }

    /** The end of the run of token characters starting at {@code from} ({@code from} if none). */
    private static int tokenEnd(String s, int from) {
        int i = from;
        while (i < s.length() && Checks.isTokenChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The end of an optional {@code :} and 1 to 4 digits at {@code from}. */
    private static int portEnd(String s, int from) {
        if (from >= s.length() || s.charAt(from) != ':') {
            return from;
        }
        int i = from + 1;
        while (i < s.length() && i - from <= 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > from + 1 ? i : from;
    }

    /** {@code qdtext}: tab, space, {@code !} and {@code #} to {@code ~} (a backslash included). */
    private static boolean isQdText(char c) {
        return c == '\t' || c == ' ' || c == '!' || c >= 0x23 && c <= 0x7E;
    }

    /** The character after a backslash in a {@code quoted-pair}: tab, space, {@code !} to {@code ~}. */
    private static boolean isEscapable(char c) {
        return c == '\t' || c >= 0x20 && c <= 0x7E;
    }

    /**
     * For each position {@code p} inside a quoted string, the end (after the closing quote) of the
     * quoted string whose content starts at {@code p}, or -1 if none closes it. This is the match a
     * backtracking {@code "(?:quoted-pair|qdtext)*"} finds: at a backslash it first takes the escape
     * pair, then the backslash alone, and stops at an unescaped quote only when no longer match
     * exists; filled from the end, one pass. Entry {@code s.length()} is -1 (no quote closes an
     * empty rest).
     */
    static int[] closingQuotes(String s) {
        int n = s.length();
        int[] end = new int[n + 1]; // end[n]: the string ended before a closing quote
        end[n] = -1;
        for (int p = n - 1; p >= 0; p--) {
            char c = s.charAt(p);
            int r = -1;
            if (c == '\\' && p + 1 < n && isEscapable(s.charAt(p + 1))) {
                r = end[p + 2];
            }
            if (r < 0 && isQdText(c)) {
                r = end[p + 1];
            }
            if (r < 0 && c == '"') {
                r = p + 1;
            }
            end[p] = r;
        }
        return end;
    }

    /** The content between {@code from} and {@code to} with each {@code quoted-pair} replaced by its character. */
    private static String unescape(String s, int from, int to) {
        StringBuilder sb = null;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to && isEscapable(s.charAt(i + 1))) {
                if (sb == null) {
                    sb = new StringBuilder(to - from).append(s, from, i);
                }
                sb.append(s.charAt(++i));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s.substring(from, to) : sb.toString();
    }
}

package dev.aio4j.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the parameters of a {@code WWW-Authenticate} challenge and quotes values for an
 * {@code Authorization} header, for {@link dev.aio4j.http.DigestAuthMiddleware}: aiohttp's
 * {@code parse_header_pairs}, {@code escape_quotes} and {@code unescape_quotes} of
 * {@code client_middleware_digest_auth.py}.
 */
public final class DigestChallenge {
    private DigestChallenge() {
    }

    /*
     * parsePairs finds what aiohttp's regular expression
     *     (?:^|\s|,\s*)((?>\w+))(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+)))?
     * finds with finditer, in one pass:
     * - a match starts at 0 before a word character, at a white-space character before one, or at
     *   a comma followed by white space and then one; the key is the longest run of word characters;
     * - the value, if "=" follows (white space allowed around it), is a quoted string (backslash
     *   escapes any character but a line feed) if one closes, else the run of characters up to white
     *   space or a comma (so a lone '"' is an unquoted value '"'); without a value the key is a bare
     *   token (an auth-scheme name);
     * - the next match is searched from the end of this one.
     * One pass: a quoted scan stops at the first unescaped quote, and every later '="' is one (a
     * quote after '=' or white space is never the second character of an escape), so a scan that
     * fails (at the end, or at a backslash before a line feed) has no later quoted string to
     * overlap with; each character is looked at a bounded number of times.
     */

    /**
     * Returns the parameters of the first challenge in {@code header}, in order, quoted values
     * unescaped; a leading bare token (the scheme) is skipped and the next bare token (the scheme of
     * a second challenge) ends the parameters. Never throws; text that is not a parameter is skipped.
     *
     * @param header the header value, with or without the leading scheme
     * @return the parameters, names as given (a repeated name keeps its first position and last value)
     */
    public static Map<String, String> parsePairs(String header) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int n = header.length();
        int p = 0;
        while (p < n) {
            int key = findKeyStart(header, p);
            if (key < 0) {
                break;
            }
            int keyEnd = key;
            while (keyEnd < n && isWord(header.charAt(keyEnd))) {
                keyEnd++;
            }
            String value = null;
            int end = keyEnd;
            int q = skipSpace(header, keyEnd);
            if (q < n && header.charAt(q) == '=') {
                q = skipSpace(header, q + 1);
                int close = q < n && header.charAt(q) == '"' ? closingQuote(header, q + 1) : -1;
                if (close >= 0) {
                    value = unescapeQuotes(header.substring(q + 1, close));
                    end = close + 1;
                } else {
                    int r = q;
                    while (r < n && !isSpace(header.charAt(r)) && header.charAt(r) != ',') {
                        r++;
                    }
                    if (r > q) {
                        value = header.substring(q, r);
                        end = r;
                    }
                }
            }
            p = end;
            if (value == null) {
                if (!pairs.isEmpty()) {
                    break; // the scheme of the next challenge
                }
                continue; // the scheme of this one
            }
            pairs.put(header.substring(key, keyEnd), value);
        }
        return pairs;
    }

    /** The index where the next key starts at or after {@code from}, or -1. */
    private static int findKeyStart(String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (i == 0 && isWord(c)) {
                return 0;
            }
            if (isSpace(c)) {
                if (i + 1 < n && isWord(s.charAt(i + 1))) {
                    return i + 1;
                }
            } else if (c == ',') {
                int t = skipSpace(s, i + 1);
                if (t < n && isWord(s.charAt(t))) {
                    return t;
                }
                i = t - 1; // the white space after the comma starts no key before t either
            }
        }
        return -1;
    }

    /** The index of the quote closing a quoted string whose text starts at {@code from}, or -1. */
    private static int closingQuote(String s, int from) {
        int n = s.length();
        int r = from;
        while (r < n) {
            char c = s.charAt(r);
            if (c == '"') {
                return r;
            }
            if (c == '\\') {
                if (r + 1 >= n || s.charAt(r + 1) == '\n') {
                    return -1;
                }
                r += 2;
            } else {
                r++;
            }
        }
        return -1;
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Python's {@code \w} on text: letters, digits and other numbers, and the underscore. */
    static boolean isWord(char c) {
        if (c < 0x80) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
        }
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    /** Python's {@code \s} on text ({@code str.isspace()}). */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /**
     * Escapes backslashes and double quotes for an HTTP quoted string.
     *
     * @param value the text
     * @return the text with {@code \} and {@code "} preceded by a backslash
     */
    public static String escapeQuotes(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /**
     * Undoes {@link #escapeQuotes} as aiohttp's {@code unescape_quotes} does: {@code \"} then
     * {@code \\}; other backslashes stay.
     *
     * @param value the text inside the quotes
     * @return the text unescaped
     */
    public static String unescapeQuotes(String value) {
        return value.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}

package dev.aio4j.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Percent-encoding of the path, query and fragment of a URL as yarl (aiohttp's URL type) does by
 * default: every character a component may not hold as it is, non-ASCII included, is encoded as
 * UTF-8 {@code %XX}; what is already encoded stays as it is ({@code %2F} stays {@code %2F}, so an
 * encoded slash is not turned into a path separator), and a {@code %} that is not followed by two
 * hex digits becomes {@code %25}. The result is pure ASCII with no space and no control
 * character.
 *
 * <p>Pure functions of strings.
 */
public final class UrlEncoding {
    private UrlEncoding() {}

    private static final String SUB_DELIMS = "!$&'()*+,;=";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Which ASCII characters a component keeps as they are. */
    private enum Component {
        PATH("/:@"), QUERY("/:@?"), FRAGMENT("/:@?"), AUTHORITY(":@[]");

        private final boolean[] keep = new boolean[128];

        Component(String extra) {
            for (char c = 'a'; c <= 'z'; c++) {
                keep[c] = true;
                keep[Character.toUpperCase(c)] = true;
            }
            for (char c = '0'; c <= '9'; c++) {
                keep[c] = true;
            }
            for (char c : ("-._~" + SUB_DELIMS + extra).toCharArray()) {
                keep[c] = true;
            }
        }
    }

    /**
     * Encodes a path.
     *
     * @return the path with everything but {@code pchar} and {@code /} percent-encoded
     */
    public static String encodePath(String path) {
        return encode(path, Component.PATH);
    }

    /**
     * Encodes a query (without its {@code ?}).
     *
     * @return the query with everything but {@code pchar}, {@code /} and {@code ?} percent-encoded
     */
    public static String encodeQuery(String query) {
        return encode(query, Component.QUERY);
    }

    /**
     * Encodes a fragment (without its {@code #}).
     *
     * @return the fragment, encoded as a query is
     */
    public static String encodeFragment(String fragment) {
        return encode(fragment, Component.FRAGMENT);
    }

    /**
     * Encodes an authority ({@code userinfo@host:port}) for {@link java.net.URI}: everything but
     * the unreserved characters, sub-delims, {@code :}, {@code @}, {@code [} and {@code ]}.
     *
     * @return the authority with the characters RFC 3986 does not allow there percent-encoded
     */
    public static String encodeAuthority(String authority) {
        return encode(authority, Component.AUTHORITY);
    }

    private static String encode(String s, Component c) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            boolean keep = ch < 128 && c.keep[ch] || ch == '%' && isEscape(s, i);
            if (keep) {
                if (out != null) {
                    out.append(ch);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16);
                out.append(s, 0, i);
            }
            int cp = s.codePointAt(i);
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            for (byte b : utf8) {
                appendEscape(out, b & 0xFF);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Appends {@code %XX} for one byte. */
    static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    /** Whether {@code s[i]} is a {@code %} followed by two hex digits. */
    private static boolean isEscape(String s, int i) {
        return i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0
                && s.charAt(i + 1) < 128 && s.charAt(i + 2) < 128;
    }

    /**
     * Decodes a raw query string as yarl's {@code URL.query_string} (its {@code _Unquoter(qs=True)})
     * does: {@code +} is a space; a {@code %XX} run that is valid UTF-8 is its characters, except
     * that an escaped {@code +}, {@code =}, {@code &} or {@code ;} stays escaped ({@code %2B},
     * {@code %3D}, {@code %26}, {@code %3B}, upper case), so the result still splits into the same
     * fields; escapes that are not valid UTF-8 are kept as they were written, and so is a
     * {@code %} not followed by two hex digits.
     *
     * @param raw the query as sent, without the {@code ?}
     * @return the decoded query string
     */
    public static String unquoteQueryString(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int pendingFrom = -1; // where the escapes of an unfinished UTF-8 sequence start, or -1
        int have = 0;
        int need = 0;
        int codePoint = 0;
        int i = 0;
        while (i < raw.length()) {
            char ch = raw.charAt(i);
            if (ch == '%' && isEscape(raw, i)) {
                int b = Character.digit(raw.charAt(i + 1), 16) << 4 | Character.digit(raw.charAt(i + 2), 16);
                if (pendingFrom >= 0) {
                    if (continues(b, have, codePoint, need)) {
                        codePoint = codePoint << 6 | b & 0x3F;
                        i += 3;
                        if (++have == need) {
                            appendDecoded(out, codePoint);
                            pendingFrom = -1;
                        }
                        continue;
                    }
                    out.append(raw, pendingFrom, i); // not UTF-8: the escapes as written
                    pendingFrom = -1;
                }
                need = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
                if (need == 0) {
                    out.append(raw, i, i + 3); // a byte no UTF-8 character starts with
                } else if (need == 1) {
                    appendDecoded(out, b);
                } else {
                    pendingFrom = i;
                    have = 1;
                    codePoint = b & (0xFF >> (need + 1));
                }
                i += 3;
                continue;
            }
            if (pendingFrom >= 0) {
                out.append(raw, pendingFrom, i);
                pendingFrom = -1;
            }
            out.append(ch == '+' ? ' ' : ch);
            i++;
        }
        if (pendingFrom >= 0) {
            out.append(raw, pendingFrom, raw.length());
        }
        return out.toString();
    }

    /**
     * Whether {@code b} is the next byte of a UTF-8 sequence of {@code need} bytes of which
     * {@code have} are in {@code codePoint}, as Python's strict decoder checks it (no overlong
     * form, no surrogate, nothing past U+10FFFF).
     */
    private static boolean continues(int b, int have, int codePoint, int need) {
        if (b < 0x80 || b > 0xBF) {
            return false;
        }
        if (have == 1) {
            int lead = codePoint; // the lead byte's bits
            if (need == 3 && lead == 0x0 && b < 0xA0 || need == 3 && lead == 0xD && b > 0x9F) {
                return false; // E0 overlong, ED surrogate
            }
            if (need == 4 && lead == 0x0 && b < 0x90 || need == 4 && lead == 0x4 && b > 0x8F) {
                return false; // F0 overlong, F4 past U+10FFFF
            }
        }
        return true;
    }

    private static void appendDecoded(StringBuilder out, int codePoint) {
        switch (codePoint) {
            case '+' -> out.append("%2B");
            case '=' -> out.append("%3D");
            case '&' -> out.append("%26");
            case ';' -> out.append("%3B");
            default -> out.appendCodePoint(codePoint);
        }
    }

    /**
     * Decodes every {@code %XX} and reads the bytes as UTF-8 (malformed sequences become
     * U+FFFD); a {@code %} that is not followed by two hex digits is kept.
     *
     * @return the decoded text
     */
    public static String decode(String s) {
        try {
            return decode(s, StandardCharsets.UTF_8, false);
        } catch (CharacterCodingException e) {
            throw new AssertionError("a lenient decode never fails", e);
        }
    }

    /**
     * Decodes every {@code %XX}, reading each run of escaped bytes in {@code charset}, as Python's
     * {@code urllib.parse.unquote(s, charset, errors)}: other characters are kept as they are, and
     * so is a {@code %} not followed by two hex digits.
     *
     * @param strict whether bytes that are not valid in {@code charset} fail ({@code errors="strict"})
     *     or become U+FFFD ({@code errors="replace"})
     * @return the decoded text
     * @throws CharacterCodingException if {@code strict} and a run of bytes is not valid in {@code charset}
     */
    public static String decode(String s, Charset charset, boolean strict) throws CharacterCodingException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        CharsetDecoder decoder = charset.newDecoder();
        CodingErrorAction onError = strict ? CodingErrorAction.REPORT : CodingErrorAction.REPLACE;
        decoder.onMalformedInput(onError).onUnmappableCharacter(onError);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%' && isEscape(s, i)) {
                bytes.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
                continue;
            }
            flush(bytes, decoder, out);
            out.append(ch);
        }
        flush(bytes, decoder, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, CharsetDecoder decoder, StringBuilder out)
            throws CharacterCodingException {
        if (bytes.size() > 0) {
            out.append(decoder.reset().decode(ByteBuffer.wrap(bytes.toByteArray())));
            bytes.reset();
        }
    }

    /**
     * Turns a header value that the parser read as ISO-8859-1 (one char per byte) back into the
     * server's bytes, and percent-encodes those from 0x80 up, so a {@code Location} with raw UTF-8
     * names exactly the bytes the server sent.
     *
     * @return the value with chars U+0080 to U+00FF as {@code %XX}
     */
    public static String escapeHighBytes(String latin1) {
        StringBuilder out = null;
        for (int i = 0; i < latin1.length(); i++) {
            char ch = latin1.charAt(i);
            if (ch >= 0x80 && ch <= 0xFF) {
                if (out == null) {
                    out = new StringBuilder(latin1.length() + 16).append(latin1, 0, i);
                }
                appendEscape(out, ch);
            } else if (out != null) {
                out.append(ch);
            }
        }
        return out == null ? latin1 : out.toString();
    }

    /**
     * Returns the first character that may never appear in a URL sent as given (a space, a
     * control character, or a non-ASCII one), or -1.
     *
     * @return the index of the first such character, or -1
     */
    public static int firstUnsendable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch <= 0x20 || ch >= 0x7F) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses {@code application/x-www-form-urlencoded} text (a query string or a form body):
     * {@code &}-separated {@code name=value} pairs, {@code +} meaning a space, then
     * {@link #decode}. A pair without {@code =} has an empty value; empty pairs are skipped.
     *
     * @return the pairs in order
     */
    public static List<Map.Entry<String, String>> parseForm(String s) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        int start = 0;
        while (start <= s.length()) {
            int amp = s.indexOf('&', start);
            int end = amp < 0 ? s.length() : amp;
            if (end > start) {
                String pair = s.substring(start, end);
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                out.add(Map.entry(decode(name.replace('+', ' ')), decode(value.replace('+', ' '))));
            }
            start = end + 1;
        }
        return out;
    }
}

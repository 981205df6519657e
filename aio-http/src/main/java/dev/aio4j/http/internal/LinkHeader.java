package dev.aio4j.http.internal;

import dev.aio4j.http.MultiDict;
import dev.aio4j.loop.internal.Checks;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code Link} header (RFC 8288 section 3), read for {@code ClientResponse.links()}, aiohttp's
 * {@code ClientResponse.links}.
 *
 * <p>The reading follows RFC 8288 appendix B: a field is a comma-separated list of
 * {@code <target>} each followed by {@code ; name=value} parameters, a value a token or a quoted
 * string (backslash escapes undone), a parameter without {@code =} has the value {@code ""}, and
 * parameter names are folded to lower case. It is lenient where appendix B is and where aiohttp
 * is, and never throws: garbage where a link should start is skipped up to the next comma outside
 * a quoted string (appendix B gives up on the rest of the field; aiohttp skips it too, splitting
 * at a comma before {@code <}); garbage after a parameter is skipped up to the next {@code ;} or
 * {@code ,}; a parameter whose name is empty or not a token, and one named {@code url} (the name the
 * resolved target takes), are left out; a quoted string without its closing quote spoils its parameter, which is
 * left out, and swallows the rest of the field, as any quoted string does; a {@code <} without a
 * {@code >} ends the field. {@code title*} and other RFC 8187 values are kept as sent.
 *
 * <p>Bounded: one pass over each field, no regular expression and no recursion, so the time and
 * memory are linear in the field's length whatever it holds (a 100 KB field of {@code ;} or
 * {@code "} included), and {@link #parse} gives no more than the field holds. {@link #links}
 * adds to each link its resolved {@code "url"}, which can be as long as the base URL plus the
 * target, so a field of {@code n} empty targets ({@code <>,<>,...}) gives about {@code n / 3}
 * copies of the base: the client's 64 KiB header limit bounds {@code n}, as it bounds aiohttp's
 * one URL object per link.
 *
 * <p>Pure functions of strings.
 */
public final class LinkHeader {
    private LinkHeader() {}

    /**
     * One link-value: the target as sent between {@code <} and {@code >}, and its parameters in
     * order, names in lower case.
     *
     * @param target the URI reference as sent
     * @param params the parameters, name to value, in order (a name may repeat)
     */
    public record Link(String target, List<Map.Entry<String, String>> params) {
        public Link {
            params = List.copyOf(params);
        }

        /**
         * Returns the value of the first parameter named {@code name}, or {@code null}.
         *
         * @param name a lower-case name
         * @return the value, or {@code null}
         */
        public String param(String name) {
            for (Map.Entry<String, String> p : params) {
                if (p.getKey().equals(name)) {
                    return p.getValue();
                }
            }
            return null;
        }
    }

    /**
     * Parses one {@code Link} field value.
     *
     * @param field the field value
     * @return the links, in order; empty for a field without one
     */
    public static List<Link> parse(String field) {
        List<Link> links = new ArrayList<>();
        int n = field.length();
        int i = 0;
        while (true) {
            while (i < n && (isOws(field.charAt(i)) || field.charAt(i) == ',')) {
                i++;
            }
            if (i == n) {
                return links;
            }
            if (field.charAt(i) != '<') {
                i = skipTo(field, i, ',', ',');  // not a link-value: skip it
                continue;
            }
            int close = field.indexOf('>', i + 1);
            if (close < 0) {
                return links;                    // no target can end in the rest
            }
            String target = field.substring(i + 1, close);
            i = close + 1;
            List<Map.Entry<String, String>> params = new ArrayList<>();
            while (true) {
                i = skipOws(field, i);
                if (i == n || field.charAt(i) == ',') {
                    break;
                }
                if (field.charAt(i) != ';') {
                    i = skipTo(field, i, ';', ',');  // garbage after a parameter
                    continue;
                }
                i = skipOws(field, i + 1);
                int nameStart = i;
                while (i < n && !isOws(field.charAt(i)) && "=;,".indexOf(field.charAt(i)) < 0) {
                    i++;
                }
                String name = asciiLower(field.substring(nameStart, i));
                i = skipOws(field, i);
                String value = "";
                if (i < n && field.charAt(i) == '=') {
                    i = skipOws(field, i + 1);
                    if (i < n && field.charAt(i) == '"') {
                        StringBuilder sb = new StringBuilder();
                        i = quotedString(field, i, sb);
                        if (i < 0) {
                            i = n;
                            value = null;        // unterminated: the parameter is left out
                        } else {
                            value = sb.toString();
                        }
                    } else {
                        int valueStart = i;
                        while (i < n && field.charAt(i) != ';' && field.charAt(i) != ',') {
                            i++;
                        }
                        int end = i;
                        while (end > valueStart && isOws(field.charAt(end - 1))) {
                            end--;
                        }
                        value = field.substring(valueStart, end);
                    }
                }
                if (value != null && !name.isEmpty() && name.chars().allMatch(Checks::isTokenChar) && !name.equals("url")) {
                    params.add(Map.entry(name, value));
                }
            }
            links.add(new Link(target, params));
        }
    }

    /**
     * Returns aiohttp's {@code response.links} for the {@code Link} fields of a response: each
     * link under its first {@code rel} (or, without one, its target as sent), as its parameters
     * followed by {@code "url"}, the target resolved against {@code base} (RFC 3986 section 5.2;
     * bytes from 0x80 up, read as ISO-8859-1, percent-encoded).
     *
     * @param base the response's URL
     * @param fields every {@code Link} field value, in order
     * @return the links, read-only
     */
    public static MultiDict<MultiDict<String>> links(URI base, List<String> fields) {
        MultiDict.Builder<MultiDict<String>> out = MultiDict.builder();
        UriReference baseRef = null;
        for (String field : fields) {
            for (Link link : parse(field)) {
                MultiDict.Builder<String> one = MultiDict.builder();
                for (Map.Entry<String, String> p : link.params()) {
                    one.add(p.getKey(), p.getValue());
                }
                if (baseRef == null) {
                    baseRef = UriReference.split(base.toString());
                }
                one.add("url", baseRef.resolve(UriReference.split(UrlEncoding.escapeHighBytes(link.target()))).toString());
                String rel = link.param("rel");
                out.add(rel != null ? rel : link.target(), one.build());
            }
        }
        return out.build();
    }

    /** Returns the index after the OWS (SP, HTAB) at {@code i}. */
    private static int skipOws(String s, int i) {
        while (i < s.length() && isOws(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Returns the index of the first {@code a} or {@code b} at or after {@code i} outside a quoted
     * string, or the length of {@code s}.
     */
    private static int skipTo(String s, int i, char a, char b) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == a || c == b) {
                return i;
            }
            if (c == '"') {
                i = quotedString(s, i, null);
                if (i < 0) {
                    return n;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /**
     * Reads the quoted string starting at {@code s[i] == '"'} (RFC 9110 section 5.6.4, as RFC 8288
     * appendix B.4 reads it: a backslash takes the next character as it is), appending its content
     * to {@code out} if not null.
     *
     * @return the index after the closing quote, or -1 if there is none
     */
    private static int quotedString(String s, int i, StringBuilder out) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == n) {
                    return -1;
                }
                c = s.charAt(i);
            }
            if (out != null) {
                out.append(c);
            }
            i++;
        }
        return -1;
    }

    private static String asciiLower(String s) {
        StringBuilder sb = null;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(k, (char) (c + 32));
            }
        }
        return sb == null ? s : sb.toString();
    }
}

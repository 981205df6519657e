package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Disposition} header (RFC 6266, RFC 7578 section 4.2), the one place aio4j
 * reads and writes it: aiohttp's {@code parse_content_disposition} and
 * {@code content_disposition_filename} for reading, and the quoting of a form field's name and
 * file name for writing.
 *
 * <p>Reading follows aiohttp. {@link #parse} gives the disposition type in lower case and the
 * parameters by lower-case name, or {@link #INVALID} for a malformed header (aiohttp warns
 * {@code BadContentDispositionHeader} and returns {@code (None, {})}); a malformed parameter is
 * left out ({@code BadContentDispositionParam}). Quoted values lose their backslash escapes and
 * any leading {@code /} or {@code \}; extended values ({@code filename*=UTF-8''na%C3%AFve.txt},
 * RFC 5987/8187) are percent-decoded strictly in their charset. {@link #param} then picks a
 * parameter's value: the extended one first, then the plain one, then RFC 2231 continuations
 * ({@code filename*0}, {@code filename*1*}, ...) joined.
 *
 * <p>Where aio4j differs: a quoted value may hold any number of {@code ;} (aiohttp repairs one);
 * continuations are joined in numeric order, and only their extended segments are percent-decoded
 * (aiohttp decodes the joined value when it holds a {@code '}); and {@link #formDataParam} also
 * undoes the {@code %22}, {@code %0D} and {@code %0A} that browsers write for {@code "}, CR and LF
 * in a plain value (the HTML standard's multipart/form-data encoding), which aiohttp leaves as
 * they are.
 *
 * <p>Pure functions of strings.
 */
public final class ContentDisposition {
    private ContentDisposition() {}

    /**
     * A parsed header: the disposition type (lower case) and the parameters by lower-case name,
     * in header order; the type is null when the header is missing or malformed.
     *
     * @param type the disposition type, or null
     * @param params the parameters, read-only
     */
    public record Parsed(String type, Map<String, String> params) {}

    /** What a missing or malformed header parses to: aiohttp's {@code (None, {})}. */
    public static final Parsed INVALID = new Parsed(null, Map.of());

    /**
     * Parses a Content-Disposition value: aiohttp's {@code parse_content_disposition}.
     *
     * @param header the header value, or null
     * @return the type and parameters, or {@link #INVALID}
     */
    public static Parsed parse(String header) {
        return parse(header, problem -> { });
    }

    /**
     * Parses a Content-Disposition value, telling {@code problems} what was malformed where
     * aiohttp warns: a malformed header (aiohttp's {@code BadContentDispositionHeader}; the
     * result is then {@link #INVALID}, and it is the only problem told) or each parameter left out
     * ({@code BadContentDispositionParam}).
     *
     * @param header the header value, or null
     * @param problems receives one sentence per problem, starting with the aiohttp warning's name
     * @return the type and parameters, or {@link #INVALID}
     */
    public static Parsed parse(String header, java.util.function.Consumer<String> problems) {
        if (header == null || header.isEmpty()) {
            return INVALID;
        }
        List<String> parts = new ArrayList<>(List.of(header.split(";", -1)));
        String type = parts.remove(0).strip();
        if (!Checks.isToken(type)) {
            return invalid(problems, "the disposition type " + Escaping.quote(type) + " is not a token");
        }
        Map<String, String> params = new LinkedHashMap<>();
        while (!parts.isEmpty()) {
            String item = parts.remove(0);
            if (item.isEmpty()) {
                continue; // a trailing or doubled ';'
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                return invalid(problems, "the item " + Escaping.quote(item.strip()) + " is not a name=value parameter");
            }
            String key = item.substring(0, eq).toLowerCase(Locale.ROOT).strip();
            String value = item.substring(eq + 1).stripLeading();
            if (params.containsKey(key)) {
                return invalid(problems, "the parameter " + key + " appears twice");
            }
            if (!Checks.isToken(key)) {
                badParam(problems, item, "its name is not a token");
                continue;
            }
            if (isContinuation(key)) {
                if (isQuoted(value)) {
                    value = unescape(value.substring(1, value.length() - 1));
                } else if (!Checks.isToken(value)) {
                    badParam(problems, item, "its value is neither a token nor a quoted string");
                    continue;
                }
            } else if (key.endsWith("*")) {
                value = extendedValue(value);
                if (value == null) {
                    badParam(problems, item, "its value is not charset'language'percent-encoded text (RFC 8187) in a known charset");
                    continue;
                }
            } else {
                String trimmed = value.stripTrailing();
                if (isQuoted(trimmed)) {
                    value = unescape(stripSlashes(trimmed.substring(1, trimmed.length() - 1)));
                } else if (!Checks.isToken(value)) {
                    // a quoted value holding ';' was split: join the pieces until the quote closes
                    StringBuilder joined = new StringBuilder(value);
                    String closed = null;
                    while (value.startsWith("\"") && !parts.isEmpty()) {
                        joined.append(';').append(parts.remove(0));
                        String t = joined.toString().stripTrailing();
                        if (isQuoted(t)) {
                            closed = t;
                            break;
                        }
                    }
                    if (closed == null) {
                        return invalid(problems, "the value of " + key + " is neither a token nor a quoted string: "
                                + Escaping.quote(value.strip()));
                    }
                    value = unescape(stripSlashes(closed.substring(1, closed.length() - 1)));
                }
            }
            params.put(key, value);
        }
        return new Parsed(type.toLowerCase(Locale.ROOT), Collections.unmodifiableMap(params));
    }

    private static Parsed invalid(java.util.function.Consumer<String> problems, String why) {
        problems.accept("BadContentDispositionHeader: " + why + "; the header is ignored");
        return INVALID;
    }

    private static void badParam(java.util.function.Consumer<String> problems, String item, String why) {
        problems.accept("BadContentDispositionParam: " + Escaping.quote(item.strip()) + " is left out: " + why);
    }

    /**
     * Picks the value of parameter {@code name}: aiohttp's {@code content_disposition_filename}.
     * {@code name*} wins over {@code name}; without either, the continuations {@code name*0},
     * {@code name*1}, ... (each possibly extended, {@code name*0*}) are joined while their numbers
     * follow on, the first extended segment giving the charset.
     *
     * @param params parameters from {@link #parse}
     * @param name a lower-case parameter name, e.g. {@code filename}
     * @return the value, or null if there is none or it cannot be decoded
     */
    public static String param(Map<String, String> params, String name) {
        String extended = params.get(name + "*");
        if (extended != null) {
            return extended;
        }
        String plain = params.get(name);
        if (plain != null) {
            return plain;
        }
        return continuation(params, name);
    }

    /**
     * A multipart/form-data part's parameter: {@link #param} on {@link #parse}d {@code header},
     * and in a plain value the browsers' {@code %22}, {@code %0D} and {@code %0A} turned back into
     * {@code "}, CR and LF.
     *
     * @param header the part's Content-Disposition, or null
     * @param name a lower-case parameter name: {@code name} or {@code filename}
     * @return the value, or null
     */
    public static String formDataParam(String header, String name) {
        return formDataParamOf(parse(header), name);
    }

    /**
     * As {@link #formDataParam(String, String)}, on a header parsed already.
     *
     * @param parsed the part's Content-Disposition, parsed
     * @param name a lower-case parameter name: {@code name} or {@code filename}
     * @return the value, or null
     */
    public static String formDataParamOf(Parsed parsed, String name) {
        Map<String, String> params = parsed.params();
        if (!params.containsKey(name + "*") && params.containsKey(name)) {
            return params.get(name).replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
        }
        return param(params, name);
    }

    /**
     * A form field's name or file name as the inside of a quoted string, as browsers write it
     * (RFC 7578 section 4.2): {@code "} as {@code %22}, and {@code \} escaped as {@code \\} so
     * that a quoted-string reader (aiohttp's, Go's, Python's email package) gets it back. Other
     * characters, non-ASCII ones included, are written as they are (as UTF-8).
     *
     * @param value a name free of control characters ({@link #checkFormValue})
     * @return the text to put between the quotes
     */
    public static String quoteFormValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "%22");
    }

    /**
     * Refuses a form field's name, file name or content type that holds CR, LF or another control
     * character but HTAB: one could end the part's header line and inject headers (aiohttp's
     * {@code _safe_header}).
     *
     * @param value the value
     * @param what what it is, e.g. {@code field name} or {@code filename of field "photo"}
     * @return {@code value}
     * @throws IllegalArgumentException naming {@code what} and the value
     */
    public static String checkFormValue(String value, String what) {
        Checks.notNull(value, what);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7F) {
                throw new IllegalArgumentException(what + " must not contain CR, LF or other control characters "
                        + "(they would end the part's header line), got " + Escaping.quote(value));
            }
        }
        return value;
    }

    /**
     * Writes a Content-Disposition value: aiohttp's {@code content_disposition_header} (what
     * {@code Payload.set_content_disposition} sets). A parameter whose value is ASCII is a quoted
     * string: for {@code form-data}, quoted as browsers do ({@link #quoteFormValue}); for other
     * types, with {@code \} and {@code "} escaped as quoted-pairs (RFC 9110 section 5.6.4). A value
     * with a character beyond ASCII is written {@code name*=utf-8''percent-encoded} (RFC 8187),
     * which {@link #param} reads back, so the header stays ASCII. aiohttp percent-encodes a plain
     * {@code filename} instead, which its own reader does not decode.
     *
     * @param type the disposition type, a token: {@code attachment}, {@code inline}, {@code form-data}
     * @param params parameters in order, e.g. {@code name} and {@code filename}; names are tokens
     * @return the header value
     * @throws IllegalArgumentException if the type or a parameter name is not a token, or a value
     *         holds CR, LF or another control character but HTAB
     */
    public static String header(String type, Map<String, String> params) {
        Checks.notNull(type, "Content-Disposition type");
        if (!Checks.isToken(type)) {
            throw new IllegalArgumentException("Content-Disposition type must be a token (RFC 6266), such as attachment, "
                    + "inline or form-data, got " + Escaping.quote(type));
        }
        boolean formData = type.equalsIgnoreCase("form-data");
        StringBuilder sb = new StringBuilder(type);
        for (Map.Entry<String, String> e : Checks.notNull(params, "params").entrySet()) {
            String key = e.getKey();
            if (key == null || !Checks.isToken(key) || key.indexOf('*') >= 0) {
                throw new IllegalArgumentException("Content-Disposition parameter name must be a token without '*' "
                        + "(the extended form is chosen by the value), got " + Escaping.quote(key));
            }
            String value = checkFormValue(e.getValue(), "Content-Disposition parameter " + key);
            sb.append("; ");
            if (value.chars().allMatch(c -> c < 0x80)) {
                sb.append(key).append("=\"")
                        .append(formData ? quoteFormValue(value) : value.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            } else {
                sb.append(key).append("*=utf-8''");
                for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                    int c = b & 0xFF;
                    if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                        sb.append((char) c);
                    } else {
                        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                                .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                    }
                }
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------ internals

    private static boolean isQuoted(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"';
    }

    /** {@code name*N} or {@code name*N*}: digits after the first '*'. */
    private static boolean isContinuation(String key) {
        int star = key.indexOf('*');
        if (star < 0) {
            return false;
        }
        int end = key.endsWith("*") ? key.length() - 1 : key.length();
        if (end <= star + 1) {
            return false;
        }
        for (int i = star + 1; i < end; i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A backslash takes the next ASCII character as it is (a quoted-pair). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) < 0x80) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Drops leading '/' and '\': a file name is never a path from the root. */
    private static String stripSlashes(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == '/' || s.charAt(i) == '\\')) {
            i++;
        }
        return s.substring(i);
    }

    /** {@code charset'lang'pct-encoded} (RFC 8187), decoded; null if malformed or undecodable. */
    private static String extendedValue(String value) {
        if (!Checks.isToken(value) || value.chars().filter(c -> c == '\'').count() != 2) {
            return null;
        }
        int q1 = value.indexOf('\'');
        int q2 = value.indexOf('\'', q1 + 1);
        Charset charset = charset(value.substring(0, q1));
        if (charset == null) {
            return null;
        }
        try {
            return stripSlashes(UrlEncoding.decode(value.substring(q2 + 1), charset, true));
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The named charset, UTF-8 for an empty name, or null if unknown. */
    private static Charset charset(String name) {
        if (name.isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String continuation(Map<String, String> params, String name) {
        String prefix = name + "*";
        List<String> values = new ArrayList<>();
        List<Boolean> extended = new ArrayList<>();
        for (int n = 0; ; n++) {
            String plain = params.get(prefix + n);
            String ext = params.get(prefix + n + "*");
            if (plain == null && ext == null) {
                break;
            }
            values.add(ext != null ? ext : plain);
            extended.add(ext != null);
        }
        if (values.isEmpty()) {
            return null;
        }
        if (!extended.get(0)) {
            if (extended.contains(true)) {
                return decodeSegments(values, extended, StandardCharsets.UTF_8);
            }
            return stripSlashes(String.join("", values));
        }
        String first = values.get(0);
        int q1 = first.indexOf('\'');
        int q2 = q1 < 0 ? -1 : first.indexOf('\'', q1 + 1);
        if (q2 < 0) {
            return null;
        }
        Charset charset = charset(first.substring(0, q1));
        if (charset == null) {
            return null;
        }
        values.set(0, first.substring(q2 + 1));
        return decodeSegments(values, extended, charset);
    }

    /** Extended segments percent-decoded, plain ones as they are, all read in {@code charset}. */
    private static String decodeSegments(List<String> values, List<Boolean> extended, Charset charset) {
        // one run of percent-encoded text, so a character whose bytes span two segments decodes whole
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (extended.get(i)) {
                encoded.append(values.get(i));
            } else {
                for (byte b : values.get(i).getBytes(charset)) {
                    UrlEncoding.appendEscape(encoded, b & 0xFF);
                }
            }
        }
        try {
            return stripSlashes(UrlEncoding.decode(encoded.toString(), charset, true));
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

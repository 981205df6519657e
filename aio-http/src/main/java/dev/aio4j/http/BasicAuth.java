package dev.aio4j.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * HTTP Basic authentication credentials (RFC 7617): a login and a password, sent as
 * {@code Authorization: Basic <base64(login:password)>}. Give them to a session
 * ({@link ClientSession.Builder#auth(BasicAuth)}) or to one request
 * ({@link RequestOption#auth(BasicAuth)}, which wins):
 *
 * <pre>{@code
 * try (ClientResponse r = session.get("https://api.example/me", RequestOption.auth(new BasicAuth("ada", "s3cret")))) {
 *     r.raiseForStatus();
 * }
 * }</pre>
 *
 * <p>A request's credentials follow redirects within the same origin (scheme, host, port) and are
 * dropped at the first redirect to another origin, as aiohttp drops them; they are not sent again
 * on a later redirect back. A session's credentials are chosen again for every URL of a redirect
 * chain, as aiohttp chooses them: without a base URL they go to every URL (a redirect to another
 * origin included), with a base URL only to the base URL's origin. Giving {@code auth} together
 * with an {@code Authorization} header is refused.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.BasicAuth(login, password='', encoding='latin1')} with
 * {@code encode()} and {@code BasicAuth.decode(header)}. <b>Differences:</b> a record;
 * {@link #toString()} hides the password; no {@code from_url} (user info in a URL is refused, see
 * {@link InvalidURL}).
 *
 * @param login the user name; it must not contain {@code :}
 * @param password the password, possibly empty
 * @param encoding how login and password are turned into bytes (ISO-8859-1 as in aiohttp, or
 *        UTF-8, which RFC 7617's {@code charset="UTF-8"} asks for)
 * @since 0.1
 */
public record BasicAuth(String login, String password, Charset encoding) {
    /**
     * Checks the credentials.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the login contains {@code :}, or the login or the
     *         password holds a character {@code encoding} cannot encode (aiohttp fails in
     *         {@code encode()}; here the mistake shows where the credentials are made)
     */
    public BasicAuth {
        Objects.requireNonNull(login, "login must not be null");
        Objects.requireNonNull(password, "password must not be null (use \"\" for none)");
        Objects.requireNonNull(encoding, "encoding must not be null");
        if (login.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic auth login must not contain ':' (RFC 7617), got " + login);
        }
        checkEncodable(login, "login", encoding, true);
        checkEncodable(password, "password", encoding, false);
    }

    /**
     * Refuses a value with a character {@code encoding} cannot encode: the bytes sent would
     * otherwise hold {@code ?} in its place, and the server would refuse credentials that look
     * right. The login's character is shown; the password's only by its code point and name.
     */
    private static void checkEncodable(String value, String what, Charset encoding, boolean showChar) {
        if (!encoding.canEncode()) {
            throw new IllegalArgumentException("BasicAuth encoding " + encoding.name()
                    + " cannot encode text; use StandardCharsets.UTF_8 or ISO_8859_1");
        }
        java.nio.charset.CharsetEncoder enc = encoding.newEncoder();
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            int n = Character.charCount(cp);
            if (!enc.canEncode(value.substring(i, i + n))) {
                String name = Character.getName(cp);
                String ch = String.format(Locale.ROOT, "U+%04X", cp) + (name == null ? "" : " " + name);
                throw new IllegalArgumentException("the Basic auth " + what + " holds " + (showChar ? "'"
                        + new String(Character.toChars(cp)) + "' (" + ch + ")" : ch) + " at index " + i
                        + ", which " + encoding.name() + " cannot encode; give the encoding the server expects, "
                        + "e.g. new BasicAuth(login, password, StandardCharsets.UTF_8) (RFC 7617's charset=\"UTF-8\")");
            }
            i += n;
        }
    }

    /**
     * Credentials encoded as ISO-8859-1, aiohttp's default.
     *
     * @param login the user name, without {@code :}
     * @param password the password
     */
    public BasicAuth(String login, String password) {
        this(login, password, StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns the value of the {@code Authorization} header: {@code Basic} and the base64 of
     * {@code login:password}.
     *
     * @return the header value
     */
    public String encode() {
        byte[] raw = (login + ":" + password).getBytes(encoding);
        return "Basic " + Base64.getEncoder().encodeToString(raw);
    }

    /**
     * Reads an {@code Authorization: Basic ...} header value (aiohttp's {@code BasicAuth.decode}).
     *
     * @param authHeader the header value
     * @param encoding the charset the credentials were encoded in
     * @return the credentials
     * @throws IllegalArgumentException if the value is not Basic credentials in base64 with a {@code :}
     */
    public static BasicAuth decode(String authHeader, Charset encoding) {
        Objects.requireNonNull(authHeader, "authHeader must not be null");
        String v = authHeader.strip();
        int sp = v.indexOf(' ');
        if (sp < 0 || !v.substring(0, sp).toLowerCase(Locale.ROOT).equals("basic")) {
            throw new IllegalArgumentException("not Basic credentials (the scheme must be Basic): " + authHeader);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(v.substring(sp + 1).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Basic credentials are not valid base64: " + e.getMessage());
        }
        String s = new String(raw, encoding);
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Basic credentials have no ':' between login and password");
        }
        return new BasicAuth(s.substring(0, colon), s.substring(colon + 1), encoding);
    }

    /**
     * {@link #decode(String, Charset)} with ISO-8859-1.
     *
     * @param authHeader the header value
     * @return the credentials
     */
    public static BasicAuth decode(String authHeader) {
        return decode(authHeader, StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns e.g. {@code BasicAuth[login=ada, password=***, encoding=ISO-8859-1]}: the password
     * never appears in logs.
     *
     * @return the login and encoding
     */
    @Override
    public String toString() {
        return "BasicAuth[login=" + login + ", password=***, encoding=" + encoding.name() + "]";
    }
}

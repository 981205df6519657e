package dev.aio4j.http;

import dev.aio4j.http.internal.DigestChallenge;
import dev.aio4j.http.internal.RandomHex;
import dev.aio4j.http.internal.Urls;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A {@link ClientMiddleware} that answers HTTP Digest authentication challenges (RFC 7616, and
 * RFC 2617's form without {@code qop}): when a response is a {@code 401} with
 * {@code WWW-Authenticate: Digest ...}, it computes the digest of the login, the password, the
 * method and the request target and sends the request once more with
 * {@code Authorization: Digest ...}. With {@code preemptive} (the default) it remembers the
 * challenge and sends the header at once on later requests to the same protection space (the URIs
 * of the challenge's {@code domain}, or else the whole origin), counting {@code nc} up for the same
 * nonce, so a server that accepts the nonce again answers without a {@code 401} first.
 *
 * <pre>{@code
 * DigestAuthMiddleware digest = new DigestAuthMiddleware("Mufasa", "Circle of Life");
 * try (ClientSession session = ClientSession.builder().middlewares(digest).build();
 *      ClientResponse r = session.get("http://camera.local/axis-cgi/param.cgi")) {
 *     r.raiseForStatus();
 * }
 * }</pre>
 *
 * <p>The algorithms are aiohttp's: {@code MD5}, {@code SHA} (SHA-1), {@code SHA-256}
 * ({@code SHA256}), {@code SHA-512} ({@code SHA512}) and each with {@code -SESS}, plus RFC 7616's
 * {@code SHA-512-256} and {@code SHA-512-256-SESS}; the name is matched without regard to case and
 * sent back as the server wrote it. The quality of protection is {@code auth-int} (the body is
 * hashed too) when the server offers it, else {@code auth}, else none (RFC 2617's old form). The
 * request is retried at most once: a second {@code 401} (a wrong password, or a {@code stale=true}
 * challenge that comes again) is returned to the caller, its challenge kept for the next request.
 * The login and the password are hashed as UTF-8 and the login is sent as UTF-8, as aiohttp does;
 * the server's realm, nonce and opaque are hashed and sent back as the bytes it sent.
 *
 * <p>The credentials are scoped to the origin of the first request the middleware handles: a
 * request to another origin passes through untouched (no header, its challenges not answered)
 * unless a challenge of the first origin named it in its {@code domain}. Make the first request
 * against the intended server; the anchor is kept for the life of the instance.
 *
 * <p>Errors: a challenge without {@code realm} or {@code nonce}, with an empty {@code nonce}, with
 * an algorithm or a {@code qop} this class does not support fails the request with a
 * {@link ClientError} whose message says which (for example {@code "Digest auth error: Unsupported
 * hash algorithm: SHA3. Supported algorithms: MD5, ..."}). With {@code qop=auth-int} the body must
 * be readable ({@link ClientRequest#body()}): a one-shot stream fails with a {@link ClientError};
 * so does the retry after a {@code 401} of a request whose one-shot body was sent (the challenge
 * is kept, so a later request can send the header at once).
 * A challenge that cannot be read (no parameters, another scheme) is not answered: the
 * {@code 401} is returned.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.DigestAuthMiddleware(login, password, preemptive=True)}
 * (aiohttp 3.12, {@code client_middleware_digest_auth.py}). <b>Differences:</b> an empty login, or
 * one with a control character, is refused (aiohttp accepts it); {@code SHA-512-256} and {@code SHA-512-256-SESS} are supported
 * (RFC 7616 names them; aiohttp raises for them); the client nonce is 16 hex digits from
 * {@link SecureRandom}; a {@code domain} URI that is neither path-absolute nor an absolute URI with
 * a host is ignored (aiohttp keeps it as text that matches no request), so a {@code domain} with
 * none left falls back to the origin, as an absent one does; the challenge's parameter names are
 * matched without regard to case (RFC 9110 section 11.2; aiohttp matches them as written); the first
 * {@code WWW-Authenticate} field is read, as aiohttp's {@code headers.get} does.
 *
 * <p><b>Threading:</b> loop-confined. The nonce count, the remembered challenge and the
 * protection space are plain fields of the instance, shared by every request it handles: use an
 * instance from the tasks of one loop (any number of its sessions and concurrent requests), not
 * from sessions running on several loops at once. Tasks of one loop need no locking: the fields
 * change only between awaits.
 *
 * <p><b>Testing:</b> run an aio4j web server on loopback whose handler answers {@code 401} with a
 * challenge and checks the {@code Authorization} it gets back, as {@code DigestAuthMiddlewareTest}
 * does.
 *
 * @since 0.2
 */
public final class DigestAuthMiddleware implements ClientMiddleware {
    /*
     * State, all loop-confined:
     * - challenge: the parameters (realm, nonce, qop, algorithm, opaque, domain, stale) of the last
     *   Digest challenge read; empty before the first, or when the last one had none of them.
     * - lastNonce / nonceCount: nc counts the Authorization headers made for lastNonce; a new
     *   nonce (a stale=true challenge brings one) starts it again at 1.
     * - protectionSpace: normalized "scheme://host:port" + path prefixes where preemptive
     *   headers go; set from the challenge's domain (or its origin) with each challenge.
     * - anchorOrigin: the origin of the first request handled, never reset.
     * aiohttp has no special case for stale=true: the new challenge replaces the old and the one
     * retry answers it, which is what RFC 7616 asks (retry without prompting for a password).
     */

    private static final Set<String> CHALLENGE_FIELDS =
            Set.of("realm", "nonce", "qop", "algorithm", "opaque", "domain", "stale");

    /** Upper-case algorithm name to the JDK's MessageDigest name, sorted for the error message. */
    private static final Map<String, String> DIGESTS = digests();


    private final String login;
    private final byte[] loginBytes;
    /** The UTF-8 bytes of the login, one char each, so the head carries them as aiohttp sends them. */
    private final String loginOnTheWire;
    private final byte[] passwordBytes;
    private final boolean preemptive;
    private final Supplier<String> cnonces;

    private Map<String, String> challenge = Map.of();
    private String lastNonce = "";
    private int nonceCount;
    private List<String> protectionSpace = List.of();
    private String anchorOrigin;

    /**
     * Creates the middleware with preemptive authentication on.
     *
     * @param login the user name, not empty, without {@code :} or control characters
     * @param password the password, possibly empty
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the login is empty or contains {@code :} or a control
     *         character
     */
    public DigestAuthMiddleware(String login, String password) {
        this(login, password, true);
    }

    /**
     * Creates the middleware.
     *
     * @param login the user name, not empty, without {@code :} or control characters
     * @param password the password, possibly empty
     * @param preemptive whether to send the header on later requests to the protection space of the
     *        last challenge without waiting for a {@code 401}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the login is empty or contains {@code :} or a control
     *         character
     */
    public DigestAuthMiddleware(String login, String password, boolean preemptive) {
        this(login, password, preemptive, DigestAuthMiddleware::randomCnonce);
    }

    /** For tests: {@code cnonces} gives each client nonce. */
    DigestAuthMiddleware(String login, String password, boolean preemptive, Supplier<String> cnonces) {
        Objects.requireNonNull(login, "login must not be null");
        Objects.requireNonNull(password, "password must not be null (use \"\" for none)");
        if (login.isEmpty()) {
            throw new IllegalArgumentException("a Digest auth login must not be empty");
        }
        if (login.indexOf(':') >= 0) {
            throw new IllegalArgumentException(
                    "a Digest auth login must not contain ':' (RFC 1945 section 11.1), got " + login);
        }
        for (int i = 0; i < login.length(); i++) {
            char c = login.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("a Digest auth login must not contain control characters, got "
                        + String.format(Locale.ROOT, "U+%04X", (int) c) + " at index " + i);
            }
        }
        this.login = login;
        this.loginBytes = login.getBytes(StandardCharsets.UTF_8);
        this.loginOnTheWire = new String(loginBytes, StandardCharsets.ISO_8859_1);
        this.passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        this.preemptive = preemptive;
        this.cnonces = cnonces;
    }

    private static Map<String, String> digests() {
        Map<String, String> m = new TreeMap<>();
        for (String[] e : new String[][] {
                {"MD5", "MD5"}, {"SHA", "SHA-1"}, {"SHA256", "SHA-256"}, {"SHA-256", "SHA-256"},
                {"SHA512", "SHA-512"}, {"SHA-512", "SHA-512"}, {"SHA-512-256", "SHA-512/256"}}) {
            m.put(e[0], e[1]);
            m.put(e[0] + "-SESS", e[1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static String randomCnonce() {
        return RandomHex.of(8);
    }

    /**
     * Sends the request, with {@code Authorization: Digest ...} if a remembered challenge covers
     * its URL (preemptive), and once more with a fresh one if the response is a Digest challenge.
     *
     * <p><b>Cancellation:</b> runs in the requesting task; a cancellation while a request is on its
     * way propagates, and the responses got are closed by the session. The nonce count stays
     * counted for a header that was made.
     *
     * @param request the request of this hop
     * @param handler the rest of the chain
     * @return the response: the retry's, or the first one's when no retry was made
     * @throws ClientError if the challenge to answer lacks {@code realm} or {@code nonce}, names an
     *         algorithm or a {@code qop} not supported, or asks for {@code auth-int} over a
     *         one-shot streamed body, or if the request is to be sent again after a {@code 401}
     *         but its one-shot body has been sent
     */
    @Override
    public ClientResponse handle(ClientRequest request, ClientHandler handler) {
        URI url = request.url();
        String origin = Urls.origin(url);
        if (anchorOrigin == null) {
            anchorOrigin = origin;
        } else if (!origin.equals(anchorOrigin) && !inProtectionSpace(url)) {
            return handler.send(request);
        }
        ClientResponse response = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            if (attempt > 0 || preemptive && !challenge.isEmpty() && inProtectionSpace(url)) {
                request.headers().set("Authorization", encode(request.method(), url, () -> body(request)));
            }
            response = handler.send(request);
            boolean challenged = authenticate(response.status(), response.headers().get("WWW-Authenticate"), url);
            if (!challenged || attempt == 1) {
                break;
            }
            response.close(); // its connection goes back to the pool before the retry
            if (request.bodySpent()) { // the challenge stays remembered for the next request
                throw new ClientError("Digest auth: cannot send " + request.method() + " " + url + " again with "
                        + "credentials after its 401: the request body was a one-shot stream (chunks, an InputStream "
                        + "or a Flow.Publisher) and has been sent; give the body in memory or as a file, which can be "
                        + "sent again", url);
            }
        }
        return response;
    }

    private static byte[] body(ClientRequest request) {
        try {
            return request.body();
        } catch (IllegalStateException e) {
            throw new ClientError("Digest auth error: qop=auth-int needs the request body's bytes, but the body is a "
                    + "one-shot stream; give the body in memory or as a file", request.url(), e);
        }
    }

    /**
     * Builds the {@code Authorization} value for the remembered challenge (aiohttp's
     * {@code _encode}), counting nc up.
     */
    String encode(String method, URI url, Supplier<byte[]> body) {
        Map<String, String> c = challenge;
        String realm = c.get("realm");
        String nonce = c.get("nonce");
        if (realm == null) {
            throw new ClientError("Malformed Digest auth challenge: Missing 'realm' parameter", url);
        }
        if (nonce == null) {
            throw new ClientError("Malformed Digest auth challenge: Missing 'nonce' parameter", url);
        }
        if (nonce.isEmpty()) {
            throw new ClientError("Security issue: Digest auth challenge contains empty 'nonce' value", url);
        }
        String qopRaw = c.getOrDefault("qop", "");
        String algorithmAsSent = c.getOrDefault("algorithm", "MD5");
        String algorithm = algorithmAsSent.toUpperCase(Locale.ROOT);
        String opaque = c.getOrDefault("opaque", "");
        String path = Urls.requestTarget(url);

        String qop = "";
        if (!qopRaw.isEmpty()) {
            boolean auth = false;
            boolean authInt = false;
            for (String q : qopRaw.split(",", -1)) {
                String t = q.strip();
                auth |= t.equals("auth");
                authInt |= t.equals("auth-int");
            }
            if (!auth && !authInt) {
                throw new ClientError("Digest auth error: Unsupported Quality of Protection (qop) value(s): " + qopRaw
                        + "; supported: auth, auth-int", url);
            }
            qop = authInt ? "auth-int" : "auth";
        }
        String jdkName = DIGESTS.get(algorithm);
        if (jdkName == null) {
            throw new ClientError("Digest auth error: Unsupported hash algorithm: " + algorithm
                    + ". Supported algorithms: " + String.join(", ", DIGESTS.keySet()), url);
        }
        Hasher h = new Hasher(jdkName);

        String a2 = method.toUpperCase(Locale.ROOT) + ":" + path;
        if (qop.equals("auth-int")) {
            a2 = a2 + ":" + h.hex(body.get()); // before nc changes: reading a file body suspends
        }
        String ha1 = h.hex(join(loginBytes, wire(realm), passwordBytes));
        String ha2 = h.hex(wire(a2));

        if (nonce.equals(lastNonce)) {
            nonceCount++;
        } else {
            nonceCount = 1;
        }
        lastNonce = nonce;
        String nc = String.format(Locale.ROOT, "%08x", nonceCount);
        String cnonce = cnonces.get();

        if (algorithm.endsWith("-SESS")) {
            ha1 = h.hex(join(wire(ha1), wire(nonce), wire(cnonce)));
        }
        String response = qop.isEmpty()
                ? h.hex(join(wire(ha1), wire(nonce), wire(ha2)))
                : h.hex(join(wire(ha1), wire(nonce), wire(nc), wire(cnonce), wire(qop), wire(ha2)));

        StringBuilder sb = new StringBuilder("Digest ");
        sb.append("username=\"").append(DigestChallenge.escapeQuotes(loginOnTheWire)).append('"');
        sb.append(", realm=\"").append(DigestChallenge.escapeQuotes(realm)).append('"');
        sb.append(", nonce=\"").append(DigestChallenge.escapeQuotes(nonce)).append('"');
        sb.append(", uri=\"").append(path).append('"');
        sb.append(", response=\"").append(response).append('"');
        sb.append(", algorithm=").append(algorithmAsSent);
        if (!opaque.isEmpty()) {
            sb.append(", opaque=\"").append(DigestChallenge.escapeQuotes(opaque)).append('"');
        }
        if (!qop.isEmpty()) {
            sb.append(", qop=").append(qop).append(", nc=").append(nc);
            sb.append(", cnonce=\"").append(cnonce).append('"');
        }
        return sb.toString();
    }

    /**
     * The bytes of a header value: aio4j's heads hold one char per byte (ISO-8859-1), so the
     * server's realm, nonce and opaque are hashed as the bytes it sent, whatever their encoding,
     * as aiohttp's UTF-8 decoding with surrogateescape and encoding back does.
     */
    private static byte[] wire(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The parts joined with {@code ':'}. */
    private static byte[] join(byte[]... parts) {
        int n = parts.length - 1;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out[at++] = ':';
            }
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    /** RFC 7616's H(data): the lower-case hex digest. */
    private static final class Hasher {
        private final MessageDigest md;

        Hasher(String jdkName) {
            try {
                md = MessageDigest.getInstance(jdkName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks the " + jdkName + " digest that every Java SE has", e);
            }
        }

        String hex(byte[] data) {
            return HexFormat.of().formatHex(md.digest(data));
        }
    }

    /**
     * Reads a response (aiohttp's {@code _authenticate}): for a {@code 401} with a Digest challenge
     * that has parameters, remembers them and the protection space.
     *
     * @return whether the request is to be sent again
     */
    boolean authenticate(int status, String wwwAuthenticate, URI url) {
        if (status != 401 || wwwAuthenticate == null || wwwAuthenticate.isEmpty()) {
            return false;
        }
        int sp = wwwAuthenticate.indexOf(' ');
        if (sp < 0) {
            return false;
        }
        String scheme = wwwAuthenticate.substring(0, sp);
        String params = wwwAuthenticate.substring(sp + 1);
        if (!scheme.toLowerCase(Locale.ROOT).equals("digest") || params.isEmpty()) {
            return false;
        }
        Map<String, String> pairs = DigestChallenge.parsePairs(params);
        if (pairs.isEmpty()) {
            return false;
        }
        Map<String, String> c = new LinkedHashMap<>();
        pairs.forEach((k, v) -> {
            String name = k.toLowerCase(Locale.ROOT); // auth-param names are case-insensitive (RFC 9110 section 11.2)
            if (CHALLENGE_FIELDS.contains(name)) {
                c.put(name, v);
            }
        });
        challenge = c;

        String origin = Urls.origin(url);
        List<String> space = new ArrayList<>();
        String domain = c.get("domain");
        if (domain != null) {
            for (String uri : domain.strip().split("\\s+")) {
                String entry = protectionSpaceEntry(origin, stripQuotes(uri));
                if (entry != null) {
                    space.add(entry);
                }
            }
        }
        if (space.isEmpty()) {
            space.add(origin);
        }
        protectionSpace = List.copyOf(space);
        return !c.isEmpty();
    }

    /** Python's {@code s.strip('"')}. */
    private static String stripQuotes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '"') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '"') {
            e--;
        }
        return s.substring(b, e);
    }

    /** A domain URI made absolute and normalized as {@link #target} makes request URLs, or null. */
    private static String protectionSpaceEntry(String origin, String uri) {
        if (uri.isEmpty()) {
            return null;
        }
        if (uri.startsWith("/") && !uri.startsWith("//")) {
            return origin + uri;
        }
        try {
            URI u = new URI(uri.startsWith("//") ? origin.substring(0, origin.indexOf(':')) + ":" + uri : uri);
            if (!u.isAbsolute() || u.getHost() == null) {
                return null;
            }
            return target(u);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The URL as the protection space compares it: normalized origin, raw path, raw query. */
    private static String target(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return Urls.origin(url) + path + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    }

    /**
     * Whether a URI of the protection space is a prefix of {@code url} at a path boundary
     * (aiohttp's {@code _in_protection_space}).
     */
    boolean inProtectionSpace(URI url) {
        String request = target(url);
        for (String space : protectionSpace) {
            if (!request.startsWith(space)) {
                continue;
            }
            if (request.length() == space.length() || space.endsWith("/") || request.charAt(space.length()) == '/') {
                return true;
            }
        }
        return false;
    }

    // For tests, as aiohttp's tests set _challenge, _nonce_count and _protection_space.

    Map<String, String> challenge() {
        return challenge;
    }

    void challenge(Map<String, String> c, String lastNonce, int nonceCount) {
        this.challenge = Map.copyOf(c);
        this.lastNonce = lastNonce;
        this.nonceCount = nonceCount;
    }

    List<String> protectionSpace() {
        return protectionSpace;
    }

    /** Sets the protection space to these absolute URLs (normalized as requests are). */
    void protectionSpace(List<String> urls) {
        this.protectionSpace = urls.stream().map(u -> target(URI.create(u))).toList();
    }

    /**
     * Returns the login, whether preemptive, the realm and nonce count of the remembered challenge;
     * never the password.
     *
     * @return {@code DigestAuthMiddleware[login=..., preemptive=..., realm=..., nc=...]}, or
     *         {@code no challenge yet} in place of realm and nc
     */
    @Override
    public String toString() {
        String state = challenge.isEmpty() ? "no challenge yet"
                : "realm=\"" + challenge.getOrDefault("realm", "") + "\", nc=" + nonceCount;
        return "DigestAuthMiddleware[login=" + login + ", preemptive=" + preemptive + ", " + state + "]";
    }
}

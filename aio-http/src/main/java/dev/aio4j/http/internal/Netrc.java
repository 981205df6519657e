package dev.aio4j.http.internal;

import dev.aio4j.http.BasicAuth;
import dev.aio4j.loop.internal.Checks;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code .netrc} file: per machine, a login, an account and a password, and the
 * {@code default} entry for every other machine; macros are kept but unused. Read the way
 * Python's {@code netrc} module (3.11 and later) reads it, which is what aiohttp's
 * {@code netrc_from_env} uses, so a file aiohttp accepts gives the same entries here and a file it
 * refuses is refused here too.
 *
 * <p>The format, Python's rules:
 * <ul>
 *   <li>Tokens are separated by spaces, tabs and line ends ({@code \r\n} and {@code \r} read as
 *       {@code \n}). A token may be double-quoted (then it may hold blanks); in and out of quotes
 *       a backslash takes the next character as it is. An empty token ({@code ""}) ends the file,
 *       as Python's lexer cannot tell it from the end.</li>
 *   <li>At the top: {@code machine NAME}, {@code default}, or {@code macdef NAME} followed by the
 *       lines of the macro up to an empty line (a file that ends first is malformed). Anything
 *       else is malformed ({@code bad toplevel token}).</li>
 *   <li>After {@code machine NAME} or {@code default}, in any order: {@code login} (or
 *       {@code user}), {@code account}, {@code password}, each followed by its value; the entry
 *       ends at the next {@code machine}, {@code default} or {@code macdef}, or the end. Anything
 *       else is malformed ({@code bad follower token}). A missing value is empty. A later entry of
 *       the same name replaces the earlier; {@code machine default} is the default entry.</li>
 *   <li>A {@code #} starts a comment, with Python's quirks kept: a token that begins with
 *       {@code #} where a keyword is expected is skipped, and so is the rest of its line when no
 *       line end was read before it on the way (a lone {@code #} at the top level only). A value
 *       ({@code password #x}) may begin with {@code #}.</li>
 * </ul>
 *
 * <p>Not Python's: its permission check of {@code ~/.netrc}, which it runs only when called
 * without a file name (aiohttp always names the file).
 */
public final class Netrc {
    /**
     * One machine's entry: what Python's {@code netrc.authenticators(host)} returns.
     *
     * @param login the login ({@code login} or {@code user}), empty when not given
     * @param account the account, empty when not given
     * @param password the password, empty when not given
     */
    public record Entry(String login, String account, String password) {
        public Entry {
            Checks.notNull(login, "login");
            Checks.notNull(account, "account");
            Checks.notNull(password, "password");
        }
    }

    /** A malformed file: Python's {@code NetrcParseError}, with the file and the line. */
    public static final class ParseError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final int line;

        ParseError(String message, String file, int line) {
            super(message + " (" + file + ", line " + line + ")");
            this.file = file;
            this.line = line;
        }

        /** The file's name, as given to {@link #parse}. */
        public String file() {
            return file;
        }

        /** The line the parser had reached (Python's count). */
        public int line() {
            return line;
        }
    }

    private static final System.Logger LOG = System.getLogger("dev.aio4j.http.client");
    private static final String WHITESPACE = "\n\t\r ";

    private final Map<String, Entry> hosts;
    private final Map<String, List<String>> macros;

    private Netrc(Map<String, Entry> hosts, Map<String, List<String>> macros) {
        this.hosts = Collections.unmodifiableMap(hosts);
        this.macros = Collections.unmodifiableMap(macros);
    }

    /**
     * Returns the entries by machine name, in the order first seen; the default entry is under
     * {@code default}.
     *
     * @return the entries by machine name, read-only
     */
    public Map<String, Entry> hosts() {
        return hosts;
    }

    /**
     * Returns the macros by name, each its lines with their line ends.
     *
     * @return the macros by name, read-only
     */
    public Map<String, List<String>> macros() {
        return macros;
    }

    /**
     * Returns the entry for {@code host}, else the default entry, else {@code null}: Python's
     * {@code authenticators(host)} (names compared exactly).
     *
     * @return the entry for {@code host}, else the default entry, else {@code null}
     */
    public Entry authenticators(String host) {
        Entry e = hosts.get(host);
        return e != null ? e : hosts.get("default");
    }

    /**
     * Returns the Basic credentials for {@code host}, or {@code null} when the file has no entry
     * for it and no default: aiohttp's {@code basicauth_from_netrc}. The user is the login, or the
     * account when the login is empty; the password may be empty.
     *
     * @return the credentials, or {@code null}
     * @throws IllegalArgumentException if the entry cannot be Basic credentials (a login with
     *     {@code :}, or characters ISO-8859-1 cannot encode), naming the machine
     */
    public BasicAuth basicAuth(String host) {
        Entry e = authenticators(host);
        if (e == null) {
            return null;
        }
        String user = !e.login().isEmpty() ? e.login() : e.account();
        try {
            return new BasicAuth(user, e.password());
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("the .netrc entry for " + host + " cannot be sent as Basic credentials ("
                    + bad.getMessage() + "); fix the file, or turn trustEnv off", bad);
        }
    }

    /**
     * Returns the name a {@code .netrc} entry has for the host of {@code url}: aiohttp looks up
     * yarl's {@code url.host}, lower case, an IDN in Unicode, an IPv6 literal without brackets
     * ({@link AbsoluteTarget#hostName(String)}).
     *
     * @return the host name to look up
     */
    public static String hostOf(URI url) {
        return AbsoluteTarget.hostName(Urls.asciiHost(url));
    }

    // ------------------------------------------------------------------ where the file is

    /**
     * Returns the file aiohttp's {@code netrc_from_env} reads: {@code NETRC} if set (even empty),
     * else {@code .netrc} ({@code _netrc} on Windows) in the home directory, which is {@code HOME}
     * ({@code USERPROFILE} on Windows) of {@code env}, else {@code fallbackHome}; {@code null}
     * when there is no home.
     *
     * @param env the environment variables
     * @param fallbackHome the home directory when {@code env} names none (the JVM's
     *     {@code user.home} for the real environment), or {@code null}
     * @return the path, or {@code null}
     */
    public static Path location(Map<String, String> env, String fallbackHome) {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        String explicit = env.get("NETRC");
        try {
            if (explicit != null) {
                return Path.of(explicit);
            }
            String home = env.get(windows ? "USERPROFILE" : "HOME");
            if (home == null || home.isEmpty()) {
                home = fallbackHome;
            }
            if (home == null || home.isEmpty()) {
                return null;
            }
            return Path.of(home, windows ? "_netrc" : ".netrc");
        } catch (InvalidPathException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read .netrc file: " + e.getMessage());
            return null;
        }
    }

    /**
     * Reads the file {@link #location} names, or returns {@code null}: aiohttp's
     * {@code netrc_from_env}. Blocks on the file: call it off the loop. A file that cannot be read
     * (missing, a directory, no permission) gives {@code null}, with a warning when {@code NETRC}
     * named it or it exists; a malformed one gives {@code null} with a warning
     * ({@code Could not parse .netrc file}), as aiohttp's.
     *
     * @param env the environment variables
     * @param fallbackHome see {@link #location}
     * @return the parsed file, or {@code null}
     * @throws IllegalArgumentException if the file is in neither encoding {@link #load} tries
     *     (aiohttp's {@code netrc_from_env} lets Python's {@code UnicodeDecodeError} through)
     */
    public static Netrc fromEnvironment(Map<String, String> env, String fallbackHome) {
        Path path = location(env, fallbackHome);
        if (path == null) {
            return null;
        }
        try {
            return load(path);
        } catch (ParseError e) {
            LOG.log(System.Logger.Level.WARNING, "Could not parse .netrc file: " + e.getMessage());
        } catch (IOException | SecurityException e) {
            boolean exists;
            try {
                exists = Files.isRegularFile(path);
            } catch (SecurityException denied) {
                exists = false;
            }
            String given = env.get("NETRC");
            if ((given != null && !given.isEmpty()) || exists) {
                LOG.log(System.Logger.Level.WARNING, "Could not read .netrc file: " + e);
            }
        }
        return null;
    }

    /**
     * Reads and parses {@code path}: UTF-8, or the platform's encoding when the file is not UTF-8
     * (Python tries {@code utf-8}, then {@code locale}).
     *
     * @return the parsed file
     * @throws IOException if the file cannot be read
     * @throws ParseError if it is malformed
     * @throws IllegalArgumentException (not a {@link ParseError}) if it is in neither encoding
     */
    public static Netrc load(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return parse(decode(bytes, path.toString()), path.toString());
    }

    private static String decode(byte[] bytes, String file) {
        try {
            return strict(StandardCharsets.UTF_8, bytes);
        } catch (CharacterCodingException notUtf8) {
            Charset local = nativeCharset();
            if (!local.equals(StandardCharsets.UTF_8)) {
                try {
                    return strict(local, bytes);
                } catch (CharacterCodingException e) {
                    // fall through
                }
            }
            // Python's UnicodeDecodeError, which is no NetrcParseError: aiohttp's netrc_from_env
            // lets it through, so the request fails rather than going out without the credentials
            throw new IllegalArgumentException("the .netrc file " + file + " is neither UTF-8 nor " + local.name()
                    + " (the platform's encoding), as Python's netrc reads it; re-encode it as UTF-8, or turn trustEnv off",
                    notUtf8);
        }
    }

    private static String strict(Charset cs, byte[] bytes) throws CharacterCodingException {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static Charset nativeCharset() {
        try {
            return Charset.forName(System.getProperty("native.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    // ------------------------------------------------------------------ the parser

    /**
     * Parses {@code text}, the contents of a {@code .netrc} file.
     *
     * @param text the contents
     * @param file the file's name, for the messages
     * @return the entries and macros
     * @throws ParseError if the text is malformed (see the class comment)
     */
    public static Netrc parse(String text, String file) {
        Checks.notNull(text, "text");
        Lexer lexer = new Lexer(text.replace("\r\n", "\n").replace('\r', '\n'));
        Map<String, Entry> hosts = new LinkedHashMap<>();
        Map<String, List<String>> macros = new LinkedHashMap<>();
        while (true) {
            int savedLine = lexer.line;
            String tt = lexer.token();
            String entryName;
            if (tt.isEmpty()) {
                break;
            } else if (tt.charAt(0) == '#') {
                if (lexer.line == savedLine && tt.length() == 1) {
                    lexer.readLine();
                }
                continue;
            } else if (tt.equals("machine")) {
                entryName = lexer.token();
            } else if (tt.equals("default")) {
                entryName = "default";
            } else if (tt.equals("macdef")) {
                entryName = lexer.token();
                List<String> lines = new ArrayList<>();
                macros.put(entryName, lines);
                while (true) {
                    String line = lexer.readLine();
                    if (line.isEmpty()) {
                        throw new ParseError("Macro definition missing null line terminator.", file, lexer.line);
                    }
                    if (line.equals("\n")) {
                        break;
                    }
                    lines.add(line);
                }
                continue;
            } else {
                throw new ParseError("bad toplevel token " + pyRepr(tt), file, lexer.line);
            }
            if (entryName.isEmpty()) {
                throw new ParseError("missing " + pyRepr(tt) + " name", file, lexer.line);
            }
            String login = "";
            String account = "";
            String password = "";
            while (true) {
                int prevLine = lexer.line;
                String f = lexer.token();
                if (f.startsWith("#")) {
                    if (lexer.line == prevLine) {
                        lexer.readLine();
                    }
                    continue;
                }
                if (f.isEmpty() || f.equals("machine") || f.equals("default") || f.equals("macdef")) {
                    hosts.put(entryName, new Entry(login, account, password)); // a later one replaces it, in its place
                    lexer.pushBack(f);
                    break;
                } else if (f.equals("login") || f.equals("user")) {
                    login = lexer.token();
                } else if (f.equals("account")) {
                    account = lexer.token();
                } else if (f.equals("password")) {
                    password = lexer.token();
                } else {
                    throw new ParseError("bad follower token " + pyRepr(f), file, lexer.line);
                }
            }
        }
        return new Netrc(hosts, macros);
    }

    /** Python's {@code %r} of a string, so the messages read as Python's (and show hidden characters). */
    static String pyRepr(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        s.codePoints().forEach(c -> {
            if (c == q || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == ' ' || printable(c)) {
                sb.appendCodePoint(c);
            } else if (c < 0x100) {
                sb.append(String.format("\\x%02x", c));
            } else if (c < 0x10000) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append(String.format("\\U%08x", c));
            }
        });
        return sb.append(q).toString();
    }

    /** Python's {@code str.isprintable} for one character (a space aside). */
    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Python's {@code _netrclex}: characters one by one, a line counter, tokens pushed back. */
    private static final class Lexer {
        private final String text;
        private int pos;
        int line = 1;
        private final Deque<String> pushback = new ArrayDeque<>();

        Lexer(String text) {
            this.text = text;
        }

        /** The next character, or -1 at the end; counts line ends. */
        private int read() {
            if (pos >= text.length()) {
                return -1;
            }
            char c = text.charAt(pos++);
            if (c == '\n') {
                line++;
            }
            return c;
        }

        /** The rest of the current line with its line end; empty at the end. Counts nothing (as Python's readline). */
        String readLine() {
            int end = text.indexOf('\n', pos);
            String l = end < 0 ? text.substring(pos) : text.substring(pos, end + 1);
            pos += l.length();
            return l;
        }

        void pushBack(String token) {
            pushback.addLast(token);
        }

        /** The next token, or empty at the end (and for {@code ""}). */
        String token() {
            if (!pushback.isEmpty()) {
                return pushback.pollFirst();
            }
            int ch;
            do {
                ch = read();
            } while (ch >= 0 && WHITESPACE.indexOf(ch) >= 0);
            // a token runs to the closing quote (quoted) or to whitespace (bare); a backslash takes
            // the next character as it is; the end of the text ends either kind
            boolean quoted = ch == '"';
            if (quoted) {
                ch = read();
            }
            StringBuilder token = new StringBuilder();
            while (ch >= 0 && (quoted ? ch != '"' : WHITESPACE.indexOf(ch) < 0)) {
                if (ch == '\\') {
                    ch = read();
                    if (ch < 0) {
                        break;
                    }
                }
                token.append((char) ch);
                ch = read();
            }
            return token.toString();
        }
    }

    @Override
    public String toString() {
        return "Netrc[machines=" + hosts.keySet() + ", macros=" + macros.keySet() + "]"; // never the passwords
    }
}

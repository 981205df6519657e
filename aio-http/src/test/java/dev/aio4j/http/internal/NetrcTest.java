package dev.aio4j.http.internal;

import dev.aio4j.http.BasicAuth;
import dev.aio4j.loop.test.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Netrc}: CPython's Lib/test/test_netrc.py (the parser), aiohttp's tests/test_helpers.py
 * ({@code test_netrc_from_env}, {@code test_netrc_from_home_does_not_raise_if_access_denied},
 * {@code test_basicauth_present_in_netrc}, {@code test_read_basicauth_from_empty_netrc}), and a
 * table of edge cases whose expected results are what CPython 3.11's {@code netrc.netrc(file)}
 * gave for the same bytes. Never reads the real {@code ~/.netrc}: every file is in a temporary
 * directory, named through the environment map.
 */
class NetrcTest {
    @TempDir
    Path dir;

    private static Netrc parse(String text) {
        return Netrc.parse(text.stripIndent(), "f");
    }

    private static String canon(Netrc n) {
        String hosts = n.hosts().entrySet().stream()
                .map(e -> e.getKey() + "=(" + e.getValue().login() + "|" + e.getValue().account() + "|" + e.getValue().password() + ")")
                .collect(Collectors.joining(" "));
        String macros = n.macros().entrySet().stream()
                .map(e -> e.getKey() + "=" + String.join("", e.getValue()).replace("\n", "\\n"))
                .collect(Collectors.joining(" "));
        return "hosts[" + hosts + "] macros[" + macros + "]";
    }

    static Stream<Arguments> cpythonResults() {
        return Stream.of(
                Arguments.of("machine a login b \n# comment here\nmachine c login d\n",
                        "ERR bad follower token 'comment' (f, line 2)"),
                Arguments.of("#comment words\nmachine c login d\n",
                        "ERR bad toplevel token 'words' (f, line 2)"),
                Arguments.of("# comment\nmachine c login d password e\n",
                        "hosts[c=(d||e)] macros[]"),
                Arguments.of("machine a login b password c # trailing comment words\nmachine d login e\n",
                        "hosts[a=(b||c) d=(e||)] macros[]"),
                Arguments.of("machine a login \"\" account x\n",
                        "hosts[a=(|x|)] macros[]"),
                Arguments.of("\"\" machine a login b\n",
                        "hosts[] macros[]"),
                Arguments.of("machine a \"\" login b\nmachine c login d\n",
                        "hosts[a=(||)] macros[]"),
                Arguments.of("machine a login b\r\nmachine c password \"p q\"\r\n",
                        "hosts[a=(b||) c=(||p q)] macros[]"),
                Arguments.of("machine a\\ b login c\\\"d password \\\\e\n",
                        "hosts[a b=(c\"d||\\e)] macros[]"),
                Arguments.of("machine a login \"unterminated",
                        "hosts[a=(unterminated||)] macros[]"),
                Arguments.of("machine a login b\\",
                        "hosts[a=(b||)] macros[]"),
                Arguments.of("machine\n",
                        "ERR missing 'machine' name (f, line 2)"),
                Arguments.of("machine \"\"\n",
                        "ERR missing 'machine' name (f, line 1)"),
                Arguments.of("macdef m\nline1\n  \nline2\n\nmachine a login b\n",
                        "hosts[a=(b||)] macros[m=line1\\n  \\nline2\\n]"),
                Arguments.of("macdef m extra\nline1\n\n",
                        "hosts[] macros[m=extra\\nline1\\n]"),
                Arguments.of("macdef m\nline1\n",
                        "ERR Macro definition missing null line terminator. (f, line 2)"),
                Arguments.of("macdef m\r\nline1\r\n\r\nmachine a login b\r\n",
                        "hosts[a=(b||)] macros[m=line1\\n]"),
                Arguments.of("default login d\nmachine default login e\n",
                        "hosts[default=(e||)] macros[]"),
                Arguments.of("machine a login 1\nmachine b login 2\nmachine a login 3\n",
                        "hosts[a=(3||) b=(2||)] macros[]"),
                Arguments.of("machine a user u password p account c\n",
                        "hosts[a=(u|c|p)] macros[]"),
                Arguments.of("login x\n",
                        "ERR bad toplevel token 'login' (f, line 1)"),
                Arguments.of("machine a bogus y\n",
                        "ERR bad follower token 'bogus' (f, line 1)"),
                Arguments.of("machine a login b macdef m\nx\n\ndefault password z\n",
                        "hosts[a=(b||) default=(||z)] macros[m=x\\n]"),
                Arguments.of("\ufeffmachine a login b\n",
                        "ERR bad toplevel token '\\ufeffmachine' (f, line 1)"),
                Arguments.of("machine a login b\tpassword\tc\n",
                        "hosts[a=(b||c)] macros[]"),
                Arguments.of("machine a login b\fpassword c\n",
                        "ERR bad follower token 'c' (f, line 2)"),
                Arguments.of("machine a login #x password #y\n",
                        "hosts[a=(#x||#y)] macros[]"),
                Arguments.of("machine a # c1\nlogin b\n",
                        "hosts[a=(b||)] macros[]"),
                Arguments.of("  #\nmachine a login b\n",
                        "hosts[a=(b||)] macros[]"),
                Arguments.of("machine a login b\n#\n",
                        "hosts[a=(b||)] macros[]"),
                Arguments.of("machine a password \"a\\\\b\\\"c\"\n",
                        "hosts[a=(||a\\b\"c)] macros[]"),
                Arguments.of("default\n",
                        "hosts[default=(||)] macros[]"),
                Arguments.of("",
                        "hosts[] macros[]"),
                Arguments.of("\n\n  \n",
                        "hosts[] macros[]"),
                Arguments.of("machine a login b #\n c\n",
                        "ERR bad follower token 'c' (f, line 3)"),
                Arguments.of("machine a login b \n#x y\n",
                        "ERR bad follower token 'y' (f, line 3)"),
                Arguments.of("macdef\n",
                        "ERR Macro definition missing null line terminator. (f, line 2)"),
                Arguments.of("machine a login \"x\"y password z\n",
                        "ERR bad follower token 'y' (f, line 1)"),
                Arguments.of("machine a login x\u0000y password \"p\u0000q\" account \\\u0000z\n",
                        "hosts[a=(x\u0000y|\u0000z|p\u0000q)] macros[]"),
                Arguments.of("machine a login \"ab\\",
                        "hosts[a=(ab||)] macros[]"),
                Arguments.of("it's here\n",
                        "ERR bad toplevel token \"it's\" (f, line 1)"),
                Arguments.of("bad\u007f\u0085\u00ad\u00ff\u0100\u200b\ud83d\ude00\udb40\udc01\n",
                        "ERR bad toplevel token 'bad\\x7f\\x85\\xad\u00ff\u0100\\u200b\ud83d\ude00\\U000e0001' (f, line 2)"),
                Arguments.of("x'y\"z\n",
                        "ERR bad toplevel token 'x\\'y\"z' (f, line 2)"),
                Arguments.of("machine \\\u0000 login a\n",
                        "hosts[\u0000=(a||)] macros[]"));
    }

    /** The same text gives what CPython 3.11's netrc gave: entries, macros, or the error and its line. */
    @ParameterizedTest
    @MethodSource("cpythonResults")
    void readsAsCpythonDoes(String text, String expected) {
        String got;
        try {
            got = canon(Netrc.parse(text, "f"));
        } catch (Netrc.ParseError e) {
            got = "ERR " + e.getMessage();
        }
        assertEquals(expected, got);
    }

    @Test
    void toplevelNonOrderedTokens() { // test_netrc.py test_toplevel_non_ordered_tokens
        Netrc n = parse("""
                machine host.domain.com password pass1 login log1 account acct1
                default login log2 password pass2 account acct2
                """);
        assertEquals(new Netrc.Entry("log1", "acct1", "pass1"), n.hosts().get("host.domain.com"));
        assertEquals(new Netrc.Entry("log2", "acct2", "pass2"), n.hosts().get("default"));
    }

    @Test
    void macros() { // test_netrc.py test_macros
        String data = """
                macdef macro1
                line1
                line2

                macdef macro2
                line3
                line4

                """;
        Netrc n = parse(data);
        assertEquals(Map.of("macro1", List.of("line1\n", "line2\n"), "macro2", List.of("line3\n", "line4\n")), n.macros());
        // without the last empty line
        assertThrows(Netrc.ParseError.class, () -> Netrc.parse(data.stripIndent().substring(0, data.stripIndent().length() - 1), "f"));
    }

    @Test
    void optionalTokens() { // test_netrc.py test_optional_tokens
        for (String prefix : List.of("machine host.domain.com", "default")) {
            String name = prefix.equals("default") ? "default" : "host.domain.com";
            for (String rest : List.of("", " login", " account", " password", " login \"\" account", " login \"\" password",
                    " account \"\" password")) {
                assertEquals(new Netrc.Entry("", "", ""), Netrc.parse(prefix + rest, "f").hosts().get(name), prefix + rest);
            }
        }
    }

    @Test
    void invalidTokens() { // test_netrc.py test_invalid_tokens
        for (String item : List.of("invalid host.domain.com", "machine host.domain.com invalid",
                "machine host.domain.com login log password pass account acct invalid", "default host.domain.com invalid",
                "default host.domain.com login log password pass account acct invalid")) {
            Netrc.ParseError e = assertThrows(Netrc.ParseError.class, () -> Netrc.parse(item, "f"), item);
            assertEquals("f", e.file());
            assertEquals(1, e.line());
        }
    }

    private static void assertToken(String text, String token, String value) { // test_netrc.py _test_token_x
        Netrc.Entry e = parse(text).hosts().get("host.domain.com");
        switch (token) {
            case "login" -> assertEquals(new Netrc.Entry(value, "acct", "pass"), e);
            case "account" -> assertEquals(new Netrc.Entry("log", value, "pass"), e);
            default -> assertEquals(new Netrc.Entry("log", "acct", value), e);
        }
    }

    @Test
    void tokenValues() { // test_netrc.py test_token_value_quotes/_escape/_whitespace/_non_ascii/_leading/_trailing/_internal_hash
        assertToken("machine host.domain.com login \"log\" password pass account acct", "login", "log");
        assertToken("machine host.domain.com login log password pass account \"acct\"", "account", "acct");
        assertToken("machine host.domain.com login log password \"pass\" account acct", "password", "pass");
        assertToken("machine host.domain.com login \\\"log password pass account acct", "login", "\"log");
        assertToken("machine host.domain.com login \"\\\"log\" password pass account acct", "login", "\"log");
        assertToken("machine host.domain.com login log password pass account \\\"acct", "account", "\"acct");
        assertToken("machine host.domain.com login log password \"\\\"pass\" account acct", "password", "\"pass");
        assertToken("machine host.domain.com login \"lo g\" password pass account acct", "login", "lo g");
        assertToken("machine host.domain.com login log password \"pas s\" account acct", "password", "pas s");
        assertToken("machine host.domain.com login log password pass account \"acc t\"", "account", "acc t");
        assertToken("machine host.domain.com login \u00a1\u00a2 password pass account acct", "login", "\u00a1\u00a2");
        assertToken("machine host.domain.com login #log password pass account acct", "login", "#log");
        assertToken("machine host.domain.com login log password pass account #acct", "account", "#acct");
        assertToken("machine host.domain.com login log password #pass account acct", "password", "#pass");
        assertToken("machine host.domain.com login log# password pass account acct", "login", "log#");
        assertToken("machine host.domain.com login log password pass# account acct", "password", "pass#");
        assertToken("machine host.domain.com login lo#g password pass account acct", "login", "lo#g");
        assertToken("machine host.domain.com login log password pa#ss account acct", "password", "pa#ss");
    }

    private static void assertComment(String text, String password) { // test_netrc.py _test_comment
        Netrc n = parse(text);
        assertEquals(new Netrc.Entry("bar", "", password), n.hosts().get("foo.domain.com"));
        assertEquals(new Netrc.Entry("foo", "", "pass"), n.hosts().get("bar.domain.com"));
    }

    @Test
    void comments() { // test_netrc.py test_comment_before/after/at_end_of_machine_line*
        String foo = "machine foo.domain.com login bar password pass\n";
        String bar = "machine bar.domain.com login foo password pass\n";
        for (String comment : List.of("# comment\n", "#comment\n", "#\n")) {
            assertComment(comment + foo + bar, "pass");
            assertComment(foo + comment + bar, "pass");
            assertComment(foo + bar + comment, "pass");
        }
        assertComment("machine foo.domain.com login bar password pass # comment\n" + bar, "pass");
        assertComment("machine foo.domain.com login bar password pass #comment\n" + bar, "pass");
        assertComment("machine foo.domain.com login bar password #pass #comment\n" + bar, "#pass");
    }

    @Test
    void authenticatorsFallsBackToDefault() { // netrc.authenticators
        Netrc n = parse("machine a login x\ndefault login d password p\n");
        assertEquals("x", n.authenticators("a").login());
        assertEquals("d", n.authenticators("b").login());
        assertNull(parse("machine a login x\n").authenticators("b"));
        assertEquals("Netrc[machines=[a, default], macros=[]]", n.toString(), "no secrets in toString");
    }

    // ------------------------------------------------------------------ aiohttp's helpers

    private Map<String, String> netrcEnv(String contents) throws IOException {
        Path f = dir.resolve(".netrc");
        Files.writeString(f, contents);
        return Map.of("NETRC", f.toString());
    }

    @Test
    void netrcFromEnv() throws IOException { // aiohttp: test_netrc_from_env
        Netrc n = Netrc.fromEnvironment(netrcEnv("machine example.com login username password pass\n"), null);
        assertEquals("username", n.authenticators("example.com").login());
    }

    @Test
    void basicauthPresentInNetrc() throws IOException { // aiohttp: test_basicauth_present_in_netrc
        assertEquals(new BasicAuth("username", "pass"), Netrc.fromEnvironment(
                netrcEnv("machine example.com login username password pass\n"), null).basicAuth("example.com"));
        assertEquals(new BasicAuth("username", "pass"), Netrc.fromEnvironment(
                netrcEnv("machine example.com account username password pass\n"), null).basicAuth("example.com"));
        assertEquals(new BasicAuth("", "pass"), Netrc.fromEnvironment(
                netrcEnv("machine example.com password pass\n"), null).basicAuth("example.com"));
    }

    @Test
    void readBasicauthFromEmptyNetrc() throws IOException { // aiohttp: test_read_basicauth_from_empty_netrc
        assertNull(Netrc.fromEnvironment(netrcEnv(""), null).basicAuth("example.com"));
    }

    @Test
    void anEntryThatCannotBeBasicCredentialsNamesTheMachine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("machine example.com login a:b password p\n").basicAuth("example.com"));
        assertTrue(e.getMessage().contains(".netrc entry for example.com"), e.getMessage());
    }

    @Test
    void netrcFromHomeDoesNotRaiseIfUnreadable() throws IOException { // aiohttp: test_netrc_from_home_does_not_raise_if_access_denied
        // root reads any file, so unreadable is a directory where the file should be
        Path home = dir.resolve("protected");
        Files.createDirectories(home.resolve(".netrc"));
        assertNull(Netrc.fromEnvironment(Map.of("HOME", home.toString()), null));
        assertNull(Netrc.fromEnvironment(Map.of("NETRC", home.resolve(".netrc").toString()), null));
    }

    @Test
    void aMissingOrMalformedFileIsIgnored() throws IOException { // aiohttp's netrc_from_env returns None for both
        assertNull(Netrc.fromEnvironment(Map.of("NETRC", dir.resolve("absent").toString()), null));
        assertNull(Netrc.fromEnvironment(netrcEnv("machine example.com bogus\n"), null));
        assertNull(Netrc.fromEnvironment(Map.of(), null), "no NETRC and no home: nothing read");
    }

    /**
     * aiohttp's netrc_from_env warns "Could not parse .netrc file" for a malformed file, and "Could
     * not read .netrc file" for an unreadable one only when NETRC named it or it exists: a home
     * directory without the file is silent (aiohttp #3267).
     */
    @Test
    void warnsAsAiohttpDoes() throws IOException {
        try (LogCapture log = new LogCapture("dev.aio4j.http.client")) {
            Netrc.fromEnvironment(netrcEnv("machine example.com bogus\n"), null);
            Netrc.fromEnvironment(Map.of("HOME", dir.resolve("empty-home").toString()), null);
            Netrc.fromEnvironment(Map.of("NETRC", ""), null);
            List<String> quiet = log.messages();
            assertEquals(1, quiet.size(), quiet.toString());
            assertTrue(quiet.get(0).startsWith("Could not parse .netrc file: bad follower token 'bogus'"), quiet.get(0));
            Netrc.fromEnvironment(Map.of("NETRC", dir.resolve("absent").toString()), null);
            Path home = dir.resolve("dir-home");
            Files.createDirectories(home.resolve(".netrc"));
            Netrc.fromEnvironment(Map.of("HOME", home.toString()), null); // it exists, as a directory: not a file, silent
            List<String> all = log.messages();
            assertEquals(2, all.size(), all.toString());
            assertTrue(all.get(1).startsWith("Could not read .netrc file: "), all.get(1));
        }
    }

    @Test
    void whereTheFileIs() { // aiohttp's netrc_from_env: NETRC, else ~/.netrc (~/_netrc on Windows)
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        String name = windows ? "_netrc" : ".netrc";
        String homeVar = windows ? "USERPROFILE" : "HOME";
        assertEquals(Path.of("/x/nrc"), Netrc.location(Map.of("NETRC", "/x/nrc", homeVar, "/h"), "/fallback"));
        assertEquals(Path.of("/h", name), Netrc.location(Map.of(homeVar, "/h"), "/fallback"));
        assertEquals(Path.of("/fallback", name), Netrc.location(Map.of(), "/fallback"));
        assertNull(Netrc.location(Map.of(), null));
    }

    @Test
    void readsTheHomeDirectorysFile() throws IOException { // aiohttp: test_netrc_auth_from_home_directory's fixture
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        Files.writeString(home.resolve(windows ? "_netrc" : ".netrc"), "default login netrc_user password netrc_pass\n");
        Netrc n = Netrc.fromEnvironment(Map.of(windows ? "USERPROFILE" : "HOME", home.toString()), null);
        assertEquals(new BasicAuth("netrc_user", "netrc_pass"), n.basicAuth("anything"));
    }

    @Test
    void aFileThatIsNotUtf8IsReadInThePlatformEncoding() throws IOException { // netrc.netrc: utf-8, then locale
        Path f = dir.resolve("latin1");
        Files.write(f, "machine a password caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        java.nio.charset.Charset nativeCs = java.nio.charset.Charset.forName(System.getProperty("native.encoding", "UTF-8"));
        if (nativeCs.equals(StandardCharsets.UTF_8)) {
            // Python's UnicodeDecodeError, not a NetrcParseError: aiohttp lets it fail the request
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Netrc.load(f));
            assertFalse(e instanceof Netrc.ParseError, e.toString());
        } else {
            assertEquals(new String("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), nativeCs),
                    Netrc.load(f).hosts().get("a").password());
        }
    }

    @Test
    void theHostAUrlIsLookedUpUnder() { // yarl's url.host: lower case, Unicode, IPv6 without brackets
        assertEquals("example.com", Netrc.hostOf(java.net.URI.create("http://EXAMPLE.com:8080/x")));
        assertEquals("::1", Netrc.hostOf(java.net.URI.create("http://[::1]:8080/x")));
        assertEquals("b\u00fccher.example", Netrc.hostOf(java.net.URI.create("http://xn--bcher-kva.example/")));
        // a name whose last label ends in a digit is still a name (yarl tries ip_address, which refuses
        // it, then lower-cases and decodes it), not an IP address kept as sent
        assertEquals("b\u00fccher.host1", Netrc.hostOf(java.net.URI.create("http://xn--bcher-kva.host1/")));
        assertEquals("b\u00fccher.host1", AbsoluteTarget.hostName("xn--bcher-kva.host1"), "a proxy's host");
        assertEquals("127.0.0.1", AbsoluteTarget.hostName("127.0.0.1"));
        assertEquals("::1", AbsoluteTarget.hostName("::1"), "a proxy's host has no brackets");
        assertEquals("::1", AbsoluteTarget.hostName("[::1]"));
    }
}

package dev.aio4j.http.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Netrc}: what {@link #render} writes, {@link Netrc#parse} reads back as the same
 * entries and macros, whatever the names and values hold; and any text either parses or is
 * refused with a {@link Netrc.ParseError} (nothing else), and what parses survives a render and a
 * second parse unchanged. aio4j-only (CPython's test_netrc checks its own {@code repr} round trip
 * for one file, {@code test_default}).
 */
class NetrcProperties {
    @Property(tries = 400, seed = "20261205")
    void aRenderedFileParsesBackToItsEntries(@ForAll("hosts") Map<String, Netrc.Entry> hosts,
                                             @ForAll("macros") Map<String, List<String>> macros) {
        String text = render(hosts, macros);
        Netrc back = Netrc.parse(text, "rendered");
        assertEquals(hosts, back.hosts(), text);
        assertEquals(macros, back.macros(), text);
    }

    @Property(tries = 1000, seed = "20261205")
    void anyTextParsesOrIsRefusedAndSurvivesARender(@ForAll("netrcText") String text) {
        Netrc n;
        try {
            n = Netrc.parse(text, "fuzz");
        } catch (Netrc.ParseError refused) {
            return; // the one way to refuse
        }
        // a macro named "" (`macdef ""`) cannot have lines in any file: its name leaves the line end
        Assume.that(!n.macros().containsKey("") || n.macros().get("").isEmpty());
        Netrc back = Netrc.parse(render(n.hosts(), n.macros()), "rendered");
        assertEquals(n.hosts(), back.hosts());
        assertEquals(n.macros(), back.macros());
    }

    /**
     * The entries and macros in the file's format, such that {@link Netrc#parse} reads the same
     * entries and macros back, provided no name or value holds {@code \r} (read as a line end),
     * each macro line ends with its only {@code \n} and is not empty, and a macro named with the
     * empty string has no lines.
     */
    static String render(Map<String, Netrc.Entry> hosts, Map<String, List<String>> macros) {
        StringBuilder sb = new StringBuilder();
        hosts.forEach((name, e) -> {
            if (name.equals("default")) {
                sb.append("default");
            } else {
                sb.append("machine ").append(quote(name));
            }
            sb.append("\n\tlogin ").append(quote(e.login()))
                    .append("\n\taccount ").append(quote(e.account()))
                    .append("\n\tpassword ").append(quote(e.password())).append('\n');
        });
        macros.forEach((name, lines) -> {
            sb.append("macdef ").append(quote(name)).append('\n');
            lines.forEach(sb::append);
            sb.append('\n');
        });
        return sb.toString();
    }

    /**
     * A value as one token: {@code ""} when empty, else unquoted with each blank, {@code "} and
     * {@code \} escaped by a backslash (unquoted, so the blank after it is read with it: a macro's
     * name must leave its line end for the macro).
     */
    private static String quote(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        StringBuilder sb = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || "\n\t\r ".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Any characters but {@code \r} (a line end once read). */
    private static Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars(" \t\n\"\\#abcmachinedefaultlogin\u00e9\f").ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(6).filter(s -> s.indexOf('\r') < 0));
    }

    @Provide
    Arbitrary<Map<String, Netrc.Entry>> hosts() {
        Arbitrary<Netrc.Entry> entries = Combinators.combine(values(), values(), values()).as(Netrc.Entry::new);
        return Arbitraries.maps(values().filter(s -> !s.isEmpty()), entries).ofMaxSize(4);
    }

    @Provide
    Arbitrary<Map<String, List<String>>> macros() {
        Arbitrary<String> line = values().filter(s -> !s.isEmpty() && s.indexOf('\n') < 0).map(s -> s + "\n");
        return Arbitraries.maps(values().filter(s -> !s.isEmpty()), line.list().ofMaxSize(3)).ofMaxSize(2);
    }

    @Provide
    Arbitrary<String> netrcText() {
        Arbitrary<String> token = Arbitraries.oneOf(
                Arbitraries.of("machine", "default", "macdef", "login", "user", "account", "password", "#", "#c", "\"\"",
                        "\"a b\"", "\\", "\\\"", "x", "h.example", "p#"),
                Arbitraries.strings().withChars("ab\"\\#").ofMinLength(1).ofMaxLength(3));
        Arbitrary<String> gap = Arbitraries.of(" ", "\n", "\t", "\r\n", "\r", "\n\n", "  \n");
        return Combinators.combine(token.list().ofMaxSize(14), gap.list().ofSize(14)).as((ts, gs) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ts.size(); i++) {
                sb.append(ts.get(i)).append(gs.get(i));
            }
            return sb.toString();
        });
    }
}

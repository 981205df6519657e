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
 * {@link Netrc}: what {@link Netrc#render()} writes, {@link Netrc#parse} reads back as the same
 * entries and macros, whatever the names and values hold; and any text either parses or is
 * refused with a {@link Netrc.ParseError} (nothing else), and what parses survives a render and a
 * second parse unchanged. aio4j-only (CPython's test_netrc checks its own {@code repr} round trip
 * for one file, {@code test_default}).
 */
class NetrcProperties {
    @Property(tries = 400, seed = "20261205")
    void aRenderedFileParsesBackToItsEntries(@ForAll("hosts") Map<String, Netrc.Entry> hosts,
                                             @ForAll("macros") Map<String, List<String>> macros) {
        Netrc n = Netrc.of(hosts, macros);
        Netrc back = Netrc.parse(n.render(), "rendered");
        assertEquals(hosts, back.hosts(), n.render());
        assertEquals(macros, back.macros(), n.render());
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
        Netrc back = Netrc.parse(n.render(), "rendered");
        assertEquals(n.hosts(), back.hosts());
        assertEquals(n.macros(), back.macros());
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

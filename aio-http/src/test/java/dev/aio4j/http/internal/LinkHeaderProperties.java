package dev.aio4j.http.internal;

import dev.aio4j.http.MultiDict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code Link} reader never throws and ignores what it cannot read, and reads back every
 * well-formed field exactly as it was written, however the links are spread over fields and
 * however much optional whitespace separates the parts. aio4j-only.
 */
class LinkHeaderProperties {
    private static final URI BASE = URI.create("http://h/a/b");

    /** A link as written: its target and its parameters (lower-case token names). */
    record Written(String target, List<Map.Entry<String, String>> params) {}

    @Property(tries = 2000, seed = "20261205")
    void anyFieldIsReadWithoutThrowingAndEachLinkHasATarget(@ForAll("garbage") String field) {
        List<LinkHeader.Link> parsed = LinkHeader.parse(field);
        long opens = field.chars().filter(c -> c == '<').count();
        assertTrue(parsed.size() <= opens, "never more links than '<'");
        for (LinkHeader.Link l : parsed) {
            assertTrue(l.target().indexOf('>') < 0, l.target());
            for (Map.Entry<String, String> p : l.params()) {
                assertTrue(!p.getKey().isEmpty() && !p.getKey().equals("url") && p.getKey().chars().allMatch(c -> c < 'A' || c > 'Z')
                        && p.getKey().chars().allMatch(dev.aio4j.loop.internal.Checks::isTokenChar), p.getKey());
            }
        }
        MultiDict<MultiDict<String>> links = LinkHeader.links(BASE, List.of(field));
        assertEquals(parsed.size(), links.size());
        links.forEach((k, v) -> assertEquals(1, v.getAll("url").size()));
    }

    @Property(tries = 1000, seed = "20261206")
    void wellFormedFieldsRoundTrip(@ForAll("written") List<Written> written, @ForAll("ows") String ows,
                                   @ForAll("splits") int fields) {
        List<String> values = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < written.size(); i++) {
            Written w = written.get(i);
            if (!sb.isEmpty()) {
                sb.append(ows).append(',').append(ows);
            }
            sb.append('<').append(w.target()).append('>');
            for (Map.Entry<String, String> p : w.params()) {
                sb.append(ows).append(';').append(ows).append(p.getKey()).append(ows).append('=').append(ows).append(quote(p.getValue()));
            }
            if (fields > 1 && i % fields == fields - 1) {
                values.add(sb.toString());
                sb.setLength(0);
            }
        }
        if (!sb.isEmpty()) {
            values.add(sb.toString());
        }
        List<LinkHeader.Link> parsed = new ArrayList<>();
        for (String v : values) {
            parsed.addAll(LinkHeader.parse(v));
        }
        assertEquals(written.size(), parsed.size(), values.toString());
        for (int i = 0; i < written.size(); i++) {
            assertEquals(written.get(i).target(), parsed.get(i).target());
            assertEquals(written.get(i).params(), parsed.get(i).params(), values.toString());
        }
        MultiDict<MultiDict<String>> links = LinkHeader.links(BASE, values);
        assertEquals(written.size(), links.size());
        for (int i = 0; i < written.size(); i++) {
            Written w = written.get(i);
            String rel = w.params().stream().filter(p -> p.getKey().equals("rel")).map(Map.Entry::getValue).findFirst().orElse(w.target());
            assertEquals(rel, links.entries().get(i).getKey());
            assertEquals(UriReference.split(BASE.toString()).resolve(UriReference.split(w.target())).toString(),
                    links.entries().get(i).getValue().get("url"));
        }
    }

    /** A value as a quoted string, escaping {@code "} and {@code \}. */
    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<Character> hostile = Arbitraries.of('<', '>', ';', ',', '=', '"', '\\', ' ', '\t', 'a', 'r', 'e', 'l', '/', ':');
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                hostile.list().ofMaxSize(80).map(cs -> {
                    StringBuilder sb = new StringBuilder();
                    cs.forEach(sb::append);
                    return sb.toString();
                }));
    }

    @Provide
    Arbitrary<List<Written>> written() {
        Arbitrary<String> target = Arbitraries.strings().withChars("abcXYZ019-._~:/?#[]@!$&'()*+,;=%").ofMaxLength(30);
        Arbitrary<String> name = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'+-.^_`|~")
                .ofMinLength(1).ofMaxLength(10).filter(n -> !n.equals("url"));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc ,;=<>\"\\\t'").ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(20));
        Arbitrary<Map.Entry<String, String>> param = Combinators.combine(Arbitraries.oneOf(name, Arbitraries.just("rel")), value)
                .as(Map::entry);
        return Combinators.combine(target, param.list().ofMaxSize(4)).as(Written::new).list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> ows() {
        return Arbitraries.of("", " ", "\t", "  \t ");
    }

    @Provide
    Arbitrary<Integer> splits() {
        return Arbitraries.integers().between(1, 4);
    }
}

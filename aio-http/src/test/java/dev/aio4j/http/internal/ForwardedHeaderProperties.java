package dev.aio4j.http.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of {@link ForwardedHeader}: it parses exactly as aiohttp 3's
 * {@code BaseRequest.forwarded} (checked against that algorithm written here with the same
 * backtracking regular expression, on short inputs where backtracking is cheap), and what a proxy
 * writes by RFC 7239 reads back.
 */
class ForwardedHeaderProperties {
    private static final String TCHAR = "!#$%&'*+.^_`|~0-9A-Za-z-";
    /** aiohttp 3.15's _FORWARDED_PAIR: token=(token|quoted-string)(:port)?, matched at a position. */
    private static final Pattern PAIR = Pattern.compile(
            "([" + TCHAR + "]+)=([" + TCHAR + "]+|\"(?:\\\\[\\t !-~]|[\\t !#-~])*\")(:[0-9]{1,4})?");
    private static final Pattern QUOTED_PAIR = Pattern.compile("\\\\([\\t !-~])");

    /** aiohttp 3.15's loop, with java.util.regex in place of Python's re (same backtracking order). */
    private static List<Map<String, String>> reference(List<String> fieldValues) {
        List<Map<String, String>> elems = new ArrayList<>();
        for (String fv : fieldValues) {
            int length = fv.length();
            int pos = 0;
            boolean needSeparator = false;
            Map<String, String> elem = new LinkedHashMap<>();
            elems.add(elem);
            while (pos >= 0 && pos < length) {
                Matcher m = PAIR.matcher(fv).region(pos, length);
                if (m.lookingAt()) {
                    if (needSeparator) {
                        pos = fv.indexOf(',', pos);
                    } else {
                        String value = m.group(2);
                        if (value.charAt(0) == '"') {
                            value = QUOTED_PAIR.matcher(value.substring(1, value.length() - 1)).replaceAll("$1");
                        }
                        if (m.group(3) != null) {
                            value += m.group(3);
                        }
                        elem.put(m.group(1).toLowerCase(Locale.ROOT), value);
                        pos = m.end();
                        needSeparator = true;
                    }
                } else if (fv.charAt(pos) == ',') {
                    needSeparator = false;
                    elem = new LinkedHashMap<>();
                    elems.add(elem);
                    pos++;
                } else if (fv.charAt(pos) == ';') {
                    needSeparator = false;
                    pos++;
                } else if (fv.charAt(pos) == ' ' || fv.charAt(pos) == '\t') {
                    pos++;
                } else {
                    pos = fv.indexOf(',', pos);
                }
            }
        }
        return elems;
    }

    @Provide
    Arbitrary<String> headerish() {
        // the characters that steer the parser, and a few ordinary ones
        return Arbitraries.strings().withChars("aB1=\"\\,;: \t:9-é\u007f").ofMaxLength(24);
    }

    @Property(tries = 3000)
    void parsesAsAiohttp(@ForAll("headerish") String a, @ForAll("headerish") String b) {
        List<String> fields = List.of(a, b);
        assertEquals(reference(fields), ForwardedHeader.parse(fields), () -> "fields " + fields);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("for", "by", "host", "proto", "For", "BY", "x-custom");
    }

    @Provide
    Arbitrary<List<List<Tuple.Tuple2<String, String>>>> elements() {
        Arbitrary<String> values = Arbitraries.oneOf(
                Arbitraries.strings().withChars(TCHAR.replace("0-9A-Za-z-", "azAZ09-")).ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(12));
        Arbitrary<Tuple.Tuple2<String, String>> pair = Combinators.combine(names(), values).as(Tuple::of);
        return pair.list().ofMinSize(1).ofMaxSize(4).list().ofMinSize(1).ofMaxSize(4);
    }

    private static boolean isToken(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c < 128 && dev.aio4j.loop.internal.Checks.isTokenChar(c));
    }

    /** What a proxy writes: a token as it is, anything else as a quoted string with escapes. */
    private static String serialize(String value) {
        if (isToken(value) && !value.contains(":")) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Property(tries = 1000)
    void whatAProxyWritesReadsBack(@ForAll("elements") List<List<Tuple.Tuple2<String, String>>> elements,
                                   @ForAll boolean spaced) {
        StringBuilder header = new StringBuilder();
        List<Map<String, String>> expected = new ArrayList<>();
        for (List<Tuple.Tuple2<String, String>> element : elements) {
            if (!header.isEmpty()) {
                header.append(spaced ? " , " : ",");
            }
            Map<String, String> e = new LinkedHashMap<>();
            for (int i = 0; i < element.size(); i++) {
                Tuple.Tuple2<String, String> p = element.get(i);
                header.append(i == 0 ? "" : spaced ? " ;\t" : ";").append(p.get1()).append('=').append(serialize(p.get2()));
                e.put(p.get1().toLowerCase(Locale.ROOT), p.get2());
            }
            expected.add(Collections.unmodifiableMap(e));
        }
        assertEquals(expected, ForwardedHeader.parse(List.of(header.toString())), header::toString);
    }

    @Property(tries = 300)
    void oneElementPerCommaAtMost(@ForAll("headerish") String value) {
        List<Map<String, String>> parsed = ForwardedHeader.parse(List.of(value));
        long commas = value.chars().filter(c -> c == ',').count();
        assertTrue(parsed.size() >= 1 && parsed.size() <= commas + 1, () -> parsed + " from " + value);
    }

    /** Edge cases, on the parser directly (outside a loop, where mutation testing sees them). */
    @Example
    void edges() {
        Map<String, String> none = Map.of();
        // a backslash escapes tab, space and ! to ~ only: before a non-ASCII character it is text,
        // and the character then ends the quoted string without a closing quote
        assertEquals(List.of(none), ForwardedHeader.parse(List.of("for=\"\\\u00e9\"")));
        assertEquals(List.of(Map.of("for", "\\\t")), ForwardedHeader.parse(List.of("for=\"\\\\\\\t\"")));
        // a field ending in a backslash inside a quoted string: no pair, no failure
        assertEquals(List.of(none), ForwardedHeader.parse(List.of("for=\"a\\")));
        assertEquals(List.of(Map.of("by", "b"), none), ForwardedHeader.parse(List.of("by=b,for=\"\\")));
        assertEquals(List.of(Map.of("for", "a b")), ForwardedHeader.parse(List.of("for=\"a\\ b\""))); // an escaped space
        // an escaped quote the regex gives back to close the string: the backslash is text
        assertEquals(List.of(Map.of("for", "a\\")), ForwardedHeader.parse(List.of("for=\"a\\\"")));
        // ports: 1 to 4 digits; a colon with none is bad syntax after the pair
        assertEquals(List.of(Map.of("host", "h:1234")), ForwardedHeader.parse(List.of("host=h:12345")));
        assertEquals(List.of(Map.of("host", "h:1")), ForwardedHeader.parse(List.of("host=h:1")));
        assertEquals(List.of(Map.of("host", "h")), ForwardedHeader.parse(List.of("host=h:")));
        assertEquals(List.of(Map.of("for", "[::1]:80")), ForwardedHeader.parse(List.of("for=\"[::1]\":80")));
        // an empty value, a value-less name, an empty field
        assertEquals(List.of(Map.of("for", "")), ForwardedHeader.parse(List.of("for=\"\"")));
        assertEquals(List.of(none, Map.of("by", "x")), ForwardedHeader.parse(List.of("for=, by=x")));
        assertEquals(List.of(none), ForwardedHeader.parse(List.of("")));
        assertEquals(List.of(), ForwardedHeader.parse(List.of()));
    }
}

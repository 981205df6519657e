package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the server's request parser that hold for every input (issue 15): a request
 * split at any byte boundaries parses identically, and any bytes at all either parse or fail with
 * the parser's own {@link BadHttpMessage} and a 4xx/5xx status, never another exception, and never
 * read a second request out of a body. aio4j-only.
 */
class RequestParserProperties {
    private static final ParserLimits SMALL = new ParserLimits(64, 256, 8, 16);

    @Provide
    Arbitrary<String> validRequests() {
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "purge");
        Arbitrary<String> path = Arbitraries.strings().withChars("abcxyz0129-._~%/?=&").ofMaxLength(30).map(p -> "/" + p);
        Arbitrary<List<String>> fields = Arbitraries.strings().withChars("abcdefXY-").ofMinLength(1).ofMaxLength(10)
                .flatMap(n -> Arbitraries.strings().withChars("abc xyz;=,\t!").ofMaxLength(20)
                        .map(v -> n + ": " + v.strip()))
                .list().ofMaxSize(6);
        Arbitrary<String> body = Arbitraries.strings().withChars("hello\r\n GET/").ofMaxLength(60);
        Arbitrary<Integer> framing = Arbitraries.integers().between(0, 2);
        return Combinators.combine(method, path, fields, body, framing).as((m, p, f, b, fr) -> {
            StringBuilder sb = new StringBuilder(m).append(' ').append(p).append(" HTTP/1.1\r\nHost: h\r\n");
            f.forEach(x -> sb.append(x).append("\r\n"));
            switch (fr) {
                case 0 -> sb.append("\r\n");
                case 1 -> sb.append("Content-Length: ").append(b.length()).append("\r\n\r\n").append(b);
                default -> {
                    sb.append("Transfer-Encoding: chunked\r\n\r\n");
                    if (!b.isEmpty()) {
                        sb.append(Integer.toHexString(b.length())).append("\r\n").append(b).append("\r\n");
                    }
                    sb.append("0\r\n\r\n");
                }
            }
            return sb.toString();
        });
    }

    @Property(tries = 300, seed = "20261203")
    void anySplitParsesLikeTheWhole(@ForAll("validRequests") String request, @ForAll("validRequests") String second,
                                    @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
        byte[] bytes = (request + second).getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = feed(List.of(bytes));
        assertEquals(2, whole.stream().filter(e -> e.equals("complete")).count(), whole.toString());
        TreeSet<Integer> at = new TreeSet<>();
        cuts.forEach(c -> at.add(c % (bytes.length + 1)));
        List<byte[]> pieces = new ArrayList<>();
        int prev = 0;
        for (int cut : at) {
            pieces.add(Arrays.copyOfRange(bytes, prev, cut));
            prev = cut;
        }
        pieces.add(Arrays.copyOfRange(bytes, prev, bytes.length));
        assertEquals(whole, feed(pieces), "split at " + at);
    }

    @Property(tries = 1000, seed = "20261204")
    void anyBytesParseOrFailWithAnErrorStatus(@ForAll @Size(max = 600) byte[] data,
                                              @ForAll @IntRange(min = 1, max = 64) int piece) {
        Statistics.collect(outcome(data, piece));
    }

    @Property(tries = 1000, seed = "20261205")
    void anyTextAfterARequestLineParsesOrFails(@ForAll("headLike") String text, @ForAll @IntRange(min = 1, max = 64) int piece) {
        String outcome = outcome(("POST / HTTP/1.1\r\n" + text).getBytes(StandardCharsets.ISO_8859_1), piece);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(cov -> cov.check("refused").percentage(p -> p > 10));
    }

    @Provide
    Arbitrary<String> headLike() {
        return Arbitraries.strings().withChars("Host: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked0a\t \u0000")
                .ofMaxLength(120);
    }

    /** Feeds the pieces, calling next() between requests; returns the merged event log. */
    private static List<String> feed(List<byte[]> pieces) {
        RequestParserTest.Events ev = new RequestParserTest.Events();
        RequestParser p = new RequestParser(ParserLimits.DEFAULT, ev);
        for (byte[] piece : pieces) {
            int pos = 0;
            while (pos < piece.length) {
                pos += p.feed(piece, pos, piece.length - pos);
                if (p.done() && pos < piece.length) {
                    p.next();
                }
            }
            if (p.done()) {
                p.next();
            }
        }
        p.feedEof();
        return ev.merged();
    }

    private static String outcome(byte[] data, int piece) {
        RequestParser p = new RequestParser(SMALL, new RequestParserTest.Events());
        try {
            int pos = 0;
            while (pos < data.length) {
                int n = Math.min(piece, data.length - pos);
                int used = p.feed(data, pos, n);
                assertTrue(used == n || p.done(), "consumed " + used + " of " + n + " without finishing a request");
                pos += used;
                if (p.done()) {
                    p.next();
                }
            }
            p.feedEof();
            return "parsed";
        } catch (BadHttpMessage e) {
            int status = p.failureStatus();
            assertTrue(status == 400 || status == 414 || status == 431 || status == 505, "status " + status);
            assertTrue(e.getMessage().length() < 400, e.getMessage());
            return "refused";
        }
    }
}

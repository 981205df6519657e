package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.Headers;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the response parser that hold for every input: chunking does not matter, and any
 * bytes at all either parse or fail with {@link BadHttpMessage}, within the limits, without
 * hanging. aio4j-only (aiohttp's parser tests are example-based).
 */
class HttpParserProperties {
    /** Small limits, so that random input reaches every one of them. */
    private static final ParserLimits SMALL = new ParserLimits(64, 256, 8, 16);
    /** Limits that the generated valid responses fit in, still small enough for mutations to cross. */
    private static final ParserLimits MEDIUM = new ParserLimits(200, 1024, 12, 32);
    private static final Duration PER_TRY = Duration.ofSeconds(10);

    /** A well-formed response and what parsing it must give. */
    record Case(String method, byte[] bytes, byte[] body, boolean untilClose) {
        @Override
        public String toString() {
            return method + " " + Escaping.quote(bytes, 0, bytes.length) + " (" + bytes.length + " bytes)";
        }
    }

    @Property(tries = 400, seed = "20261121")
    void anySplitParsesLikeTheWhole(@ForAll("validResponses") Case c,
                                    @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            RecordingListener whole = parse(c, List.of(c.bytes()));
            assertArrayEquals(c.body(), whole.body.toByteArray(), "body of " + c);
            assertTrue(whole.complete, "complete: " + c);

            TreeSet<Integer> at = new TreeSet<>();
            for (int cut : cuts) {
                at.add(cut % (c.bytes().length + 1));
            }
            List<byte[]> pieces = new ArrayList<>();
            int prev = 0;
            for (int cut : at) {
                pieces.add(Arrays.copyOfRange(c.bytes(), prev, cut));
                prev = cut;
            }
            pieces.add(Arrays.copyOfRange(c.bytes(), prev, c.bytes().length));
            RecordingListener split = parse(c, pieces);
            assertEquals(whole.events(), split.events(), "split at " + at + ": " + c);
        });
    }

    @Property(tries = 300, seed = "20261122")
    void byteAtATimeParsesLikeTheWhole(@ForAll("validResponses") Case c) {
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : c.bytes()) {
            pieces.add(new byte[] {b});
        }
        assertEquals(parse(c, List.of(c.bytes())).events(), parse(c, pieces).events());
    }

    @Property(tries = 1000, seed = "20261123")
    void anyBytesParseOrFailWithBadHttpMessage(@ForAll @Size(max = 700) byte[] data,
                                               @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        feedArbitrary(data, pieceSize, SMALL);
    }

    @Property(tries = 1000, seed = "20261124")
    void anyTextAfterAStatusLineParsesOrFails(@ForAll("headLike") String text, @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        String outcome = feedArbitrary(("HTTP/1.1 200 OK\r\n" + text).getBytes(StandardCharsets.ISO_8859_1), pieceSize, SMALL);
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(cov -> {
            cov.check("parsed").percentage(p -> p > 5);
            cov.check("refused").percentage(p -> p > 10);
        });
    }

    @Property(tries = 1000, seed = "20261125")
    void mutatedResponsesParseOrFail(@ForAll("validResponses") Case c, @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
                                     @ForAll @Size(min = 4, max = 4) byte[] values, @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        byte[] m = c.bytes().clone();
        for (int i = 0; i < positions.size(); i++) {
            m[positions.get(i) % m.length] = values[i];
        }
        Statistics.label("outcome").collect(feedArbitrary(m, pieceSize, MEDIUM));
        Statistics.label("outcome").coverage(cov -> {
            cov.check("parsed").percentage(p -> p > 3); // most random bytes in a head break it, as they should
            cov.check("refused").percentage(p -> p > 10);
        });
    }

    /** @return "parsed" or "refused"; any exception other than BadHttpMessage fails */
    private static String feedArbitrary(byte[] data, int pieceSize, ParserLimits limits) {
        return assertTimeoutPreemptively(PER_TRY, () -> {
            RecordingListener rec = new RecordingListener();
            ResponseParser p = new ResponseParser(limits, rec);
            int bound = 2 * (Math.max(128, Math.max(limits.maxLineSize(), limits.maxChunkLineSize()) + 2));
            p.start("GET");
            try {
                int pos = 0;
                while (pos < data.length && !p.done()) {
                    int n = Math.min(pieceSize, data.length - pos);
                    int used = p.feed(data, pos, n);
                    assertTrue(used == n || p.done(), "feed consumed " + used + " of " + n + " without finishing");
                    pos += used;
                    assertTrue(p.retainedBytes() <= bound, "retained " + p.retainedBytes());
                }
                p.feedEof();
                assertTrue(p.done());
                return "parsed";
            } catch (BadHttpMessage expected) {
                assertTrue(expected.getMessage().length() < 400, "message too long: " + expected.getMessage());
                assertTrue(p.retainedBytes() <= bound, "retained " + p.retainedBytes());
                return "refused";
            }
            // Any other exception fails the property.
        });
    }

    private static RecordingListener parse(Case c, List<byte[]> pieces) {
        RecordingListener rec = new RecordingListener();
        ResponseParser p = new ResponseParser(ParserLimits.DEFAULT, rec);
        p.start(c.method());
        for (byte[] piece : pieces) {
            assertEquals(piece.length, p.feed(piece), "every byte belongs to the response");
        }
        if (c.untilClose()) {
            p.feedEof();
        }
        return rec;
    }

    /** Fragments of heads and bodies, valid and invalid, glued at random. */
    @Provide
    Arbitrary<String> headLike() {
        Arbitrary<String> fragment = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "X-A: b\r\n",
                        "Connection: close\r\n", "\r\n", "3\r\nabc\r\n", "0\r\n", "abc", "T: v\r\n")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("\n", "\r", " ", ":", ";", "Content-Length: -1\r\n", "Content-Length: 4\r\n",
                        "fffffffffffffffff\r\n", "\u0000", "\u00ff", "HTTP/1.1 100 Continue\r\n", "Transfer-Encoding: gzip\r\n",
                        " folded\r\n", "Bad Name: x\r\n")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(70)));
        return fragment.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<Case> validResponses() {
        Arbitrary<Integer> minor = Arbitraries.integers().between(0, 1);
        Arbitrary<Integer> status = Arbitraries.of(200, 201, 204, 206, 301, 304, 404, 418, 500, 599, 999);
        Arbitrary<String> reason = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20);
        Arbitrary<List<String[]>> headers = Combinators.combine(
                Arbitraries.strings().withChars("abcXYZ-_!~09").ofMinLength(1).ofMaxLength(10),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30))
                .as((n, v) -> new String[] {"X-" + n, v.strip()}).list().ofMaxSize(6);
        Arbitrary<Integer> framing = Arbitraries.integers().between(0, 3); // 0 length, 1 chunked, 2 close, 3 HEAD
        Arbitrary<List<byte[]>> chunks = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMaxSize(5);
        Arbitrary<Integer> interims = Arbitraries.integers().between(0, 2);
        Arbitrary<Boolean> trailers = Arbitraries.of(true, false);
        return Combinators.combine(minor, status, reason, headers, framing, chunks, interims, trailers)
                .as(HttpParserProperties::build);
    }

    private static Case build(int minor, int status, String reason, List<String[]> headers, int framing,
                              List<byte[]> chunks, int interims, boolean trailers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < interims; i++) {
            out.writeBytes(ascii("HTTP/1.1 100 Continue\r\nX-Interim: " + i + "\r\n\r\n"));
        }
        boolean noBodyStatus = status == 204 || status == 304;
        if (framing == 1 && minor == 0) {
            framing = 0; // HTTP/1.0 cannot be chunked
        }
        out.writeBytes(ascii("HTTP/1." + minor + " " + status + (reason.isEmpty() ? "" : " " + reason) + "\r\n"));
        for (String[] h : headers) {
            out.writeBytes(ascii(h[0] + ": " + h[1] + "\r\n"));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        chunks.forEach(body::writeBytes);
        String method = framing == 3 ? "HEAD" : "GET";
        boolean untilClose = false;
        switch (framing) {
            case 0, 3 -> out.writeBytes(ascii("Content-Length: " + body.size() + "\r\n\r\n"));
            case 1 -> out.writeBytes(ascii("Transfer-Encoding: chunked\r\n\r\n"));
            default -> {
                out.writeBytes(ascii("\r\n"));
                untilClose = !noBodyStatus;
            }
        }
        byte[] expectedBody = noBodyStatus || framing == 3 ? new byte[0] : body.toByteArray();
        if (expectedBody.length > 0 || framing == 1 && !noBodyStatus) {
            if (framing == 1) {
                Headers t = new Headers();
                if (trailers) {
                    t.add("X-Trailer", "t");
                    t.add("Checksum", Integer.toString(Arrays.hashCode(expectedBody)));
                }
                for (byte[] c : chunks) {
                    if (c.length > 0) {
                        out.writeBytes(ascii(Integer.toHexString(c.length) + (trailers ? ";ext=" + c.length : "") + "\r\n"));
                        out.writeBytes(c);
                        out.writeBytes(ascii("\r\n"));
                    }
                }
                out.writeBytes(ChunkedEncoder.last(t));
            } else {
                out.writeBytes(expectedBody);
            }
        }
        return new Case(method, out.toByteArray(), expectedBody, untilClose);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

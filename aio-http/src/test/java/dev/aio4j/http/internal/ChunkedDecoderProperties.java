package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.Headers;
import dev.aio4j.loop.internal.Escaping;
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
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Properties of {@link ChunkedDecoder} over every body, every chunking, every valid set of chunk
 * extensions and every split of the wire bytes into reads: it gives back exactly the body, and a
 * single byte changed anywhere in the framing is refused unless the changed line is still valid
 * by an independent statement of the grammar (in which case it never returns a different body
 * for the same chunk sizes). aio4j-only.
 */
class ChunkedDecoderProperties {
    /**
     * RFC 9112 section 7.1's chunk-size line without BWS, written independently of the decoder:
     * {@code 1*HEXDIG *( ";" token [ "=" ( token / quoted-string ) ] )}.
     */
    private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
    private static final String QUOTED = "\"(?:[\\t \\x21\\x23-\\x5B\\x5D-\\x7E\\x80-\\xFF]|\\\\[\\t \\x21-\\x7E\\x80-\\xFF])*\"";
    private static final Pattern SIZE_LINE = Pattern.compile("[0-9A-Fa-f]+(?:;" + TOKEN + "(?:=(?:" + TOKEN + "|" + QUOTED + "))?)*");

    /** Where a framing byte sits: in a chunk-size line (from {@code lineStart}, CRLF included) or the CRLF after data. */
    record Framing(int pos, int lineStart, int lineEnd, boolean afterData) {}

    /** A valid chunked encoding, the body it carries, and where its framing bytes are. */
    record Encoded(byte[] wire, byte[] body, Headers trailers, List<Framing> framing) {
        @Override
        public String toString() {
            return Escaping.quote(wire, 0, wire.length) + " (" + wire.length + " bytes)";
        }
    }

    /** What feeding gave. */
    record Outcome(byte[] body, boolean done, int consumed, Headers trailers, BadHttpMessage refused) {}

    @Property(tries = 600, seed = "20261204")
    void anyChunkingWithAnyExtensionsDecodesToExactlyTheBody(@ForAll("encodings") Encoded e,
            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
        Outcome o = feed(e.wire(), cuts);
        assertTrue(o.refused() == null, () -> "refused " + e + ": " + o.refused().getMessage());
        assertTrue(o.done(), "not done: " + e);
        assertEquals(e.wire().length, o.consumed());
        assertArrayEquals(e.body(), o.body(), "body of " + e);
        assertEquals(e.trailers(), o.trailers());
    }

    @Property(tries = 1500, seed = "20261205")
    void oneByteChangedInTheFramingIsRefusedOrStillValid(@ForAll("encodings") Encoded e,
            @ForAll @IntRange(min = 0, max = 100_000) int which, @ForAll @IntRange(min = 0, max = 255) int value,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
        Framing f = e.framing().get(which % e.framing().size());
        byte[] wire = e.wire().clone();
        if ((wire[f.pos()] & 0xFF) == value) {
            value = (value + 1) & 0xFF;
        }
        wire[f.pos()] = (byte) value;
        Outcome o = feed(wire, cuts); // any exception but BadHttpMessage fails the property
        String line = new String(wire, f.lineStart(), f.lineEnd() - f.lineStart() - 2, StandardCharsets.ISO_8859_1);
        boolean inLineContent = !f.afterData() && f.pos() < f.lineEnd() - 2;
        boolean stillValid = inLineContent && SIZE_LINE.matcher(line).matches();
        Statistics.label("outcome").collect(o.refused() != null ? "refused" : stillValid ? "still valid" : "ACCEPTED INVALID");
        if (!stillValid) {
            assertTrue(o.refused() != null, () -> "accepted a broken " + (f.afterData() ? "CRLF after data" : "chunk-size line")
                    + " (byte " + f.pos() + "): " + Escaping.quote(wire, 0, wire.length));
            return;
        }
        String original = new String(e.wire(), f.lineStart(), f.lineEnd() - f.lineStart() - 2, StandardCharsets.ISO_8859_1);
        if (o.refused() == null && o.done() && hexPrefix(line).equals(hexPrefix(original))) {
            assertArrayEquals(e.body(), o.body(), "same sizes, different extensions, different body: " + e);
        }
    }

    private static String hexPrefix(String line) {
        int i = 0;
        while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0) {
            i++;
        }
        return Long.toHexString(Long.parseLong(line.substring(0, i), 16));
    }

    /** Feeds {@code wire} cut at {@code cuts} (mod its length), stopping at the end of the body or a refusal. */
    private static Outcome feed(byte[] wire, List<Integer> cuts) {
        ChunkedDecoder d = new ChunkedDecoder(ParserLimits.DEFAULT);
        CollectingSink sink = new CollectingSink();
        TreeSet<Integer> at = new TreeSet<>();
        for (int cut : cuts) {
            at.add(cut % (wire.length + 1));
        }
        at.add(wire.length);
        int pos = 0;
        try {
            for (int cut : at) {
                while (pos < cut && !d.done()) {
                    int n = d.feed(wire, pos, cut - pos, sink);
                    if (n == 0) {
                        fail("feed consumed nothing before the end");
                    }
                    pos += n;
                }
            }
        } catch (BadHttpMessage refused) {
            return new Outcome(sink.body(), false, pos, sink.trailers(), refused);
        }
        return new Outcome(sink.body(), d.done(), pos, sink.trailers(), null);
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Encoded> encodings() {
        Arbitrary<List<byte[]>> chunks = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40).list().ofMaxSize(6);
        Arbitrary<List<String>> extensions = extensions().list().ofSize(7);
        Arbitrary<List<Integer>> zeros = Arbitraries.integers().between(0, 3).list().ofSize(7);
        Arbitrary<Boolean> upper = Arbitraries.of(true, false);
        Arbitrary<Integer> trailerCount = Arbitraries.integers().between(0, 3);
        return Combinators.combine(chunks, extensions, zeros, upper, trailerCount).as(ChunkedDecoderProperties::encode);
    }

    /** Zero or more valid extensions, each {@code ;name} or {@code ;name=token} or {@code ;name="quoted"}. */
    private static Arbitrary<String> extensions() {
        Arbitrary<String> token = Arbitraries.strings().withChars("!#$%&'*+-.^_`|~abcXYZ019").ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> quoted = Arbitraries.strings().withChars("abc ;=\t,\u00e9\u00ff()/").ofMaxLength(6)
                .flatMap(s -> Arbitraries.of(true, false).map(escape -> {
                    StringBuilder sb = new StringBuilder("\"");
                    for (char c : s.toCharArray()) {
                        sb.append(escape ? "\\" : "").append(c);
                    }
                    return sb.append(escape ? "\\\"\\\\" : "").append('"').toString();
                }));
        Arbitrary<String> one = Combinators.combine(token, Arbitraries.integers().between(0, 2), token, quoted)
                .as((name, kind, value, q) -> ";" + name + (kind == 0 ? "" : "=" + (kind == 1 ? value : q)));
        return one.list().ofMaxSize(3).map(list -> String.join("", list));
    }

    private static Encoded encode(List<byte[]> chunks, List<String> exts, List<Integer> zeros, boolean upper, int trailerCount) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Framing> framing = new ArrayList<>();
        int i = 0;
        for (byte[] c : chunks) {
            String size = "0".repeat(zeros.get(i)) + Integer.toHexString(c.length);
            sizeLine(wire, (upper ? size.toUpperCase() : size) + exts.get(i), framing);
            wire.writeBytes(c);
            body.writeBytes(c);
            framing.add(new Framing(wire.size(), wire.size(), wire.size() + 2, true));
            framing.add(new Framing(wire.size() + 1, wire.size(), wire.size() + 2, true));
            wire.writeBytes(ascii("\r\n"));
            i++;
        }
        sizeLine(wire, "0".repeat(1 + zeros.get(6)) + exts.get(6), framing);
        Headers trailers = null;
        if (trailerCount > 0) {
            trailers = new Headers();
            for (int t = 0; t < trailerCount; t++) {
                trailers.add("X-T" + t, "v" + t);
                wire.writeBytes(ascii("X-T" + t + ": v" + t + "\r\n"));
            }
        }
        wire.writeBytes(ascii("\r\n"));
        return new Encoded(wire.toByteArray(), body.toByteArray(), trailers, framing);
    }

    private static void sizeLine(ByteArrayOutputStream wire, String content, List<Framing> framing) {
        int start = wire.size();
        int end = start + content.length() + 2;
        for (int p = start; p < end; p++) {
            framing.add(new Framing(p, start, end, false));
        }
        wire.writeBytes(content.getBytes(StandardCharsets.ISO_8859_1));
        wire.writeBytes(ascii("\r\n"));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}

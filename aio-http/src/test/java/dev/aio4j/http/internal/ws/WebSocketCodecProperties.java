package dev.aio4j.http.internal.ws;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Properties of the WebSocket codec that hold for every input: what the writer produces parses
 * back identically however it is split into chunks; any bytes at all either parse or fail with
 * {@link WebSocketProtocolError}, within the size limit; and the incremental UTF-8 validator agrees
 * with the JDK's strict decoder. aio4j-only.
 */
class WebSocketCodecProperties {
    private static final Duration PER_TRY = Duration.ofSeconds(10);

    /** A frame to write: fin, RSV1, opcode, payload. */
    record Spec(boolean fin, boolean rsv1, Opcode opcode, byte[] payload) {
        @Override
        public String toString() {
            return FrameRecorder.line(fin, rsv1, opcode, payload);
        }
    }

    @Provide
    Arbitrary<Spec> frames() {
        Arbitrary<Opcode> opcodes = Arbitraries.of(Opcode.values());
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 125)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(126, 70_000)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 125, 126, 65535, 65536)));
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), opcodes, lengths,
                Arbitraries.integers()).as((fin, rsv1, op, len, seed) -> {
            int n = op.isControl() ? Math.min(len, 125) : len;
            byte[] p = new byte[n];
            new java.util.Random(seed).nextBytes(p);
            boolean dataFirst = op == Opcode.TEXT || op == Opcode.BINARY;
            return new Spec(op.isControl() || fin, rsv1 && dataFirst, op, p);
        });
    }

    private static List<byte[]> split(byte[] wire, List<Integer> cuts) {
        TreeSet<Integer> at = new TreeSet<>();
        for (int c : cuts) {
            at.add(c % (wire.length + 1));
        }
        List<byte[]> pieces = new ArrayList<>();
        int prev = 0;
        for (int c : at) {
            pieces.add(Arrays.copyOfRange(wire, prev, c));
            prev = c;
        }
        pieces.add(Arrays.copyOfRange(wire, prev, wire.length));
        return pieces;
    }

    @Property(tries = 300, seed = "20261203")
    void writtenFramesParseBackWhateverTheSplit(@ForAll @Size(min = 1, max = 8) List<@net.jqwik.api.From("frames") Spec> specs,
                                                @ForAll boolean clientSends,
                                                @ForAll @Size(max = 16) List<@IntRange(min = 0, max = 1_000_000) Integer> cuts) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            Role sender = clientSends ? Role.CLIENT : Role.SERVER;
            FrameWriter writer = new FrameWriter(sender, null, new java.util.Random(cuts.size())::nextInt);
            List<byte[]> wires = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (Spec s : specs) {
                wires.add(writer.frame(s.fin(), s.rsv1() ? 4 : 0, s.opcode().code(), s.payload(), 0, s.payload().length));
                expected.add(s.toString());
            }
            byte[] wire = RecordingEndpoint.concat(wires.toArray(byte[][]::new));
            FrameRecorder rec = new FrameRecorder();
            FrameParser parser = new FrameParser(clientSends ? Role.SERVER : Role.CLIENT, true, rec);
            int consumed = 0;
            for (byte[] piece : split(wire, cuts)) {
                consumed += parser.feed(piece, 0, piece.length);
            }
            // The parser stops after a close frame; compare up to and including the first close.
            int firstClose = expected.size();
            for (int i = 0; i < specs.size(); i++) {
                if (specs.get(i).opcode() == Opcode.CLOSE) {
                    firstClose = i + 1;
                    break;
                }
            }
            assertEquals(expected.subList(0, firstClose), rec.frames);
            if (firstClose == expected.size()) {
                assertEquals(wire.length, consumed);
            }
        });
    }

    /** Random bytes, or a valid frame sequence with a few bytes overwritten: the second reaches deeper states. */
    @Provide
    Arbitrary<byte[]> hostileInput() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> mutated = Combinators.combine(frames().list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().list().ofMaxSize(4)).as((specs, flips) -> {
            FrameWriter w = new FrameWriter(Role.CLIENT, null, () -> 0x5a5a5a5a);
            List<byte[]> parts = new ArrayList<>();
            for (Spec s : specs) {
                byte[] p = Arrays.copyOf(s.payload(), Math.min(s.payload().length, 2000));
                parts.add(w.frame(s.fin(), s.rsv1() ? 4 : 0, s.opcode().code(), p, 0, p.length));
            }
            byte[] wire = RecordingEndpoint.concat(parts.toArray(byte[][]::new));
            for (int f : flips) {
                if (wire.length > 0) {
                    wire[Math.floorMod(f, wire.length)] ^= (byte) (f >>> 16 | 1);
                }
            }
            return wire;
        });
        return Arbitraries.oneOf(random, mutated);
    }

    @Property(tries = 1000, seed = "20261204")
    void anyBytesParseOrFailWithTheProtocolError(@ForAll("hostileInput") byte[] input, @ForAll boolean deflate,
                                                 @ForAll @IntRange(min = 1, max = 64) int chop) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            int maxSize = 4096;
            RecordingEndpoint ep = new RecordingEndpoint(Role.SERVER, maxSize, deflate ? new PerMessageDeflate(false, false, -1) : null);
            try {
                ep.feedChopped(chop, input);
            } catch (WebSocketProtocolError e) {
                assertEquals(true, List.of(1002, 1007, 1009).contains(e.closeCode()), e.getMessage());
            }
            for (byte[] p : ep.payloads) {
                assertEquals(true, p.length <= maxSize, "a message within the limit");
            }
        });
    }

    @Provide
    Arbitrary<byte[]> utf8ish() {
        // Mostly valid text with some damage, plus pure random bytes: both sides of the boundary.
        Arbitrary<byte[]> text = Arbitraries.strings().all().ofMaxLength(40).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> damaged = Combinators.combine(text, Arbitraries.integers(), Arbitraries.bytes()).as((b, at, v) -> {
            if (b.length > 0) {
                b[Math.floorMod(at, b.length)] = v;
            }
            return b;
        });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(24);
        Arbitrary<byte[]> edges = Arbitraries.bytes().greaterOrEqual((byte) 0x80).lessOrEqual((byte) 0xff)
                .array(byte[].class).ofMaxSize(6);
        Arbitrary<byte[]> ascii = Arbitraries.strings().ascii().ofMaxLength(40).map(s -> s.getBytes(StandardCharsets.US_ASCII));
        return Arbitraries.oneOf(text, damaged, random, edges, ascii);
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Property(tries = 3000, seed = "20261205")
    void utf8ValidatorAgreesWithTheJdkWhateverThePieces(@ForAll("utf8ish") byte[] bytes,
                                                       @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 100) Integer> cuts) {
        Utf8Validator v = new Utf8Validator();
        for (byte[] piece : split(bytes, cuts)) {
            v.feed(piece, 0, piece.length);
        }
        assertEquals(jdkAccepts(bytes), v.complete(), () -> java.util.HexFormat.of().formatHex(bytes));
        assertEquals(jdkAccepts(bytes), Utf8Validator.isValid(bytes, 0, bytes.length));
        // stop 34: ascii() (the assembler then copies the bytes as chars without decoding) only for ASCII
        boolean allAscii = true;
        for (byte b : bytes) {
            allAscii &= b >= 0;
        }
        assertEquals(allAscii, v.ascii(), () -> java.util.HexFormat.of().formatHex(bytes));
        v.reset();
        assertTrue(v.ascii() && v.complete(), "reset() starts a new text");
    }

    /** A message to send: text or binary, its payload, and where to cut it into fragments. */
    record Msg(boolean text, byte[] payload, List<Integer> fragmentCuts, boolean pingBefore) {
        @Override
        public String toString() {
            return (text ? "text " : "binary ") + payload.length + " bytes, cuts " + fragmentCuts + (pingBefore ? ", ping" : "");
        }
    }

    @Provide
    Arbitrary<Msg> messages() {
        Arbitrary<byte[]> texts = Arbitraries.strings().all().ofMaxLength(300).map(t -> {
            // all() may produce lone surrogates; keep only what UTF-8 can carry
            return t.codePoints().filter(c -> c < 0xD800 || c > 0xDFFF)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString().getBytes(StandardCharsets.UTF_8);
        });
        Arbitrary<byte[]> binaries = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        return Combinators.combine(Arbitraries.of(true, false), texts, binaries,
                Arbitraries.integers().between(0, 4000).list().ofMaxSize(4), Arbitraries.of(true, false))
                .as((text, t, b, cuts, ping) -> new Msg(text, text ? t : b, cuts, ping));
    }

    @Property(tries = 300, seed = "20261206")
    void fragmentedMessagesAssembleBackWhateverTheSplit(@ForAll @Size(min = 1, max = 6) List<@net.jqwik.api.From("messages") Msg> msgs,
                                                        @ForAll boolean deflate,
                                                        @ForAll @Size(max = 16) List<@IntRange(min = 0, max = 1_000_000) Integer> cuts) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            PerMessageDeflate compressor = deflate ? new PerMessageDeflate(false, false, -1) : null;
            RecordingEndpoint server = new RecordingEndpoint(Role.SERVER, 4096,
                    deflate ? new PerMessageDeflate(false, false, -1) : null);
            List<byte[]> wires = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (Msg m : msgs) {
                if (m.pingBefore()) {
                    expected.add("ping 01");
                }
                byte[] body = deflate ? compressor.compress(m.payload(), 0, m.payload().length) : m.payload();
                List<byte[]> fragments = split(body, m.fragmentCuts());
                if (m.pingBefore() && fragments.size() == 1) {
                    wires.add(server.peer(true, 9, new byte[] {1})); // nothing to put it between
                }
                for (int i = 0; i < fragments.size(); i++) {
                    byte[] f = fragments.get(i);
                    boolean first = i == 0;
                    int opcode = first ? (m.text() ? 1 : 2) : 0;
                    wires.add(server.peer(i == fragments.size() - 1, first && deflate ? 4 : 0, opcode, f));
                    if (first && m.pingBefore() && fragments.size() > 1) {
                        wires.add(server.peer(true, 9, new byte[] {1})); // a ping between the fragments
                    }
                }
                expected.add(m.text() ? "text " + RecordingEndpoint.summary(new String(m.payload(), StandardCharsets.UTF_8))
                        : "binary " + m.payload().length + " bytes"
                        + (m.payload().length <= 16 ? " " + java.util.HexFormat.of().formatHex(m.payload()) : ""));
            }
            byte[] wire = RecordingEndpoint.concat(wires.toArray(byte[][]::new));
            for (byte[] piece : split(wire, cuts)) {
                server.feed(piece);
            }
            assertEquals(expected, server.events);
        });
    }

    /**
     * FrameWriter.text() builds an ASCII text frame in one array (the characters copied after the
     * header, masked in place): it must equal the general path, the UTF-8 bytes framed by
     * frame(), for both roles, any text and lengths across the 125/126 and 65535/65536 boundaries.
     */
    @Property(tries = 500, seed = "20261205")
    void textFrameIsTheUtf8FramedWhateverTheText(@ForAll("texts") String text, @ForAll boolean client, @ForAll int key) {
        FrameWriter writer = new FrameWriter(client ? Role.CLIENT : Role.SERVER, null, () -> key);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(hex(FrameWriter.frame(true, 0, Opcode.TEXT.code(), utf8, 0, utf8.length, client, key)),
                hex(writer.text(text)));
    }

    /**
     * Stop 30: a frame built into a reused array (textInto, binaryInto: what a WebSocket lends its
     * transport) is the frame text() and binary() return, byte for byte, whatever the array held
     * before; textIntoLength refuses exactly the texts that are not ASCII.
     */
    @Property(tries = 300, seed = "20261205")
    void aFrameBuiltIntoAReusedArrayIsTheFrameReturned(@ForAll("texts") String text, @ForAll boolean client, @ForAll int key) {
        FrameWriter writer = new FrameWriter(client ? Role.CLIENT : Role.SERVER, null, () -> key);
        byte[] expected = writer.text(text);
        int n = writer.textIntoLength(text);
        if (!text.chars().allMatch(c -> c < 0x80)) {
            assertEquals(-1, n, "only ASCII text is built in place");
        } else {
            assertEquals(expected.length, n);
            byte[] reused = new byte[n + 7];
            Arrays.fill(reused, (byte) 0x5a);
            writer.textInto(text, reused);
            assertEquals(hex(expected), hex(Arrays.copyOf(reused, n)));
        }
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] binary = writer.binary(data);
        assertEquals(binary.length, writer.binaryIntoLength(data));
        byte[] reused = new byte[binary.length + 3];
        Arrays.fill(reused, (byte) 0xa5);
        writer.binaryInto(data, reused);
        assertEquals(hex(binary), hex(Arrays.copyOf(reused, binary.length)));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> lengths = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 130)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(125, 126, 65535, 65536, 70_000)));
        Arbitrary<String> ascii = lengths.flatMap(n -> Arbitraries.strings().ascii().ofLength(n));
        Arbitrary<String> any = Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(200);
        return Arbitraries.oneOf(ascii, ascii, any);
    }

    private static String hex(byte[] b) {
        return b.length <= 64 ? java.util.HexFormat.of().formatHex(b)
                : b.length + " bytes, hash " + Arrays.hashCode(b) + ", head " + java.util.HexFormat.of().formatHex(b, 0, 16);
    }
}

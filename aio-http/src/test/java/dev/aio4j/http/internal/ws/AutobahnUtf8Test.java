package dev.aio4j.http.internal.ws;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.aio4j.http.internal.ws.RecordingEndpoint.hex;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.server;
import static dev.aio4j.http.internal.ws.RecordingEndpoint.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors the Autobahn testsuite's case group 6 (UTF-8 handling): valid text in any fragmentation
 * is delivered, invalid text fails the connection with 1007, and in 6.4 it fails as soon as the bad
 * byte arrives, before the message (or even the frame) is complete. The sequences of 6.5-6.23 are
 * Markus Kuhn's UTF-8 decoder stress test, which Autobahn uses; each is checked both whole and
 * octet by octet. Written from the case descriptions.
 */
class AutobahnUtf8Test {
    private static final int TEXT = 1;
    /** "κόσμε" followed by "edited" in 6.3 and 6.4, as Autobahn builds it. */
    private static final String KOSME = "cebae1bdb9cf83cebcceb5";

    private static void valid(String hexBytes) {
        byte[] bytes = hex(hexBytes);
        assertTrue(Utf8Validator.isValid(bytes, 0, bytes.length), hexBytes);
        RecordingEndpoint whole = server();
        whole.feed(whole.peer(true, TEXT, bytes));
        assertEquals(List.of("text " + RecordingEndpoint.summary(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))),
                whole.events, hexBytes);
        // one frame per octet
        RecordingEndpoint frag = server();
        for (int i = 0; i < bytes.length; i++) {
            frag.feed(frag.peer(i == bytes.length - 1, i == 0 ? TEXT : 0, new byte[] {bytes[i]}));
        }
        if (bytes.length == 0) {
            frag.feed(frag.peer(true, TEXT, bytes));
        }
        assertEquals(whole.events, frag.events, hexBytes);
    }

    private static void invalid(String hexBytes) {
        byte[] bytes = hex(hexBytes);
        assertFalse(Utf8Validator.isValid(bytes, 0, bytes.length), hexBytes);
        RecordingEndpoint whole = server();
        whole.fails(1007, whole.peer(true, TEXT, bytes));
        RecordingEndpoint frag = server();
        byte[][] frames = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            frames[i] = frag.peer(i == bytes.length - 1, i == 0 ? TEXT : 0, new byte[] {bytes[i]});
        }
        frag.fails(1007, frames);
        assertEquals(List.of(), frag.events);
    }

    // 6.1: empty text, fragmented or not.

    @Test
    void case6_1_1_emptyText() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("text "), ep.feed(ep.peer(true, TEXT, "")).events);
    }

    @Test
    void case6_1_2_emptyTextInThreeEmptyFragments() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("text "), ep.feed(ep.peer(false, TEXT, ""), ep.peer(false, 0, ""), ep.peer(true, 0, "")).events);
    }

    @Test
    void case6_1_3_emptyFirstAndLastFragment() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("text middle frame payload"),
                ep.feed(ep.peer(false, TEXT, ""), ep.peer(false, 0, "middle frame payload"), ep.peer(true, 0, "")).events);
    }

    // 6.2: valid UTF-8, fragmented on code points and inside them.

    private static final String HELLO = "Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!";

    @Test
    void case6_2_1_validUtf8OneFrame() {
        RecordingEndpoint ep = server();
        assertEquals(List.of("text " + HELLO), ep.feed(ep.peer(true, TEXT, HELLO)).events);
    }

    @Test
    void case6_2_2_validUtf8FragmentedOnCodePoints() {
        RecordingEndpoint ep = server();
        ep.feed(ep.peer(false, TEXT, "Hello-\u00b5@\u00df\u00f6"), ep.peer(true, 0, "\u00e4\u00fc\u00e0\u00e1-UTF-8!!"));
        assertEquals(List.of("text " + HELLO), ep.events);
    }

    @Test
    void case6_2_3_validUtf8FragmentedOctetWise() {
        valid(java.util.HexFormat.of().formatHex(utf8(HELLO)));
    }

    @Test
    void case6_2_4_multiByteCodePointsFragmentedOctetWise() {
        valid(KOSME + KOSME + KOSME);
    }

    // 6.3: invalid UTF-8 (a surrogate, ED A0 80), whole and octet-wise.

    @Test void case6_3_1_invalidUtf8OneFrame() { invalid(KOSME + "eda080" + "656469746564"); }

    @Test
    void case6_3_2_invalidUtf8OctetWise() {
        RecordingEndpoint ep = server();
        byte[] bytes = hex(KOSME + "eda080" + "656469746564");
        for (int i = 0; i < 11 + 1; i++) { // up to and including ED: still valid so far
            ep.feed(ep.peer(false, i == 0 ? TEXT : 0, new byte[] {bytes[i]}));
        }
        WebSocketProtocolError e = ep.fails(1007, ep.peer(false, 0, new byte[] {bytes[12]}));
        assertEquals("TEXT message is not valid UTF-8 (found after 12 bytes, before the message ended) (close code 1007)",
                e.getMessage());
    }

    // 6.4: fail fast. The message must fail when the invalid part arrives, not when it ends.

    @Test
    void case6_4_1_invalidUtf8Fast() {
        RecordingEndpoint ep = server();
        ep.feed(ep.peer(false, TEXT, hex(KOSME)));
        ep.fails(1007, ep.peer(false, 0, hex("f4908080"))); // U+110000: beyond Unicode; the final fragment never sent
    }

    @Test
    void case6_4_2_invalidUtf8FastInsideCodePoint() {
        RecordingEndpoint ep = server();
        ep.feed(ep.peer(false, TEXT, hex(KOSME + "f4")));
        ep.fails(1007, ep.peer(false, 0, hex("90")));
    }

    @Test
    void case6_4_3_invalidUtf8FastInsideOneFrame() {
        RecordingEndpoint ep = server();
        byte[] frame = ep.peer(true, TEXT, hex(KOSME + "f4908080" + "656469746564"));
        int header = 6;
        ep.parser.feed(frame, 0, header + 11);
        ep.failsChopped(1007, 4, java.util.Arrays.copyOfRange(frame, header + 11, header + 15));
    }

    @Test
    void case6_4_4_invalidUtf8FastInsideOneFrameInsideCodePoint() {
        RecordingEndpoint ep = server();
        byte[] frame = ep.peer(true, TEXT, hex(KOSME + "f4908080" + "656469746564"));
        int header = 6;
        ep.parser.feed(frame, 0, header + 12);
        ep.fails(1007, java.util.Arrays.copyOfRange(frame, header + 12, header + 13));
    }

    // 6.5-6.11: valid sequences and boundaries.

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cebae1bdb9cf83cebcceb5", "00", "c280", "e0a080", "f0908080", "7f", "dfbf", "efbfbf", "f48fbfbf",
            "ed9fbf", "ee8080", "efbfbd"})
    void case6_5_to_6_11_validSequences(String seq) {
        valid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cebae1", "cebae1bd", "cebae1bdb9cf", "cebae1bdb9cf83ce", "cebae1bdb9cf83cebcce"})
    void case6_6_kosmeCutInsideACodePoint(String prefix) {
        invalid(prefix);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"f888808080", "fc8480808080", "f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf", "f4908080"})
    void case6_8_and_6_10_and_6_11_beyondTheLastCodePoint(String seq) {
        invalid(seq);
    }

    // 6.12-6.21: malformed sequences.

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf"})
    void case6_12_unexpectedContinuationBytes(String seq) {
        invalid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c020", "e020", "f020", "f820", "fc20"})
    void case6_13_lonelyStartCharacters(String seq) {
        invalid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf"})
    void case6_14_lastByteMissing(String seq) {
        invalid(seq);
    }

    @Test void case6_15_concatenatedIncompleteSequences() { invalid("c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf"); }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fe", "ff", "fefeffff"})
    void case6_16_impossibleBytes(String seq) {
        invalid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"c0af", "e080af", "f08080af", "f8808080af", "fc80808080af", "c1bf", "e09fbf", "f08fbfbf",
            "c080", "e08080", "f0808080"})
    void case6_17_to_6_19_overlongEncodings(String seq) {
        invalid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf"})
    void case6_20_singleSurrogates(String seq) {
        invalid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"eda080edb080", "eda080edbfbf", "edafbfedb080", "edafbfedbfbf"})
    void case6_21_pairedSurrogates(String seq) {
        invalid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"efbfbe", "efbfbf", "f09fbfbe", "f09fbfbf", "f48fbfbe", "f48fbfbf", "efb790", "efb7af"})
    void case6_22_noncharactersAreValid(String seq) {
        valid(seq);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf", "f0908080"})
    void case6_23_specialsAreValid(String seq) {
        valid(seq);
    }

    @Test
    void validatorStateAndToString() { // aio4j-only
        Utf8Validator v = new Utf8Validator();
        assertEquals("Utf8Validator[complete]", v.toString());
        assertTrue(v.feed(hex("e2"), 0, 1));
        assertFalse(v.complete());
        assertEquals("Utf8Validator[inside a sequence]", v.toString());
        assertFalse(v.feed(hex("41"), 0, 1));
        assertFalse(v.valid());
        assertFalse(v.feed(hex("41"), 0, 1), "invalid stays invalid");
        assertEquals("Utf8Validator[invalid]", v.toString());
        v.reset();
        assertTrue(v.complete());
    }

    // aio4j-only (review of stop 34): the assembler copies a text whose bytes were all ASCII into
    // its String without decoding (Utf8Validator.ascii()). A message whose fragments are ASCII in
    // one and not in another, a character cut between fragments, a non-ASCII byte inside or after
    // an eight-byte ASCII run, and messages one after another (the flag starts over per message)
    // must come out as the UTF-8 decoder gives them; invalid bytes after an ASCII prefix are 1007.

    @Test
    void asciiAndNonAsciiFragmentsOfOneMessage() {
        String[][] cases = {{"abc", "κόσμε"}, {"κόσμε", "abc"}, {"abcdefghijklmnop", "é"}, {"é", "abcdefghijklmnop"},
                {"abc", "\u0080\u00ff"}, {"", "\u00ff"}, {"x", ""}};
        for (String[] c : cases) {
            RecordingEndpoint ep = server();
            ep.feed(ep.peer(false, TEXT, c[0]), ep.peer(true, 0, c[1]));
            assertEquals(List.of("text " + c[0] + c[1]), ep.events, String.join("|", c));
            org.junit.jupiter.api.Assertions.assertArrayEquals(utf8(c[0] + c[1]), ep.payloads.get(0));
        }
    }

    @Test
    void characterCutBetweenAnAsciiFragmentAndTheNext() {
        byte[] e = utf8("é"); // c3 a9
        RecordingEndpoint ep = server();
        ep.feed(ep.peer(false, TEXT, RecordingEndpoint.concat(utf8("abcdefgh"), new byte[] {e[0]})),
                ep.peer(true, 9, new byte[] {1}), // a ping between the fragments
                ep.peer(true, 0, RecordingEndpoint.concat(new byte[] {e[1]}, utf8("xyz"))));
        assertEquals(List.of("ping 01", "text abcdefghéxyz"), ep.events);
    }

    @Test
    void nonAsciiAtEveryPositionAroundTheEightByteRuns() {
        for (int at = 0; at <= 24; at++) {
            String ascii = "0123456789abcdefghijklmn";
            for (String high : new String[] {"\u0080", "é", "€", "\ud83d\ude00"}) {
                String text = ascii.substring(0, at) + high + ascii.substring(at);
                RecordingEndpoint ep = server();
                ep.feed(ep.peer(true, TEXT, text));
                assertEquals(List.of("text " + text), ep.events, "at " + at);
            }
        }
    }

    @Test
    void messagesOneAfterAnotherAsciiOrNot() {
        String[] texts = {"plain", "κόσμε", "plain again", "", "é", "end"};
        RecordingEndpoint ep = server();
        for (String t : texts) {
            ep.feed(ep.peer(true, TEXT, t));
        }
        ep.feed(ep.peer(false, TEXT, "frag "), ep.peer(true, 0, "κόσμε"), ep.peer(false, TEXT, "ascii "), ep.peer(true, 0, "only"));
        List<String> expected = new java.util.ArrayList<>();
        for (String t : texts) {
            expected.add("text " + t);
        }
        expected.add("text frag κόσμε");
        expected.add("text ascii only");
        assertEquals(expected, ep.events);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ff", "80", "c0af", "c3", "eda080", "f4908080", "41c3"})
    void invalidAfterAnAsciiPrefixIs1007(String bad) {
        byte[] prefix = utf8("0123456789abcdefghij");
        byte[] tail = hex(bad);
        RecordingEndpoint whole = server();
        whole.fails(1007, whole.peer(true, TEXT, RecordingEndpoint.concat(prefix, tail)));
        RecordingEndpoint fragments = server();
        fragments.fails(1007, fragments.peer(false, TEXT, prefix), fragments.peer(true, 0, tail));
        assertEquals(List.of(), fragments.events);
        RecordingEndpoint afterAscii = server(); // an ASCII message first: the next message is checked afresh
        afterAscii.feed(afterAscii.peer(true, TEXT, prefix));
        afterAscii.fails(1007, afterAscii.peer(true, TEXT, tail));
        assertEquals(List.of("text 0123456789abcdefghij"), afterAscii.events);
    }

    @Test
    void compressedTextAsciiOrNotAndInvalidAfterDecompression() {
        try (PerMessageDeflate sender = new PerMessageDeflate(false, false, -1)) {
            RecordingEndpoint ep = new RecordingEndpoint(Role.SERVER, MessageAssembler.DEFAULT_MAX_MESSAGE_SIZE,
                    new PerMessageDeflate(false, false, -1));
            String[] texts = {"ascii only", "κόσμε", "ascii again", "\u00ff"};
            List<String> expected = new java.util.ArrayList<>();
            for (String t : texts) {
                byte[] z = sender.compress(utf8(t), 0, utf8(t).length);
                ep.feed(ep.peer(true, 4, TEXT, z));
                ep.feed(ep.peer(true, TEXT, t)); // and uncompressed, interleaved
                expected.add("text " + t);
                expected.add("text " + t);
            }
            assertEquals(expected, ep.events);
            byte[] bad = RecordingEndpoint.concat(utf8("0123456789abcdef"), hex("c3"));
            byte[] z = sender.compress(bad, 0, bad.length);
            ep.fails(1007, ep.peer(true, 4, TEXT, z));
        }
    }
}

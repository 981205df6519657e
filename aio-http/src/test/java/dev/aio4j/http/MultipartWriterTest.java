package dev.aio4j.http;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.streams.StreamReader;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MultipartWriter}. Mirrors the writer half of aiohttp's {@code tests/test_multipart.py}
 * ({@code class TestMultipartWriter} and the free {@code test_writer*} tests, names in camelCase;
 * aio4j-only cases say so), plus a round trip through {@link MultipartReader}, as a jqwik property
 * too. aiohttp's {@code writer} fixture is {@code MultipartWriter(boundary=":")}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MultipartWriterTest {
    private static final JsonCodec JSON = new CannedJsonCodec(Map.of(
            Map.of("test", "passed"), "{\"test\": \"passed\"}",
            Map.of("foo", "bar"), "{\"foo\": \"bar\"}",
            Map.of("baz", true), "{\"baz\": true}",
            List.of(), "[]"));

    private static MultipartWriter writer() {
        return new MultipartWriter("mixed", ":");
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] written(MultipartWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : w.chunks()) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------- free test_writer* tests

    @Test
    void testWriter() { // test_writer
        MultipartWriter w = writer();
        assertEquals(OptionalLong.of(7), w.size());
        assertEquals(":", w.boundary());
    }

    @Test
    void testWriterSerializeIoChunk(@TempDir Path dir) throws IOException { // test_writer_serialize_io_chunk
        Path f = dir.resolve("f.bin");
        Files.write(f, bytes("foobarbaz"));
        MultipartWriter w = writer();
        w.append(f);
        // aio4j: a file part has no Content-Length (it is read when sent); aiohttp writes "Content-Length: 9"
        assertEquals("--:\r\nContent-Type: application/octet-stream\r\n\r\nfoobarbaz\r\n--:--\r\n", text(written(w)));
        assertEquals(OptionalLong.empty(), w.size());
        assertFalse(w.inMemory());
        assertThrows(IllegalStateException.class, w::toBytes);
    }

    @Test
    void testWriterSerializeJson() { // test_writer_serialize_json (the codec's text is sent as it is, UTF-8)
        MultipartWriter w = writer();
        JsonCodec unicode = new CannedJsonCodec(Map.of(Map.of("привет", "мир"), "{\"привет\": \"мир\"}"));
        w.appendJson(Map.of("привет", "мир"), unicode);
        assertTrue(text(w.toBytes()).contains("{\"привет\": \"мир\"}"));
    }

    @Test
    void testWriterSerializeForm() { // test_writer_serialize_form
        MultipartWriter w = writer();
        w.appendForm(List.of(Map.entry("foo", "bar"), Map.entry("foo", "baz"), Map.entry("boo", "zoo")), null);
        assertTrue(text(w.toBytes()).contains("foo=bar&foo=baz&boo=zoo"));
    }

    @Test
    void testWriterSerializeFormDict() { // test_writer_serialize_form_dict
        MultipartWriter w = writer();
        w.appendForm(Map.of("hello", "мир"));
        assertTrue(text(w.toBytes()).contains("hello=%D0%BC%D0%B8%D1%80"));
    }

    @Test
    void testWriterWrite() { // test_writer_write
        MultipartWriter w = writer();
        w.append("foo-bar-baz");
        w.appendJson(Map.of("test", "passed"), JSON);
        w.appendForm(Map.of("test", "passed"));
        w.appendForm(List.of(Map.entry("one", "1"), Map.entry("two", "2")), null);
        // aiohttp nests boundary "::" in ":", which RFC 2046 section 5.1.2 forbids (aio4j refuses
        // it: see nestedBoundaryBeginningWithTheOuterOneIsRefused); "=:" is as long and quoted too.
        MultipartWriter sub = new MultipartWriter("mixed", "=:");
        sub.append("nested content");
        sub.headers().set("X-CUSTOM", "test");
        w.append(sub);
        String expected = "--:\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 11\r\n\r\n"
                + "foo-bar-baz"
                + "\r\n"
                + "--:\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: 18\r\n\r\n"
                + "{\"test\": \"passed\"}"
                + "\r\n"
                + "--:\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 11\r\n\r\n"
                + "test=passed"
                + "\r\n"
                + "--:\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 11\r\n\r\n"
                + "one=1&two=2"
                + "\r\n"
                + "--:\r\n"
                + "Content-Type: multipart/mixed; boundary=\"=:\"\r\n"
                + "X-CUSTOM: test\r\nContent-Length: 93\r\n\r\n"
                + "--=:\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 14\r\n\r\n"
                + "nested content\r\n"
                + "--=:--\r\n"
                + "\r\n"
                + "--:--\r\n";
        assertEquals(expected, text(w.toBytes()));
        assertEquals(OptionalLong.of(expected.length()), w.size());
        assertEquals(written(w).length, w.toBytes().length);
    }

    @Test
    void testWriterWriteNoParts() { // test_writer_write_no_parts
        assertEquals("--:--\r\n", text(writer().toBytes()));
    }

    @Test
    void testWriterSerializeWithContentEncodingIdentity() { // test_writer_serialize_with_content_encoding_identity
        byte[] thing = {0x0b, (byte) 0xc9, (byte) 0xcc, 'M', 'U', '(', (byte) 0xc9, 'W', 0x08, 'J', (byte) 0xcd, 'I',
            (byte) 0xac, 'P', 0x04, 0x00};
        MultipartWriter w = writer();
        w.append(thing, Headers.of("Content-Encoding", "identity"));
        byte[] all = w.toBytes();
        String head = "--:\r\nContent-Type: application/octet-stream\r\nContent-Encoding: identity\r\nContent-Length: 16\r\n\r\n";
        assertEquals(head, new String(all, 0, head.length(), StandardCharsets.ISO_8859_1));
        assertArrayEquals(thing, java.util.Arrays.copyOfRange(all, head.length(), head.length() + 16));
    }

    /** The content of the only part of a body written with boundary ":", and its head. */
    private static String[] headAndContent(MultipartWriter w) {
        String all = new String(w.toBytes(), StandardCharsets.ISO_8859_1);
        int blank = all.indexOf("\r\n\r\n");
        assertTrue(all.endsWith("\r\n--:--\r\n"), all);
        return new String[] {all.substring(0, blank), all.substring(blank + 4, all.length() - "\r\n--:--\r\n".length())};
    }

    @Test
    void testWriterSerializeWithContentEncodingGzip() throws IOException { // test_writer_serialize_with_content_encoding_gzip
        MultipartWriter w = writer();
        w.append("Time to Relax!", Headers.of("Content-Encoding", "gzip"));
        String[] hc = headAndContent(w);
        assertEquals("--:\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Encoding: gzip", hc[0]);
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(hc[1].getBytes(StandardCharsets.ISO_8859_1)))) {
            assertEquals("Time to Relax!", text(in.readAllBytes()));
        }
    }

    @Test
    void testWriterSerializeWithContentEncodingDeflate() { // test_writer_serialize_with_content_encoding_deflate
        MultipartWriter w = writer();
        w.append("Time to Relax!", Headers.of("Content-Encoding", "deflate"));
        String[] hc = headAndContent(w);
        assertEquals("--:\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Encoding: deflate", hc[0]);
        byte[] expected = {0x0b, (byte) 0xc9, (byte) 0xcc, 'M', 'U', '(', (byte) 0xc9, 'W', 0x08, 'J', (byte) 0xcd, 'I',
            (byte) 0xac, 'P', 0x04, 0x00}; // raw deflate, no zlib header, as aiohttp's
        assertArrayEquals(expected, hc[1].getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void testWriterSerializeWithContentEncodingUnknown() { // test_writer_serialize_with_content_encoding_unknown
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer().append("Time to Relax!", Headers.of("Content-Encoding", "snappy")));
        assertEquals("unknown Content-Encoding of a multipart part: \"snappy\"; MultipartWriter compresses with gzip or "
                + "deflate, or sends identity as it is", e.getMessage());
    }

    @Test
    void testWriterWithContentTransferEncodingBase64() { // test_writer_with_content_transfer_encoding_base64
        MultipartWriter w = writer();
        w.append("Time to Relax!", Headers.of("Content-Transfer-Encoding", "base64"));
        String[] hc = headAndContent(w);
        assertEquals("--:\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64", hc[0]);
        assertEquals("VGltZSB0byBSZWxheCE=", hc[1]);
    }

    @Test
    void testWriterContentTransferEncodingQuotePrintable() throws Exception { // test_writer_content_transfer_encoding_quote_printable
        MultipartWriter w = writer();
        w.append("Привет, мир!", Headers.of("Content-Transfer-Encoding", "quoted-printable"));
        String[] hc = headAndContent(w);
        assertEquals("--:\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable", hc[0]);
        assertEquals("=D0=9F=D1=80=D0=B8=D0=B2=D0=B5=D1=82, =D0=BC=D0=B8=D1=80!", hc[1]);
        // and back through the reader's decoding
        assertEquals("Привет, мир!", Loops.runVirtual(() ->
                new MultipartReader(w.contentType(), MultipartTest.stream(w.toBytes(), 3)).next().text(100)));
    }

    @Test
    void quotedPrintableRoundTripsWithCompressionAndNeverWritesADelimiter() throws Exception { // aio4j-only
        // lines that begin with the boundary, long lines, trailing spaces, lone CR and LF, '='
        String text = "--:\r\n--:--\r\n" + "x".repeat(200) + " \r\ntab\t\r\n=\rlone\nend \t";
        MultipartWriter w = writer();
        w.append(text, Headers.of("Content-Transfer-Encoding", "quoted-printable"));
        w.append(text, Headers.of("Content-Transfer-Encoding", "quoted-printable", "Content-Encoding", "gzip"));
        w.append(text, Headers.of("Content-Transfer-Encoding", "Quoted-Printable"));
        String qp = headAndContentOfFirst(w);
        for (String line : qp.split("\r\n", -1)) {
            assertTrue(line.length() <= 76, line);
            assertFalse(line.startsWith("-"), line);
        }
        assertNull(w.parts().get(0).headers().get("Content-Length"), "an encoded part has none, as aiohttp");
        List<String> back = Loops.runVirtual(() -> {
            MultipartReader r = new MultipartReader(w.contentType(), MultipartTest.stream(w.toBytes(), 5));
            List<String> out = new ArrayList<>();
            for (MultipartReader.BodyPart p; (p = r.next()) != null; ) {
                out.add(p.text(10_000));
            }
            return out;
        });
        assertEquals(List.of(text, text, text), back);
    }

    /** The encoded content of the first part of {@code w}. */
    private static String headAndContentOfFirst(MultipartWriter w) {
        String all = new String(w.toBytes(), StandardCharsets.ISO_8859_1);
        int blank = all.indexOf("\r\n\r\n");
        return all.substring(blank + 4, all.indexOf("\r\n--:\r\n", blank));
    }

    @Test
    void testWriterContentTransferEncodingUnknown() { // test_writer_content_transfer_encoding_unknown
        assertThrows(IllegalArgumentException.class,
                () -> writer().append("Time to Relax!", Headers.of("Content-Transfer-Encoding", "unknown")));
    }

    @Test
    void gzipThenBase64AndBinary(@TempDir Path dir) throws IOException { // aio4j-only: both at once, and what is refused
        MultipartWriter w = writer();
        w.append("Time to Relax!", Headers.of("Content-Encoding", "deflate", "Content-Transfer-Encoding", "base64"));
        assertEquals("C8nMTVUoyVcISs1JrFAEAA==", headAndContent(w)[1]);
        MultipartWriter binary = writer();
        binary.append("x", Headers.of("Content-Transfer-Encoding", "binary"));
        assertEquals("x", headAndContent(binary)[1]);
        Path f = dir.resolve("f");
        Files.write(f, bytes("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer().append(f, Headers.of("Content-Encoding", "gzip")));
        assertTrue(e.getMessage().startsWith("MultipartWriter compresses or encodes (base64, quoted-printable) only parts held in memory, not a file"),
                e.getMessage());
    }

    // ---------------------------------------------------------- class TestMultipartWriter

    @Test
    void testDefaultSubtype() {
        assertTrue(writer().headers().get("Content-Type").startsWith("multipart/mixed;"));
        assertTrue(new MultipartWriter().contentType().startsWith("multipart/mixed; boundary="));
    }

    @Test
    void testUnquotedBoundary() {
        assertEquals(Headers.of("Content-Type", "multipart/mixed; boundary=abc123"),
                new MultipartWriter("mixed", "abc123").headers());
    }

    @Test
    void testQuotedBoundary() {
        assertEquals(Headers.of("Content-Type", "multipart/mixed; boundary=\"\\\\\\\"\""),
                new MultipartWriter("mixed", "\\\"").headers());
    }

    @Test
    void testBadBoundary() {
        for (String bad : List.of("тест", "test\n", "X".repeat(71), "", "trailing ", "a\tb")) { // the last three aio4j-only
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultipartWriter("mixed", bad));
            assertTrue(e.getMessage().startsWith("multipart boundary must be 1 to 70 printable ASCII characters"), e.getMessage());
        }
        assertEquals(70, new MultipartWriter("mixed", "X".repeat(70)).boundary().length());
        assertThrows(IllegalArgumentException.class, () -> new MultipartWriter("mixed/x")); // aio4j-only: subtype a token
    }

    @Test
    void testDefaultHeaders() {
        assertEquals(Headers.of("Content-Type", "multipart/mixed; boundary=\":\""), writer().headers());
    }

    @Test
    void testIterParts() {
        MultipartWriter w = writer();
        w.append("foo");
        w.append("bar");
        w.append("baz");
        int n = 0;
        for (MultipartWriter.Part p : w) {
            assertEquals("text/plain; charset=utf-8", p.headers().get("Content-Type"));
            n++;
        }
        assertEquals(3, n);
        assertEquals(3, w.parts().size());
    }

    @Test
    void testAppend() {
        MultipartWriter w = writer();
        assertEquals(0, w.length());
        MultipartWriter.Part p = w.append("hello, world!");
        assertEquals(1, w.length());
        assertSame(p, w.parts().get(0));
        assertEquals(OptionalLong.of(13), p.size());
    }

    @Test
    void testAppendWithHeaders() {
        MultipartWriter w = writer();
        w.append("hello, world!", Headers.of("x-foo", "bar"));
        assertEquals(1, w.length());
        assertEquals("bar", w.parts().get(0).headers().get("x-foo"));
    }

    @Test
    void testAppendJson() {
        MultipartWriter w = writer();
        w.appendJson(Map.of("foo", "bar"), JSON);
        assertEquals(1, w.length());
        assertEquals("application/json", w.parts().get(0).headers().get("Content-Type"));
    }

    @Test
    void testAppendJsonOverridesContentType() {
        MultipartWriter w = writer();
        w.appendJson(Map.of("foo", "bar"), JSON, Headers.of("Content-Type", "test/passed"));
        assertEquals("test/passed", w.parts().get(0).headers().get("Content-Type"));
    }

    @Test
    void appendJsonTheCodecCannotEncodeNamesTheValue() { // aio4j-only
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer().appendJson(Map.of("unknown", 1), JSON));
        assertTrue(e.getMessage().startsWith("MultipartWriter.appendJson: the JSON codec could not encode a "), e.getMessage());
        assertThrows(NullPointerException.class, () -> writer().appendJson(1, null));
    }

    @Test
    void testAppendForm() {
        MultipartWriter w = writer();
        w.appendForm(Map.of("foo", "bar"), Headers.of("Content-Type", "test/passed"));
        assertEquals("test/passed", w.parts().get(0).headers().get("Content-Type"));
    }

    @Test
    void testAppendMultipart() {
        MultipartWriter w = writer();
        MultipartWriter sub = new MultipartWriter("mixed", "sub");
        sub.appendJson(Map.of("foo", "bar"), JSON);
        w.append(sub, Headers.of("Content-Type", "test/passed"));
        assertEquals(1, w.length());
        assertEquals("test/passed", w.parts().get(0).headers().get("Content-Type"));
        assertSame(sub.headers(), w.parts().get(0).headers());
    }

    @Test
    void testSetContentDispositionAfterAppend() {
        MultipartWriter w = new MultipartWriter("form-data");
        MultipartWriter.Part part = w.append("some-data");
        part.setContentDisposition("form-data", "name", "method");
        assertTrue(part.headers().get("Content-Disposition").contains("name=\"method\""));
    }

    @Test
    void testAutomaticContentDisposition() throws Exception {
        MultipartWriter w = new MultipartWriter("form-data");
        w.appendJson(List.of(), JSON);
        w.append("foo").setContentDisposition("form-data", "name", "second");
        w.append("foo");
        List<String> disps = w.parts().stream().map(p -> p.headers().get("Content-Disposition")).toList();
        assertTrue(disps.get(0).contains("name=\"section-0\""));
        assertTrue(disps.get(1).contains("name=\"second\""));
        assertTrue(disps.get(2).contains("name=\"section-2\""));
        assertNull(w.parts().get(0).headers().get("Content-Length"), "form-data parts have no Content-Length");
        List<String> names = Loops.runVirtual(() -> { // aio4j: and they are what a reader reads
            MultipartReader r = new MultipartReader(w.contentType(), MultipartTest.stream(w.toBytes(), 3));
            List<String> out = new ArrayList<>();
            for (MultipartReader.BodyPart p; (p = r.next()) != null; ) {
                out.add(p.name());
            }
            return out;
        });
        assertEquals(List.of("section-0", "second", "section-2"), names);
    }

    @Test
    void testWith() { // aio4j: no context manager, nothing to close
        MultipartWriter w = writer();
        w.append("foo");
        w.append(bytes("bar"));
        w.appendJson(Map.of("baz", true), JSON);
        assertEquals(3, w.length());
    }

    @Test
    void testAppendNoneNotAllowed() { // test_append_int/float_not_allowed cannot compile in Java
        assertThrows(NullPointerException.class, () -> writer().append((String) null));
        assertThrows(NullPointerException.class, () -> writer().append((byte[]) null));
        assertThrows(NullPointerException.class, () -> writer().append((Path) null));
        NullPointerException e = assertThrows(NullPointerException.class, () -> writer().append((MultipartWriter) null));
        assertEquals("nested must not be null", e.getMessage());
    }

    @Test
    void testWritePreservesContentDisposition() {
        MultipartWriter w = writer();
        w.append(bytes("foo"), Headers.of("Content-Type", "test/passed")).setContentDisposition("form-data", "filename", "bug");
        assertEquals("--:\r\nContent-Type: test/passed\r\nContent-Length: 3\r\nContent-Disposition: form-data; filename=\"bug\""
                + "\r\n\r\nfoo\r\n--:--\r\n", text(w.toBytes()));
    }

    @Test
    void testPreserveContentDispositionHeader(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bug.py");
        Files.write(f, bytes("print(1)\n"));
        MultipartWriter w = new MultipartWriter("form-data", ":");
        MultipartWriter.Part part = w.append(f, Headers.of("Content-Disposition", "attachments; filename=\"bug.py\"",
                "Content-Type", "text/python"));
        String all = text(written(w));
        assertEquals("text/python", part.headers().get("Content-Type"));
        assertEquals("attachments; filename=\"bug.py\"", part.headers().get("Content-Disposition"));
        assertEquals("--:\r\nContent-Type: text/python\r\nContent-Disposition: attachments; filename=\"bug.py\"",
                all.substring(0, all.indexOf("\r\n\r\n")));
    }

    @Test
    void testResetContentDispositionHeader(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bug.py");
        Files.write(f, bytes("print(1)\n"));
        MultipartWriter w = new MultipartWriter("form-data", ":");
        MultipartWriter.Part part = w.append(f, Headers.of("Content-Type", "text/plain"));
        assertTrue(part.headers().contains("Content-Disposition"));
        part.setContentDisposition("attachments", "filename", "bug.py");
        String all = text(written(w));
        assertEquals("--:\r\nContent-Type: text/plain\r\nContent-Disposition: attachments; filename=\"bug.py\"",
                all.substring(0, all.indexOf("\r\n\r\n")));
    }

    @Test
    void testMultipartWriterReusability() { // test_multipart_writer_reusability: written twice, the same bytes
        MultipartWriter w = writer();
        w.append("text");
        w.append(bytes("bytes"));
        w.appendJson(Map.of("foo", "bar"), JSON);
        assertArrayEquals(w.toBytes(), w.toBytes());
    }

    @Test
    void testMultipartWriterReusabilityWithIoPayloads(@TempDir Path dir) throws Exception {
        // test_multipart_writer_reusability_with_io_payloads: a file part written twice, the same bytes;
        // aio4j: each write, read to its end, leaves no descriptor open on the file
        Path f = dir.resolve("io.bin");
        Files.write(f, bytes("bytes io content"));
        MultipartWriter w = writer();
        w.append(f, Headers.of("Content-Type", "application/octet-stream"));
        w.append("string io content", Headers.of("Content-Type", "text/plain"));
        byte[] first = written(w);
        if (TestServers.canCountFds()) {
            assertEquals(0, openDescriptorsOf(f), "the file part was closed at its end");
        }
        assertArrayEquals(first, written(w));
        List<byte[]> parts = roundTrip(w.contentType(), first);
        assertEquals("bytes io content", text(parts.get(0)));
        assertEquals("string io content", text(parts.get(1)));
        if (TestServers.canCountFds()) {
            MultipartWriter many = writer();
            for (int i = 0; i < 100; i++) {
                many.append(f);
            }
            written(many);
            assertEquals(0, openDescriptorsOf(f), "each of 100 file parts was closed at its end");
        }
    }

    @Test
    void aLargeInMemoryPartIsWrittenIn64KiBPieces() throws Exception { // aio4j-only: as a file part is
        byte[] content = new byte[200_000];
        new java.util.Random(7).nextBytes(content);
        MultipartWriter w = new MultipartWriter("mixed", "zz-large-zz");
        w.append(content);
        int largest = 0;
        for (byte[] piece : w.chunks()) {
            largest = Math.max(largest, piece.length);
        }
        assertEquals(64 * 1024, largest);
        byte[] body = w.toBytes();
        assertEquals(w.size().getAsLong(), body.length);
        assertArrayEquals(content, roundTrip(w.contentType(), body).get(0));
    }

    // ---------------------------------------------------------- aio4j-only

    @Test
    void aPartHoldingTheDelimiterIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer().append("a\r\n--:\r\nb"));
        assertTrue(e.getMessage().startsWith("part 0 of the multipart body holds the line \"--:\""), e.getMessage());
        IllegalArgumentException start = assertThrows(IllegalArgumentException.class, () -> writer().append("--: \r\nat the start"));
        assertTrue(start.getMessage().startsWith("part 0 of the multipart body holds the line \"--:\""), start.getMessage());
        IllegalArgumentException close = assertThrows(IllegalArgumentException.class, () -> writer().append("a\r\n--:--b"));
        assertTrue(close.getMessage().startsWith("part 0 of the multipart body holds the line \"--:--\""), close.getMessage());
        assertThrows(IllegalArgumentException.class, () -> writer().append("--:")); // exactly the line: the writer's CRLF follows
        assertThrows(IllegalArgumentException.class, () -> writer().append("\r\n--:")); // after a CRLF at index 0
        assertThrows(IllegalArgumentException.class, () -> writer().append("x\r\n--:\t ")); // padding, then the writer's CRLF
        MultipartWriter w = writer();
        w.append("-:\r\n-:--: :\r\n--"); // near misses
        w.append("a\r\n--:b\r\n--:-\r\n--: x\r\n--:\rc"); // the boundary followed by other bytes is content
        w.append("--:at the start");
        assertEquals(3, w.length());
    }

    @Test
    void aNestedPartHoldingAnEnclosingDelimiterIsRefusedWhenWritten() {
        MultipartWriter outer = writer();
        MultipartWriter inner = new MultipartWriter("mixed", "in");
        inner.append("x\r\n--:\r\ny"); // fine for the inner writer alone
        inner.append("x\r\n--:y"); // fine for both
        outer.append(inner);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, outer::toBytes);
        assertTrue(e.getMessage().contains("holds the line \"--:\""), e.getMessage());
        // and a request refuses it when it is made, before anything is sent
        assertThrows(IllegalArgumentException.class, () -> ((RequestOption.Body) RequestOption.data(outer).value).toRequestBody());
    }

    @Test
    void nestedBoundaryBeginningWithTheOuterOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer().append(new MultipartWriter("mixed", "::")));
        assertTrue(e.getMessage().startsWith("a nested multipart boundary must not begin with an enclosing one"), e.getMessage());
        MultipartWriter outer = writer();
        MultipartWriter middle = new MultipartWriter("mixed", "m");
        outer.append(middle);
        middle.append(new MultipartWriter("mixed", ":x")); // fine for middle alone; not inside outer
        assertThrows(IllegalArgumentException.class, outer::toBytes);
    }

    @Test
    void everyAppendReturnsItsNewPart(@TempDir Path dir) { // aio4j-only: the part is the one in the writer
        MultipartWriter w = writer();
        List<MultipartWriter.Part> returned = List.of(
                w.append(bytes("a")), w.append(bytes("b"), null), w.append("c"), w.append("d", null),
                w.append(dir.resolve("e")), w.append(dir.resolve("f"), null),
                w.append(new MultipartWriter("mixed", "g")), w.append(new MultipartWriter("mixed", "h"), null),
                w.appendJson(List.of(), JSON), w.appendJson(List.of(), JSON, null),
                w.appendForm(Map.of("k", "v")), w.appendForm(Map.of("k", "v"), null), w.appendForm(List.of(), null));
        assertEquals(w.parts(), returned);
        MultipartWriter.Part p = returned.get(0);
        assertSame(p, p.setContentDisposition("inline"));
        assertSame(p, p.setContentDisposition("inline", Map.of()));
    }

    @Test
    void aNestedWritersContentLengthIsComputedNotGiven() throws Exception { // aio4j-only
        MultipartWriter outer = writer();
        MultipartWriter inner = new MultipartWriter("mixed", "in");
        inner.append("x");
        outer.append(inner, Headers.of("Content-Length", "1"));
        assertNull(inner.headers().get("Content-Length"));
        assertTrue(text(outer.toBytes()).contains("Content-Length: " + inner.size().getAsLong() + "\r\n"));
    }

    @Test
    void aCodecReturningNullIsRefused() { // aio4j-only
        JsonCodec broken = new JsonCodec() {
            @Override
            public String encode(Object value) {
                return null;
            }

            @Override
            public Object decode(String json, java.lang.reflect.Type type) {
                throw new UnsupportedOperationException();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer().appendJson(null, broken));
        assertEquals("MultipartWriter.appendJson: the JSON codec returned null for null; it must return JSON text", e.getMessage());
    }

    @Test
    void aRefusedNestedWriterKeepsItsHeaders() { // aio4j-only
        MultipartWriter sub = new MultipartWriter("mixed", "sub");
        Headers before = Headers.copyOf(sub.headers());
        assertThrows(IllegalArgumentException.class,
                () -> writer().append(sub, Headers.of("X-A", "1", "Content-Encoding", "gzip")));
        assertEquals(before, sub.headers());
    }

    @Test
    void aWriterCannotHoldItself() {
        MultipartWriter w = writer();
        assertThrows(IllegalArgumentException.class, () -> w.append(w));
        MultipartWriter inner = new MultipartWriter("mixed", "in");
        w.append(inner);
        assertThrows(IllegalArgumentException.class, () -> inner.append(w));
    }

    @Test
    void aNestedWritersContentLengthCountsPartsAppendedLater() throws Exception {
        MultipartWriter outer = writer();
        MultipartWriter inner = new MultipartWriter("mixed", "in");
        outer.append(inner);
        inner.append("late");
        List<byte[]> back = roundTrip(outer);
        assertEquals(1, back.size());
        assertEquals(inner.size().getAsLong(), back.get(0).length);
        assertArrayEquals(inner.toBytes(), back.get(0));
    }

    @Test
    void formDataPartWithoutANameIsRefusedWhenWritten() {
        MultipartWriter w = new MultipartWriter("form-data", ":");
        w.append("x").headers().remove("Content-Disposition");
        IllegalStateException e = assertThrows(IllegalStateException.class, w::toBytes);
        assertTrue(e.getMessage().startsWith("part 0 of a multipart/form-data body has no Content-Disposition"), e.getMessage());
        IllegalArgumentException framing = assertThrows(IllegalArgumentException.class,
                () -> new MultipartWriter("form-data").append("x", Headers.of("Content-Length", "1")));
        assertTrue(framing.getMessage().startsWith("a multipart/form-data part must not have a Content-Length header"));
    }

    @Test
    void aWrongContentLengthIsRefusedWhenWritten() {
        MultipartWriter w = writer();
        w.append("four").headers().set("Content-Length", "5");
        IllegalStateException e = assertThrows(IllegalStateException.class, w::toBytes);
        assertEquals("part 0 has Content-Length: 5 but 4 bytes of content; remove the header or correct it", e.getMessage());
    }

    @Test
    void aNestedPartsWrongContentLengthIsRefusedWhenWritten() throws Exception { // aio4j-only (stop 34)
        // MultipartReader, as aiohttp's, reads a part of multipart/mixed by its Content-Length
        MultipartWriter inner = new MultipartWriter("related", "in");
        inner.append("x");
        MultipartWriter w = writer();
        MultipartWriter.Part part = w.append(inner);
        long size = inner.size().getAsLong();
        part.headers().set("Content-Length", Long.toString(size + 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, w::toBytes);
        assertEquals("part 0 has Content-Length: " + (size + 1) + " but " + size + " bytes of content; remove the header "
                + "or correct it", e.getMessage());
        part.headers().set("Content-Length", Long.toString(size));
        assertEquals("x", text(roundTrip(inner.contentType(), roundTrip(w).get(0)).get(0)));
    }

    @Test
    void contentDispositionParameters() {
        MultipartWriter w = writer();
        MultipartWriter.Part p = w.append("x");
        p.setContentDisposition("attachment", "filename", "a \"b\" \\c.txt");
        assertEquals("attachment; filename=\"a \\\"b\\\" \\\\c.txt\"", p.headers().get("Content-Disposition"));
        p.setContentDisposition("attachment", "filename", "naïve.txt");
        assertEquals("attachment; filename*=utf-8''na%C3%AFve.txt", p.headers().get("Content-Disposition"));
        p.setContentDisposition("form-data", "name", "a\"b");
        assertEquals("form-data; name=\"a%22b\"", p.headers().get("Content-Disposition"));
        assertThrows(IllegalArgumentException.class, () -> p.setContentDisposition("bad type", "name", "x"));
        assertThrows(IllegalArgumentException.class, () -> p.setContentDisposition("attachment", "file name", "x"));
        assertThrows(IllegalArgumentException.class, () -> p.setContentDisposition("attachment", "filename", "a\r\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> p.setContentDisposition("attachment", "filename"));
    }

    @Test
    void contentDispositionReadsBack() throws Exception {
        MultipartWriter w = new MultipartWriter("form-data", ":");
        w.append("1").setContentDisposition("form-data", "name", "a\"b\\c", "filename", "x\"y.txt");
        w.append("2").setContentDisposition("attachment", "name", "plain", "filename", "日本 \"q\".txt");
        List<String[]> got = Loops.runVirtual(() -> {
            MultipartReader r = new MultipartReader(w.contentType(), MultipartTest.stream(w.toBytes(), 5));
            List<String[]> out = new ArrayList<>();
            for (MultipartReader.BodyPart part; (part = r.next()) != null; ) {
                out.add(new String[] {part.name(), part.filename()});
            }
            return out;
        });
        assertArrayEquals(new String[] {"a\"b\\c", "x\"y.txt"}, got.get(0));
        assertArrayEquals(new String[] {"plain", "日本 \"q\".txt"}, got.get(1));
    }

    @Test
    void quotedBoundariesReadBack() throws Exception { // the reader now unescapes a quoted boundary and keeps its ';'
        for (String b : List.of("\\\"", "a;b", " lead", "x=y?", "a b")) {
            MultipartWriter w = new MultipartWriter("related", b);
            w.append("one");
            assertEquals(b, new MultipartReader(w.contentType(), new StreamReader()).boundary(), w.contentType());
            assertEquals(List.of("one"), roundTrip(w).stream().map(MultipartWriterTest::text).toList());
        }
    }

    @Test
    void theDefaultBoundaryIsRandomHex() {
        String b = new MultipartWriter().boundary();
        assertTrue(b.matches("[0-9a-f]{32}"), b);
        assertFalse(b.equals(new MultipartWriter().boundary()));
    }

    @Test
    void aFileIsStreamedInPieces(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("big.bin");
        byte[] content = new byte[200_000];
        new java.util.Random(11).nextBytes(content);
        Files.write(f, content);
        MultipartWriter outer = writer();
        MultipartWriter inner = new MultipartWriter("related", "in");
        inner.append(f);
        outer.append("before");
        outer.append(inner);
        assertFalse(outer.inMemory());
        assertEquals(OptionalLong.empty(), outer.size());
        int largest = 0;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] c : outer.chunks()) {
            largest = Math.max(largest, c.length);
            all.writeBytes(c);
        }
        assertTrue(largest <= 64 * 1024, "largest piece " + largest);
        byte[] body = all.toByteArray();
        List<byte[]> parts = roundTrip(outer.contentType(), body);
        assertEquals("before", text(parts.get(0)));
        List<byte[]> nested = roundTrip(inner.contentType(), parts.get(1));
        assertArrayEquals(content, nested.get(0));
    }

    @Test
    void toStrings() {
        MultipartWriter w = writer();
        assertEquals("MultipartWriter.Part[text/plain; charset=utf-8, 2 bytes]", w.append("hi").toString());
        assertEquals("MultipartWriter[multipart/mixed, boundary=:, 1 parts]", w.toString());
        assertEquals("MultipartWriter.Part[application/octet-stream, file f.bin]", w.append(Path.of("f.bin")).toString());
        assertEquals("MultipartWriter.Part[multipart/mixed; boundary=in, nested MultipartWriter[multipart/mixed, boundary=in, "
                + "0 parts]]", w.append(new MultipartWriter("mixed", "in")).toString());
    }

    // ---------------------------------------------------------- round trip

    private static List<byte[]> roundTrip(MultipartWriter w) throws Exception {
        return roundTrip(w.contentType(), w.toBytes());
    }

    private static List<byte[]> roundTrip(String contentType, byte[] body) throws Exception {
        return Loops.runVirtual(() -> {
            MultipartReader r = new MultipartReader(contentType, MultipartTest.stream(body, 4096));
            List<byte[]> out = new ArrayList<>();
            for (MultipartReader.BodyPart p; (p = r.next()) != null; ) {
                out.add(p.read(1 << 20));
            }
            return out;
        });
    }

    /** A part for the property: bytes, text, or a nested writer of such parts. */
    record Spec(byte[] data, boolean text, List<Spec> nested) {
        @Override
        public String toString() {
            return nested != null ? "nested" + nested : (text ? "text " : "bytes ") + dev.aio4j.loop.internal.Escaping.quote(
                    new String(data, StandardCharsets.ISO_8859_1));
        }
    }

    @Provide
    Arbitrary<String> boundaries() {
        return Arbitraries.strings().withChars("abz09-_:=?'()+,./ ").ofMinLength(1).ofMaxLength(8)
                .filter(b -> !b.endsWith(" "));
    }

    @Provide
    Arbitrary<List<Spec>> specs() {
        // Contents full of the bytes that make delimiters: CR, LF, dashes, and boundary characters.
        Arbitrary<byte[]> data = Arbitraries.strings().withChars("-\r\nab:=").ofMaxLength(60)
                .map(s -> s.getBytes(StandardCharsets.ISO_8859_1));
        Arbitrary<Spec> leaf = Combinators.combine(data, Arbitraries.of(true, false)).as((d, t) -> new Spec(d, t, null));
        Arbitrary<Spec> nested = leaf.list().ofMaxSize(3).map(l -> new Spec(null, false, l));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, leaf), net.jqwik.api.Tuple.of(1, nested))
                .list().ofMaxSize(5);
    }

    /**
     * Whether {@code data}, as a part's content (after the head's CRLF, before the CRLF of the
     * next delimiter), holds a delimiter line of {@code b}: RFC 2046's rule, written here apart
     * from the reader's and the writer's code.
     */
    static boolean clashes(byte[] data, String b) {
        String s = "\r\n" + new String(data, StandardCharsets.ISO_8859_1) + "\r\n";
        return java.util.regex.Pattern.compile("\r\n--" + java.util.regex.Pattern.quote(b) + "(--|[ \t]*\r\n)").matcher(s).find();
    }

    @Property(tries = 300, seed = "20261204")
    void whatTheWriterWritesTheReaderReadsBack(@ForAll("specs") List<Spec> specs, @ForAll("boundaries") String boundary,
                                               @ForAll @IntRange(min = 1, max = 100) int piece) throws Exception {
        MultipartWriter w = new MultipartWriter("mixed", boundary);
        String innerBoundary = "~" + boundary; // never begins with the outer one
        boolean clash = false;
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Headers h = Headers.of("X-Index", Integer.toString(i));
            if (s.nested() != null) {
                MultipartWriter inner = new MultipartWriter("related", innerBoundary);
                for (Spec leaf : s.nested()) {
                    if (clashes(leaf.data(), innerBoundary)) {
                        assertThrows(IllegalArgumentException.class, () -> inner.append(leaf.data()));
                        return;
                    }
                    inner.append(leaf.data());
                    clash |= clashes(leaf.data(), boundary); // found when the outer body is written
                }
                w.append(inner, h);
            } else if (clashes(s.data(), boundary)) {
                assertThrows(IllegalArgumentException.class, () -> w.append(s.data(), h));
                return;
            } else if (s.text()) {
                w.append(new String(s.data(), StandardCharsets.ISO_8859_1), h);
            } else {
                w.append(s.data(), h);
            }
        }
        if (clash) {
            assertThrows(IllegalArgumentException.class, w::toBytes);
            return;
        }
        byte[] body = w.toBytes();
        assertEquals(w.size().getAsLong(), body.length);
        Loops.runVirtual(() -> {
            MultipartReader r = new MultipartReader(w.contentType(), MultipartTest.stream(body, piece));
            int i = 0;
            for (MultipartReader.BodyPart p; (p = r.next()) != null; i++) {
                Spec s = specs.get(i);
                assertEquals(Integer.toString(i), p.headers().get("X-Index"));
                byte[] got = p.read(1 << 16);
                assertEquals(Integer.toString(got.length), p.headers().get("Content-Length"));
                if (s.nested() == null) {
                    assertEquals(s.text() ? "text/plain; charset=utf-8" : "application/octet-stream", p.headers().get("Content-Type"));
                    assertArrayEquals(s.text() ? new String(s.data(), StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8)
                            : s.data(), got);
                } else {
                    MultipartReader inner = new MultipartReader(p.headers().get("Content-Type"), MultipartTest.stream(got, piece));
                    int j = 0;
                    for (MultipartReader.BodyPart q; (q = inner.next()) != null; j++) {
                        assertArrayEquals(s.nested().get(j).data(), q.read(1 << 16));
                    }
                    assertEquals(s.nested().size(), j);
                }
            }
            assertEquals(specs.size(), i);
            return null;
        });
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        // arbitrary bytes, and bytes rich in what QP and the delimiter care about
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(600)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("-:=\r\n \t.x\u00e9").ofMaxLength(600)
                        .map(s -> s.getBytes(StandardCharsets.ISO_8859_1))));
    }

    // aio4j-only (review): reader(writer(x)) == x for arbitrary bytes under every encoding the
    // writer applies (Content-Transfer-Encoding base64 or quoted-printable, with or without
    // Content-Encoding gzip or deflate), however the body arrives; an encoded part is never refused.
    @Property(tries = 300, seed = "20261205")
    void anyBytesRoundTripEncoded(@ForAll("anyBytes") byte[] data,
                                  @ForAll("transferEncodings") String te, @ForAll("contentEncodings") String ce,
                                  @ForAll("shortBoundaries") String boundary,
                                  @ForAll @IntRange(min = 1, max = 97) int piece) throws Exception {
        MultipartWriter w = new MultipartWriter("mixed", boundary);
        Headers h = Headers.of("Content-Transfer-Encoding", te);
        if (!ce.isEmpty()) {
            h.set("Content-Encoding", ce);
        }
        w.append(data, h);
        w.append(data, Headers.of("Content-Transfer-Encoding", te));
        byte[] body = w.toBytes();
        List<byte[]> back = Loops.runVirtual(() -> {
            MultipartReader r = new MultipartReader(w.contentType(), MultipartTest.stream(body, piece));
            List<byte[]> out = new ArrayList<>();
            for (MultipartReader.BodyPart p; (p = r.next()) != null; ) {
                out.add(p.read(1 << 16, true));
            }
            return out;
        });
        assertEquals(2, back.size());
        assertArrayEquals(data, back.get(0));
        assertArrayEquals(data, back.get(1));
    }

    @Provide
    Arbitrary<String> transferEncodings() {
        return Arbitraries.of("base64", "quoted-printable");
    }

    @Provide
    Arbitrary<String> contentEncodings() {
        return Arbitraries.of("", "gzip", "deflate");
    }

    /** A part for the next property: tokens that {@link #materialize} turns into bytes, and how the part is encoded. */
    record Piece(List<Integer> tokens, String encoding) {
    }

    @Provide
    Arbitrary<List<Piece>> pieces() {
        Arbitrary<Piece> p = Combinators.combine(Arbitraries.integers().between(0, 10).list().ofMaxSize(25),
                Arbitraries.of("", "", "", "base64", "quoted-printable", "gzip")).as(Piece::new);
        return p.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> shortBoundaries() {
        // a fixed set: jqwik 1.9 fails shrinking a generated String next to this List of records
        return Arbitraries.of(":", "-", "a-", "--", "b:=_", "=_-a-b", "boundary");
    }

    /** Bytes made of what comes near a delimiter line: CRLF, dashes, the boundary, its prefixes, and it followed by other bytes. */
    private static byte[] materialize(List<Integer> tokens, String b) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(switch (t) {
                case 0 -> "\r\n";
                case 1 -> "--";
                case 2 -> b;
                case 3 -> b.substring(0, b.length() / 2);
                case 4 -> b + "x";
                case 5 -> b + "-";
                case 6 -> b + " \t";
                case 7 -> "\r";
                case 8 -> "\n";
                case 9 -> " ";
                default -> "y";
            });
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // aio4j-only: RFC 2046 section 5.1.1's delimiter line, both ways. Every part body the writer
    // accepts (all but those holding a delimiter line: "--boundary" after a CRLF, followed by "--"
    // or by padding and CRLF) reads back the same, decoded when it was encoded, whatever the sizes
    // of the pieces the body arrives in and of the reads.
    @Property(tries = 400, seed = "20261205")
    void partBodiesNearTheBoundaryRoundTrip(@ForAll("pieces") List<Piece> pieces, @ForAll("shortBoundaries") String boundary,
                                            @ForAll @IntRange(min = 1, max = 60) int piece,
                                            @ForAll @IntRange(min = 1, max = 20) int chunk) throws Exception {
        MultipartWriter w = new MultipartWriter("mixed", boundary);
        List<byte[]> expected = new ArrayList<>();
        for (Piece pc : pieces) {
            byte[] data = materialize(pc.tokens(), boundary);
            Headers h = switch (pc.encoding()) {
                case "" -> null;
                case "gzip" -> Headers.of("Content-Encoding", "gzip");
                default -> Headers.of("Content-Transfer-Encoding", pc.encoding());
            };
            if (pc.encoding().isEmpty() && clashes(data, boundary)) {
                assertThrows(IllegalArgumentException.class, () -> w.append(data, h));
                continue;
            }
            w.append(data, h);
            expected.add(data);
        }
        byte[] body = w.toBytes();
        List<byte[]> back = Loops.runVirtual(() -> {
            MultipartReader r = new MultipartReader(w.contentType(), MultipartTest.stream(body, piece));
            List<byte[]> out = new ArrayList<>();
            for (MultipartReader.BodyPart p; (p = r.next()) != null; ) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                for (byte[] c; (c = p.readChunk(chunk)).length > 0; ) {
                    raw.writeBytes(c);
                }
                out.add(p.decode(raw.toByteArray(), 1 << 16));
            }
            return out;
        });
        assertEquals(expected.size(), back.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), back.get(i), "part " + i);
        }
    }

    // aio4j-only (review): a send that fails midway closes the file part it was reading (it stayed open)
    @Test
    void aFailedSendClosesTheFilePart(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServers.canCountFds(), "needs /proc/self/fd (Linux)");
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[8 << 20]); // more than the socket buffers hold
        MultipartWriter w = new MultipartWriter("form-data", "b0und");
        w.append(file).setContentDisposition("form-data", "name", "f", "filename", "big.bin");
        assertFileClosedAfterAFailedSend(file, RequestOption.data(w));
    }

    // aio4j-only (review): the same for FormData, whose file part stayed open too
    @Test
    void aFailedSendClosesTheFilePartOfAFormData(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestServers.canCountFds(), "needs /proc/self/fd (Linux)");
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[8 << 20]);
        assertFileClosedAfterAFailedSend(file,
                RequestOption.data(new FormData().addFile("f", "big.bin", file, "application/octet-stream")));
    }

    /** Posts {@code body} to a server that resets the connection after the head; then no descriptor is open on {@code file}. */
    private static void assertFileClosedAfterAFailedSend(Path file, RequestOption body) throws Exception {
        try (TestServers.Scripted srv = new TestServers.Scripted((sock, in, out) -> {
            TestServers.readHead(in);
            sock.setSoLinger(true, 0); // closed with a reset: the client's next writes fail
        })) {
            dev.aio4j.loop.Aio.run(() -> {
                try (ClientSession session = ClientSession.builder().build()) {
                    assertThrows(ClientError.class, () -> session.post(srv.url("/"), body).close());
                }
                return null;
            });
        }
        assertEquals(0, openDescriptorsOf(file), "the file part was closed");
    }

    private static long openDescriptorsOf(Path file) throws IOException {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // gone meanwhile
                }
            }).count();
        }
    }
}

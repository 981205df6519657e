package dev.aio4j.http;

import dev.aio4j.http.internal.ContentDisposition;
import dev.aio4j.http.internal.OffLoopFile;
import dev.aio4j.http.internal.QuotedPrintable;
import dev.aio4j.http.internal.RandomHex;
import dev.aio4j.http.internal.RequestSerializer;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * A {@code multipart/*} body built part by part: {@code multipart/mixed}, {@code multipart/related},
 * {@code multipart/form-data} or any other subtype, with parts of bytes, text, JSON, urlencoded
 * forms, files and nested multipart bodies, each with headers of its own.
 *
 * <pre>{@code
 * MultipartWriter mp = new MultipartWriter("mixed");
 * mp.append("hello");                                          // text/plain; charset=utf-8
 * mp.appendJson(Map.of("a", 1), codec);                        // application/json
 * mp.append(bytes, Headers.of("Content-Type", "image/png"))
 *   .setContentDisposition("attachment", "filename", "x.png");
 * MultipartWriter inner = new MultipartWriter("related");
 * inner.append(Path.of("report.pdf"));                          // streamed when sent
 * mp.append(inner);
 * try (ClientResponse r = session.post(url, RequestOption.data(mp))) { ... }
 * return new Response().body(mp);                               // on the server (parts in memory)
 * }</pre>
 *
 * <p>What it writes (RFC 2046 section 5.1): for each part {@code --boundary CRLF}, the part's
 * headers, an empty line, its content and {@code CRLF}; then {@code --boundary-- CRLF}.
 * {@link MultipartReader} reads it back part by part.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.MultipartWriter(subtype='mixed', boundary=None)} with
 * {@code append}, {@code append_json}, {@code append_form}, {@code boundary}, {@code headers},
 * {@code len()} ({@link #length()}), iteration, {@code size} ({@link #size()}), {@code as_bytes()}
 * ({@link #toBytes()}) and {@code write()} ({@link #chunks()}); the payload that {@code append}
 * returns, with its {@code headers} and {@code set_content_disposition}, is a {@link Part}.
 * <b>Differences:</b> {@code append} is one overload per kind of content (bytes, text, a
 * {@link Path}, a nested writer) instead of aiohttp's payload registry, so appending an
 * unsupported value does not compile; {@code null} is refused with a {@link NullPointerException}
 * (aiohttp's {@code TypeError}). {@link #appendJson} takes the {@link JsonCodec} (aio-http has no
 * JSON library of its own). Text is always UTF-8. A file part is read in 64 KiB pieces when the
 * body is sent and has no {@code Content-Length} header (aiohttp writes one from the file's size
 * at append time, which is wrong if the file changes), so a body with a file is sent with
 * {@code Transfer-Encoding: chunked}, once, as {@link FormData} does. A nested writer's
 * {@code Content-Length} is computed when the body is written, so parts appended to it later are
 * counted. A part appended with {@code Content-Encoding: gzip} or {@code deflate} (raw deflate,
 * as aiohttp's) is compressed, and with {@code Content-Transfer-Encoding: base64} or
 * {@code quoted-printable} encoded, at append time, and only when it is held in memory (a file or
 * nested part with an encoding is refused); such a part has no {@code Content-Length}, as in
 * aiohttp, but the body's size stays known. Quoted-printable keeps the content's CRLF pairs as
 * line breaks and escapes a {@code -} that begins a line, so its lines never look like a
 * delimiter (aiohttp's {@code binascii.b2a_qp} does not); {@link MultipartReader.BodyPart#read(int,
 * boolean)} decodes it. The boundary must also not
 * be empty, hold a tab or end in a space (RFC 2046 section 5.1.1; aiohttp allows these), and a part's content may not hold
 * a delimiter line of this writer or of a writer it is nested in ({@code --boundary} after a CRLF
 * or at the content's start, followed by {@code --}, or by optional spaces or tabs and a CRLF or
 * the content's end: what {@link MultipartReader} takes for one; {@code --boundary} followed by
 * other bytes is content), nor may a nested writer's
 * boundary begin with an enclosing one (RFC 2046 section 5.1.2): such a body would be read back
 * wrong, so it is refused with an {@link IllegalArgumentException} instead of being sent.
 * {@code with MultipartWriter() as w:} has nothing to close: use the writer directly.
 *
 * <p>As a request body ({@link RequestOption#data(MultipartWriter)}) only the writer's
 * {@code Content-Type} is sent as a request header; aiohttp also copies its other headers.
 *
 * <p><b>Threading:</b> build it in one task; it is read when the body is sent, and may be sent
 * again (a retry, a redirect) while all its parts are in memory.
 *
 * @since 0.2
 */
public final class MultipartWriter implements Iterable<MultipartWriter.Part> {
    /*
     * Maintainer notes. `parts` keeps append order. A part's `content` is a byte[] (bytes, text,
     * JSON and forms are encoded at append time), a Path (read when the body is written) or a
     * nested MultipartWriter (serialized when the body is written). An in-memory part gets its
     * Content-Length header at append time, as aiohttp's; a nested writer's goes into its head
     * only when the head is written (see head()), so it is never stale; a file's never. Writing
     * flattens the tree into a list of byte[] and Path segments, checking every in-memory content
     * against the delimiters of all enclosing writers; the segment iterator then reads files
     * lazily, as FormData's does.
     */
    private static final int PIECE = 64 * 1024;
    private static final int MAX_BOUNDARY = 70;

    private final String subtype;
    private final String boundary;
    private final boolean formData;
    private final Headers headers = new Headers();
    private final List<Part> parts = new ArrayList<>();

    /** A {@code multipart/mixed} writer with a random boundary. */
    public MultipartWriter() {
        this("mixed", null);
    }

    /**
     * A writer of {@code multipart/<subtype>} with a random boundary.
     *
     * @param subtype e.g. {@code mixed}, {@code related}, {@code alternative}, {@code form-data}
     * @throws IllegalArgumentException if the subtype is not a token
     */
    public MultipartWriter(String subtype) {
        this(subtype, null);
    }

    /**
     * A writer of {@code multipart/<subtype>} with this boundary.
     *
     * @param subtype e.g. {@code mixed}, {@code related}, {@code alternative}, {@code form-data}
     * @param boundary 1 to 70 printable ASCII characters, not ending in a space; quoted in the Content-Type when it is not a token; null for 32 random
     *        hex digits (aiohttp's {@code uuid4().hex})
     * @throws IllegalArgumentException if the subtype is not a token or the boundary breaks these rules
     */
    public MultipartWriter(String subtype, String boundary) {
        Checks.notNull(subtype, "subtype");
        if (!Checks.isToken(subtype)) {
            throw new IllegalArgumentException("multipart subtype must be a token such as mixed, related or form-data, got "
                    + Escaping.quote(subtype));
        }
        this.subtype = subtype;
        this.boundary = boundary == null ? randomBoundary() : checkedBoundary(boundary);
        this.formData = subtype.equalsIgnoreCase("form-data");
        headers.set("Content-Type", "multipart/" + subtype + "; boundary=" + boundaryValue(this.boundary));
    }

    private static String randomBoundary() {
        return RandomHex.of(16);
    }

    private static String checkedBoundary(String b) {
        String rule = "multipart boundary must be 1 to 70 printable ASCII characters (spaces allowed but not at the end; "
                + "RFC 2046 section 5.1.1), got ";
        if (b.isEmpty() || b.length() > MAX_BOUNDARY || b.endsWith(" ")) {
            throw new IllegalArgumentException(rule + Escaping.quote(b) + " (" + b.length() + " characters)");
        }
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (c > 0x7E || c < 0x20) {
                throw new IllegalArgumentException(rule + Escaping.quote(b));
            }
        }
        return b;
    }

    /** The boundary as a Content-Type parameter value: as it is if a token, else a quoted string (RFC 9110 5.6.6). */
    private static String boundaryValue(String b) {
        if (Checks.isToken(b)) {
            return b;
        }
        return '"' + b.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Returns the boundary: aiohttp's {@code boundary}.
     *
     * @return the boundary, unquoted
     */
    public String boundary() {
        return boundary;
    }

    /**
     * Returns the writer's headers: aiohttp's {@code headers}. They hold the {@code Content-Type}
     * with the boundary; they may be changed (when the writer is nested, they are the part's
     * headers, and {@link #append(MultipartWriter, Headers)} adds to them).
     *
     * @return the headers, live
     */
    public Headers headers() {
        return headers;
    }

    /**
     * Returns the {@code Content-Type} the body is sent with, e.g.
     * {@code multipart/mixed; boundary=4f0c...}.
     *
     * @return the content type
     * @throws IllegalStateException if it was removed from {@link #headers()}
     */
    public String contentType() {
        String ct = headers.get("Content-Type");
        if (ct == null) {
            throw new IllegalStateException("the MultipartWriter's Content-Type header was removed; it carries the "
                    + "boundary the body needs, set it back to \"multipart/" + subtype + "; boundary="
                    + boundaryValue(boundary) + "\"");
        }
        return ct;
    }

    /**
     * Returns the number of parts: aiohttp's {@code len(writer)}.
     *
     * @return how many parts were appended
     */
    public int length() {
        return parts.size();
    }

    /**
     * Returns the parts in order: aiohttp's iteration over the writer.
     *
     * @return the parts, read-only
     */
    public List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    /**
     * Iterates over the parts in order.
     *
     * @return an iterator that cannot remove
     */
    @Override
    public Iterator<Part> iterator() {
        return parts().iterator();
    }

    /**
     * Returns the size of the body in bytes, as written now: aiohttp's {@code size}.
     *
     * @return the size, or empty if a part is a file (its size is read when the body is sent)
     */
    public OptionalLong size() {
        long total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            OptionalLong s = p.size();
            if (s.isEmpty()) {
                return OptionalLong.empty();
            }
            total += 2 + boundary.length() + 2 + head(p).length + s.getAsLong() + 2;
        }
        return OptionalLong.of(total + 2 + boundary.length() + 4);
    }

    /**
     * Returns whether every part is in memory (no file, also in nested writers): then the body is
     * sent with a {@code Content-Length} and may be sent again.
     *
     * @return whether no part is read from disk
     */
    public boolean inMemory() {
        for (Part p : parts) {
            if (p.content instanceof Path || p.content instanceof MultipartWriter w && !w.inMemory()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ append

    /**
     * Appends bytes, as {@code application/octet-stream} with a {@code Content-Length}.
     *
     * @param data the bytes (copied)
     * @return the new part
     * @throws IllegalArgumentException if the bytes hold a delimiter line of this writer
     */
    public Part append(byte[] data) {
        return append(data, null);
    }

    /**
     * Appends bytes with headers of their own (e.g. a {@code Content-Type}), which replace the
     * defaults of the same name: aiohttp's {@code append(obj, headers)}.
     *
     * @param data the bytes (copied)
     * @param headers the part's headers, or null
     * @return the new part
     * @throws IllegalArgumentException if the (encoded) bytes hold a delimiter line of this writer,
     *         or the headers ask for an unknown or unsupported encoding or (for {@code form-data})
     *         give a framing header
     */
    public Part append(byte[] data, Headers headers) {
        return add(Checks.notNull(data, "data").clone(), "application/octet-stream", headers);
    }

    /**
     * Appends text, encoded as UTF-8, as {@code text/plain; charset=utf-8}.
     *
     * @param text the text
     * @return the new part
     * @throws IllegalArgumentException if the text holds a delimiter line of this writer
     */
    public Part append(String text) {
        return append(text, null);
    }

    /**
     * Appends text, encoded as UTF-8, with headers of its own.
     *
     * @param text the text
     * @param headers the part's headers, or null
     * @return the new part
     * @throws IllegalArgumentException as {@link #append(byte[], Headers)}
     */
    public Part append(String text, Headers headers) {
        return add(Checks.notNull(text, "text").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", headers);
    }

    /**
     * Appends a file, as {@code application/octet-stream}, read in 64 KiB pieces (opened, read and
     * closed on the loop's executor when in a task) when the body is written, never held in memory.
     *
     * @param file the file
     * @return the new part
     */
    public Part append(Path file) {
        return append(file, null);
    }

    /**
     * Appends a file with headers of its own.
     *
     * @param file the file
     * @param headers the part's headers, or null
     * @return the new part
     * @throws IllegalArgumentException as {@link #append(byte[], Headers)}
     */
    public Part append(Path file, Headers headers) {
        return add(Checks.notNull(file, "file"), "application/octet-stream", headers);
    }

    /**
     * Appends a nested multipart body, whose headers ({@link #headers()}) are the part's.
     *
     * @param nested the writer; its parts are written when this body is
     * @return the new part
     * @throws IllegalArgumentException if {@code nested} is this writer or holds it, or its
     *         boundary begins with this writer's
     */
    public Part append(MultipartWriter nested) {
        return append(nested, null);
    }

    /**
     * Appends a nested multipart body; {@code headers} are added to its {@link #headers()}.
     *
     * @param nested the writer
     * @param headers headers to set on it, or null
     * @return the new part
     * @throws IllegalArgumentException as {@link #append(MultipartWriter)}
     */
    public Part append(MultipartWriter nested, Headers headers) {
        Checks.notNull(nested, "nested");
        if (nested.holds(this)) {
            throw new IllegalArgumentException("cannot append a MultipartWriter to itself or to a writer nested in it: "
                    + "the body would never end");
        }
        if (nested.boundary.startsWith(boundary)) {
            throw new IllegalArgumentException(nestedBoundaryMessage(nested.boundary, boundary));
        }
        return add(nested, null, headers);
    }

    /**
     * Appends a value as JSON, encoded by {@code codec} as UTF-8, as {@code application/json}:
     * aiohttp's {@code append_json}.
     *
     * @param value what to encode, possibly null
     * @param codec the codec, e.g. the one given to the session
     * @return the new part
     * @throws IllegalArgumentException if the codec cannot encode the value
     */
    public Part appendJson(Object value, JsonCodec codec) {
        return appendJson(value, codec, null);
    }

    /**
     * Appends a value as JSON with headers of its own (a {@code Content-Type} among them wins).
     *
     * @param value what to encode, possibly null
     * @param codec the codec
     * @param headers the part's headers, or null
     * @return the new part
     * @throws IllegalArgumentException if the codec cannot encode the value, or as {@link #append(byte[], Headers)}
     */
    public Part appendJson(Object value, JsonCodec codec, Headers headers) {
        Checks.notNull(codec, "codec");
        String text;
        try {
            text = codec.encode(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("MultipartWriter.appendJson: the JSON codec could not encode "
                    + (value == null ? "null" : "a " + value.getClass().getName()) + ": " + e, e);
        }
        if (text == null) {
            throw new IllegalArgumentException("MultipartWriter.appendJson: the JSON codec returned null for "
                    + (value == null ? "null" : "a " + value.getClass().getName()) + "; it must return JSON text");
        }
        return add(text.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    /**
     * Appends form fields as {@code application/x-www-form-urlencoded}, in the map's order:
     * aiohttp's {@code append_form} with a dict.
     *
     * @param fields names and values
     * @return the new part
     */
    public Part appendForm(Map<String, String> fields) {
        return appendForm(fields, null);
    }

    /**
     * Appends form fields with headers of its own.
     *
     * @param fields names and values
     * @param headers the part's headers, or null
     * @return the new part
     */
    public Part appendForm(Map<String, String> fields, Headers headers) {
        Checks.notNull(fields, "fields");
        return appendForm(List.copyOf(fields.entrySet()), headers);
    }

    /**
     * Appends form fields, repeated names kept: aiohttp's {@code append_form} with a list of pairs.
     *
     * @param fields names and values, in order
     * @param headers the part's headers, or null
     * @return the new part
     */
    public Part appendForm(List<Map.Entry<String, String>> fields, Headers headers) {
        Checks.notNull(fields, "fields");
        for (Map.Entry<String, String> f : fields) {
            Checks.notNull(f, "form field");
            Checks.notNull(f.getKey(), "form field name");
            Checks.notNull(f.getValue(), "value of form field " + Escaping.quote(f.getKey()));
        }
        return add(RequestSerializer.formUrlencoded(fields), RequestSerializer.FORM_CONTENT_TYPE, headers);
    }

    private Part add(Object content, String contentType, Headers given) {
        // a nested writer's headers are changed only once the part is accepted
        Headers h = content instanceof MultipartWriter w ? Headers.copyOf(w.headers) : new Headers();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        if (given != null) {
            List<String> seen = new ArrayList<>();
            for (Map.Entry<String, String> e : given.entries()) {
                String key = e.getKey().toLowerCase(Locale.ROOT);
                if (seen.contains(key)) {
                    h.add(e.getKey(), e.getValue());
                } else {
                    seen.add(key);
                    h.set(e.getKey(), e.getValue());
                }
            }
        }
        if (formData) {
            for (String framing : List.of("Content-Encoding", "Content-Length", "Content-Transfer-Encoding")) {
                if (given != null && given.contains(framing)) {
                    throw new IllegalArgumentException("a multipart/form-data part must not have a " + framing
                            + " header (RFC 7578 sections 4.7 and 4.8), got " + framing + ": "
                            + Escaping.quote(given.get(framing)));
                }
            }
            if (!h.contains("Content-Disposition")) {
                h.set("Content-Disposition", ContentDisposition.header("form-data", Map.of("name", "section-" + parts.size())));
            }
        } else {
            String coding = h.getOrDefault("Content-Encoding", "").strip().toLowerCase(Locale.ROOT);
            if (!List.of("", "identity", "gzip", "deflate").contains(coding)) {
                throw new IllegalArgumentException("unknown Content-Encoding of a multipart part: " + Escaping.quote(coding)
                        + "; MultipartWriter compresses with gzip or deflate, or sends identity as it is");
            }
            String te = h.getOrDefault("Content-Transfer-Encoding", "").strip().toLowerCase(Locale.ROOT);
            if (!List.of("", "binary", "base64", "quoted-printable").contains(te)) {
                throw new IllegalArgumentException("unknown Content-Transfer-Encoding of a multipart part: "
                        + Escaping.quote(te) + "; MultipartWriter writes base64 or quoted-printable, or binary as it is");
            }
            boolean encoded = coding.equals("gzip") || coding.equals("deflate") || te.equals("base64")
                    || te.equals("quoted-printable");
            if (encoded) {
                if (!(content instanceof byte[] data)) {
                    throw new IllegalArgumentException("MultipartWriter compresses or encodes (base64, quoted-printable) only "
                            + "parts held in memory, not a " + (content instanceof Path ? "file" : "nested multipart body")
                            + "; read it into bytes and append those, or drop the Content-Encoding "
                            + "and Content-Transfer-Encoding headers");
                }
                content = encode(data, coding, te);
                h.remove("Content-Length"); // as aiohttp: an encoded part has none
            } else if (content instanceof byte[] data) {
                h.set("Content-Length", Integer.toString(data.length));
            } else if (content instanceof MultipartWriter) {
                h.remove("Content-Length"); // written with the head, from the nested writer's size then
            }
        }
        if (content instanceof byte[] data) {
            String clash = MultipartReader.delimiterLineIn(data, boundary);
            if (clash != null) {
                throw new IllegalArgumentException(clashMessage(parts.size(), clash, boundary));
            }
        }
        if (content instanceof MultipartWriter w) {
            for (String name : w.headers.names()) {
                w.headers.remove(name);
            }
            w.headers.addAll(h);
            h = w.headers;
        }
        Part p = new Part(content, h);
        parts.add(p);
        return p;
    }

    /**
     * The content compressed (gzip, or deflate without the zlib header, as aiohttp's) and then
     * base64- or quoted-printable-encoded, as asked.
     */
    private static byte[] encode(byte[] data, String coding, String te) {
        byte[] out = data;
        if (coding.equals("gzip") || coding.equals("deflate")) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            java.util.zip.Deflater raw = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
            try (java.io.OutputStream z = coding.equals("gzip") ? new java.util.zip.GZIPOutputStream(sink)
                    : new java.util.zip.DeflaterOutputStream(sink, raw)) {
                z.write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            } finally {
                raw.end();
            }
            out = sink.toByteArray();
        }
        if (te.equals("base64")) {
            out = java.util.Base64.getEncoder().encode(out);
        } else if (te.equals("quoted-printable")) {
            out = QuotedPrintable.encode(out);
        }
        return out;
    }

    private boolean holds(MultipartWriter w) {
        if (w == this) {
            return true;
        }
        for (Part p : parts) {
            if (p.content instanceof MultipartWriter n && n.holds(w)) {
                return true;
            }
        }
        return false;
    }

    private static String clashMessage(int index, String line, String b) {
        return "part " + index + " of the multipart body holds the line " + Escaping.quote(line)
                + ", which would end the part early (RFC 2046 section 5.1.1); use a MultipartWriter with another boundary "
                + "than " + Escaping.quote(b) + " (the default random one never clashes)";
    }

    private static String nestedBoundaryMessage(String inner, String outer) {
        return "a nested multipart boundary must not begin with an enclosing one (RFC 2046 section 5.1.2): "
                + Escaping.quote(inner) + " begins with " + Escaping.quote(outer)
                + "; give the nested MultipartWriter another boundary, or none for a random one";
    }

    // ------------------------------------------------------------------ write

    /**
     * Returns the whole body: aiohttp's {@code as_bytes()}.
     *
     * @return the body
     * @throws IllegalStateException if a part is a file (send it with {@link #chunks()})
     * @throws IllegalArgumentException if a part holds an enclosing writer's delimiter line
     */
    public byte[] toBytes() {
        if (!inMemory()) {
            throw new IllegalStateException("MultipartWriter.toBytes() called on a body with a file part; "
                    + "write it with chunks(), which reads the file in pieces");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : chunks()) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }

    /**
     * Returns the body as pieces of at most 64 KiB plus the part heads, in order: aiohttp's
     * {@code write()}. Files are read as the pieces are taken (opened, read and closed on the
     * loop's executor when in a task; a task cancelled meanwhile, or a sender that stops early and
     * closes the iterator, closes the file). Each call gives a fresh iteration over the parts as
     * they are then.
     *
     * @return the pieces of the body
     * @throws IllegalArgumentException if a part holds an enclosing writer's delimiter line, or a
     *         nested boundary begins with an enclosing one
     * @throws IllegalStateException if a part of a {@code form-data} writer lost its
     *         Content-Disposition name, or a part's Content-Length header does not match its content
     */
    public Iterable<byte[]> chunks() {
        List<Object> segments = new ArrayList<>();
        flatten(segments, new ArrayList<>());
        List<Object> snapshot = List.copyOf(segments);
        return () -> new Pieces() {
            private int index;
            private int offset;
            private OffLoopFile file;
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = advance();
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] n = next;
                next = null;
                return n;
            }

            /** Closes the file being read, if any: the sender calls it when it stops early (a failed write). */
            @Override
            public void close() throws IOException {
                OffLoopFile f = file;
                file = null;
                index = snapshot.size();
                if (f != null) {
                    f.closeQuietly(); // the sending failed or was cancelled: closed without waiting
                }
            }

            private byte[] advance() {
                try {
                    while (index < snapshot.size()) {
                        Object s = snapshot.get(index);
                        if (s instanceof byte[] data) {
                            if (offset < data.length) {
                                int to = Math.min(data.length, offset + PIECE);
                                byte[] piece = offset == 0 && to == data.length ? data : Arrays.copyOfRange(data, offset, to);
                                offset = to;
                                return piece;
                            }
                        } else {
                            if (file == null) {
                                file = OffLoopFile.open((Path) s); // in the loop's executor, as each piece and the close
                            }
                            byte[] piece = file.read(PIECE);
                            if (piece.length > 0) {
                                return piece;
                            }
                            file.close();
                            file = null;
                        }
                        index++;
                        offset = 0;
                    }
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException("MultipartWriter: reading file part " + snapshot.get(index) + " failed", e);
                }
            }
        };
    }

    /** The pieces of a body: an iterator that a sender closes when it stops before the end (FormData's too). */
    interface Pieces extends Iterator<byte[]>, AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Appends this body's segments (byte[] and Path) to {@code out}; {@code enclosing} are the boundaries around it. */
    private void flatten(List<Object> out, List<String> enclosing) {
        List<String> all = new ArrayList<>(enclosing);
        all.add(boundary);
        byte[] dashBoundary = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if (formData) {
                ContentDisposition.Parsed cd = ContentDisposition.parse(p.headers.get("Content-Disposition"));
                if (cd.type() == null || ContentDisposition.param(cd.params(), "name") == null
                        && ContentDisposition.param(cd.params(), "filename") == null) {
                    throw new IllegalStateException("part " + i + " of a multipart/form-data body has no Content-Disposition "
                            + "with a name (RFC 7578 section 4.2), got " + (p.headers.contains("Content-Disposition")
                            ? Escaping.quote(p.headers.get("Content-Disposition")) : "none")
                            + "; call part.setContentDisposition(\"form-data\", \"name\", ...)");
                }
            }
            out.add(dashBoundary);
            out.add(head(p));
            if (p.content instanceof byte[] data) {
                for (String b : all) {
                    String clash = MultipartReader.delimiterLineIn(data, b);
                    if (clash != null) {
                        throw new IllegalArgumentException(clashMessage(i, clash, b));
                    }
                }
                checkContentLength(i, p, data.length);
                out.add(data);
            } else if (p.content instanceof Path file) {
                out.add(file);
            } else {
                MultipartWriter nested = (MultipartWriter) p.content;
                OptionalLong size = nested.size(); // a Content-Length set after append() (its own is written by head())
                if (size.isPresent()) {
                    checkContentLength(i, p, size.getAsLong());
                }
                for (String b : all) {
                    if (nested.boundary.startsWith(b)) {
                        throw new IllegalArgumentException(nestedBoundaryMessage(nested.boundary, b));
                    }
                }
                nested.flatten(out, all);
            }
            out.add(new byte[] {'\r', '\n'});
        }
        out.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A Content-Length header of part {@code i}, if any, must be {@code size}: a reader reads the part by it. */
    private static void checkContentLength(int i, Part p, long size) {
        String cl = p.headers.get("Content-Length");
        if (cl != null && !cl.strip().equals(Long.toString(size))) {
            throw new IllegalStateException("part " + i + " has Content-Length: " + cl + " but " + size
                    + " bytes of content; remove the header or correct it");
        }
    }

    /** A part's header lines and the empty line, as UTF-8; a nested writer's Content-Length from its size now. */
    private byte[] head(Part p) {
        StringBuilder sb = new StringBuilder();
        p.headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
        if (!formData && p.content instanceof MultipartWriter nested && !p.headers.contains("Content-Length")) {
            OptionalLong size = nested.size();
            if (size.isPresent()) {
                sb.append("Content-Length: ").append(size.getAsLong()).append("\r\n");
            }
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns e.g. {@code MultipartWriter[multipart/mixed, boundary=:, 3 parts]}.
     *
     * @return the subtype, boundary and part count
     */
    @Override
    public String toString() {
        return "MultipartWriter[multipart/" + subtype + ", boundary=" + boundary + ", " + parts.size() + " parts]";
    }

    /**
     * One part of a {@link MultipartWriter}, as {@code append} returns it: its headers may be
     * changed until the body is written.
     *
     * <p><b>aiohttp:</b> the {@code Payload} that {@code MultipartWriter.append} returns, with
     * {@code headers}, {@code size} and {@code set_content_disposition}. <b>Differences:</b> it
     * cannot be built on its own or moved to another writer.
     *
     * @since 0.2
     */
    public static final class Part {
        private final Object content;
        private final Headers headers;

        private Part(Object content, Headers headers) {
            this.content = content;
            this.headers = headers;
        }

        /**
         * Returns the part's headers: aiohttp's {@code payload.headers}.
         *
         * @return the headers, live
         */
        public Headers headers() {
            return headers;
        }

        /**
         * Sets the Content-Disposition: aiohttp's {@code set_content_disposition(disptype, **params)}.
         * ASCII values are quoted strings; others are written {@code name*=utf-8''...} (RFC 8187).
         *
         * @param type a token: {@code attachment}, {@code inline}, {@code form-data}
         * @param namesAndValues parameter name, value, name, value..., e.g. {@code "filename", "x.bin"}
         * @return this part
         * @throws IllegalArgumentException if the count is odd, the type or a name is not a token,
         *         or a value holds a control character but HTAB
         */
        public Part setContentDisposition(String type, String... namesAndValues) {
            Checks.notNull(namesAndValues, "namesAndValues");
            if (namesAndValues.length % 2 != 0) {
                throw new IllegalArgumentException("Content-Disposition parameters must be given as name, value pairs, got "
                        + namesAndValues.length + " strings");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                params.put(Checks.notNull(namesAndValues[i], "Content-Disposition parameter name"), namesAndValues[i + 1]);
            }
            return setContentDisposition(type, params);
        }

        /**
         * Sets the Content-Disposition from a map of parameters, in its order.
         *
         * @param type a token: {@code attachment}, {@code inline}, {@code form-data}
         * @param params the parameters
         * @return this part
         * @throws IllegalArgumentException as {@link #setContentDisposition(String, String...)}
         */
        public Part setContentDisposition(String type, Map<String, String> params) {
            headers.set("Content-Disposition", ContentDisposition.header(type, params));
            return this;
        }

        /**
         * Returns the size of the content in bytes: aiohttp's {@code payload.size}.
         *
         * @return the size, or empty for a file (read when the body is sent) or a nested writer with one
         */
        public OptionalLong size() {
            if (content instanceof byte[] data) {
                return OptionalLong.of(data.length);
            }
            if (content instanceof MultipartWriter nested) {
                return nested.size();
            }
            return OptionalLong.empty();
        }

        /**
         * Returns e.g. {@code MultipartWriter.Part[text/plain; charset=utf-8, 11 bytes]}.
         *
         * @return the content type and what the content is
         */
        @Override
        public String toString() {
            String what = content instanceof byte[] data ? data.length + " bytes"
                    : content instanceof Path file ? "file " + file : "nested " + content;
            return "MultipartWriter.Part[" + headers.get("Content-Type") + ", " + what + "]";
        }
    }
}

package dev.aio4j.http;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.streams.StreamReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a {@code multipart/*} body (RFC 2046 section 5.1, RFC 7578) part by part from a
 * {@link StreamReader}, without holding more than one piece of a part in memory: a response's
 * {@code content()}, or (on the server) a request's.
 *
 * <pre>{@code
 * MultipartReader parts = new MultipartReader(response.headers().get("Content-Type"), response.content());
 * for (MultipartReader.BodyPart part; (part = parts.next()) != null; ) {
 *     if ("photo".equals(part.name())) {
 *         for (byte[] chunk; (chunk = part.readChunk(65536)).length > 0; ) { out.write(chunk); }
 *     }
 * }
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.MultipartReader} and {@code BodyPartReader} ({@code next()},
 * {@code read_chunk()}, {@code read()}, {@code text()}, {@code release()}, {@code name},
 * {@code filename}). <b>Differences:</b> a part that is itself multipart is returned as a plain
 * part (read its bytes with another {@code MultipartReader} over a detached {@link StreamReader});
 * {@link BodyPart#read(int)} takes the most bytes it may return, so a hostile part cannot fill
 * memory.
 *
 * <p><b>Cancellation:</b> every reading method may suspend; if the task is cancelled while it
 * waits, the bytes not yet returned stay in the reader and in the underlying stream.
 *
 * <p><b>Threading:</b> loop-confined, like its {@link StreamReader}.
 *
 * @since 0.1
 */
public final class MultipartReader {
    /*
     * Maintainer notes. `pending` holds bytes read from the stream and not yet returned, starting
     * at `pendingStart`. A part's data ends where "\r\n--" + boundary starts (`delimiter`); while
     * searching, the last delimiter.length - 1 bytes are kept back in case the delimiter is split
     * across reads. States: BEFORE_FIRST (preamble not read), IN_PART (`current` is being read),
     * BETWEEN (a delimiter was consumed, its line end not yet), DONE (close delimiter seen).
     */
    private enum State { BEFORE_FIRST, IN_PART, BETWEEN, DONE }

    /** Header lines of one part, at most. */
    public static final int MAX_PART_HEADERS = 64;
    /** Bytes of one part's header section, at most. */
    public static final int MAX_PART_HEAD_BYTES = 16 * 1024;
    private static final int READ = 64 * 1024;

    private final StreamReader stream;
    private final String boundary;
    private final byte[] delimiter;
    private byte[] pending = new byte[0];
    private int pendingStart;
    private State state = State.BEFORE_FIRST;
    private BodyPart current;
    private boolean streamEof;

    /**
     * A reader of the multipart body in {@code stream}, whose boundary comes from {@code contentType}.
     *
     * @param contentType the Content-Type, e.g. {@code multipart/form-data; boundary=xyz}
     * @param stream the body
     * @throws IllegalArgumentException if the content type is not multipart or has no valid boundary
     */
    public MultipartReader(String contentType, StreamReader stream) {
        this.stream = Checks.notNull(stream, "stream");
        this.boundary = boundaryOf(Checks.notNull(contentType, "contentType"));
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The boundary parameter of a multipart Content-Type.
     *
     * @throws IllegalArgumentException if there is none, or it breaks RFC 2046's 1 to 70 characters
     */
    static String boundaryOf(String contentType) {
        String[] pieces = contentType.split(";");
        if (!pieces[0].strip().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new IllegalArgumentException("contentType must be multipart/*, got " + Escaping.quote(contentType));
        }
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).strip();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (b.isEmpty() || b.length() > 70 || b.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
                    throw new IllegalArgumentException("multipart boundary must be 1 to 70 printable ASCII characters "
                            + "(RFC 2046 section 5.1.1), got " + Escaping.quote(b));
                }
                return b;
            }
        }
        throw new IllegalArgumentException("contentType has no boundary parameter, got " + Escaping.quote(contentType));
    }

    /**
     * Returns the boundary.
     *
     * @return the boundary from the Content-Type
     */
    public String boundary() {
        return boundary;
    }

    /**
     * Moves to the next part, skipping what is left of the current one.
     *
     * <p><b>Cancellation:</b> may suspend; see the class comment.
     *
     * @return the next part, or null after the last one
     * @throws IOException if the stream broke, or ended before the closing boundary
     *     ({@link java.io.EOFException})
     * @throws BadHttpMessage if the framing or a part's head is malformed, or a part's head is
     *     over {@link #MAX_PART_HEAD_BYTES} or {@link #MAX_PART_HEADERS}
     */
    public BodyPart next() throws IOException {
        if (state == State.DONE) {
            return null;
        }
        if (state == State.BEFORE_FIRST) {
            skipPreamble();
        } else {
            if (state == State.IN_PART) {
                current.release();
            }
            afterDelimiter();
        }
        if (state == State.DONE) {
            return null;
        }
        current = new BodyPart(readPartHead());
        state = State.IN_PART;
        return current;
    }

    /** Reads up to and including the first delimiter line ("--boundary"), which needs no CRLF before it. */
    private void skipPreamble() throws IOException {
        byte[] first = Arrays.copyOfRange(delimiter, 2, delimiter.length); // "--" + boundary
        boolean atBodyStart = true; // nothing of the body has been dropped yet
        while (true) {
            int at = indexOf(pending, pendingStart, first);
            if (at >= 0) {
                if (at == 0 && atBodyStart || precededByCrlf(at)) {
                    pendingStart = at + first.length;
                    afterDelimiter();
                    return;
                }
                pendingStart = at + 1; // "--boundary" inside a preamble line: keep looking
                continue;
            }
            // drop the preamble but keep a tail that may hold a split delimiter and the CRLF before it
            int keepFrom = Math.max(pendingStart, pending.length - first.length - 2);
            if (keepFrom > 0) {
                atBodyStart = false;
            }
            pendingStart = keepFrom;
            if (!fill()) {
                throw new java.io.EOFException("multipart body ended before its first boundary \"--" + boundary + "\"");
            }
        }
    }

    private boolean precededByCrlf(int at) {
        return at >= 2 && pending[at - 2] == '\r' && pending[at - 1] == '\n';
    }

    /** After "--boundary": "--" ends the body; otherwise optional padding, then CRLF. */
    private void afterDelimiter() throws IOException {
        while (available() < 2) {
            if (!fill()) {
                throw new java.io.EOFException("multipart body ended right after a boundary, before \"--\" or CRLF");
            }
        }
        if (pending[pendingStart] == '-' && pending[pendingStart + 1] == '-') {
            pendingStart += 2;
            state = State.DONE;
            return; // the epilogue, if any, is left unread in the stream's buffer
        }
        String line = readLine("the line after a boundary");
        if (!line.isBlank()) {
            throw new BadHttpMessage(BadHttpMessage.Kind.BAD_CHUNK, "multipart boundary is followed by text other than"
                    + " padding", -1, Escaping.quote(line));
        }
        state = State.BETWEEN;
    }

    private Headers readPartHead() throws IOException {
        Headers h = new Headers();
        int bytes = 0;
        while (true) {
            String line = readLine("a part's header line");
            bytes += line.length() + 2;
            if (line.isEmpty()) {
                return h.readOnlyCopy();
            }
            if (bytes > MAX_PART_HEAD_BYTES || h.size() >= MAX_PART_HEADERS) {
                throw new BadHttpMessage(BadHttpMessage.Kind.HEADERS_TOO_LARGE, "a multipart part's head is over "
                        + MAX_PART_HEAD_BYTES + " bytes or " + MAX_PART_HEADERS + " fields", MAX_PART_HEAD_BYTES,
                        Escaping.quote(line));
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !Checks.isToken(line.substring(0, colon))) {
                throw new BadHttpMessage(BadHttpMessage.Kind.INVALID_HEADER, "a multipart part's header line is not"
                        + " name: value", -1, Escaping.quote(line));
            }
            h.add(line.substring(0, colon), line.substring(colon + 1).strip());
        }
    }

    /** A CRLF-terminated line (ISO-8859-1 bytes kept as chars, UTF-8 decoded), at most MAX_PART_HEAD_BYTES long. */
    private String readLine(String what) throws IOException {
        while (true) {
            for (int i = pendingStart; i + 1 < pending.length; i++) {
                if (pending[i] == '\r' && pending[i + 1] == '\n') {
                    String line = new String(pending, pendingStart, i - pendingStart, StandardCharsets.UTF_8);
                    pendingStart = i + 2;
                    return line;
                }
            }
            if (available() > MAX_PART_HEAD_BYTES) {
                throw new BadHttpMessage(BadHttpMessage.Kind.LINE_TOO_LONG, what + " is longer than "
                        + MAX_PART_HEAD_BYTES + " bytes", MAX_PART_HEAD_BYTES, Escaping.quote(pending, pendingStart, 64));
            }
            if (!fill()) {
                throw new java.io.EOFException("multipart body ended in " + what);
            }
        }
    }

    private int available() {
        return pending.length - pendingStart;
    }

    /** Reads more from the stream into `pending`; false at end of stream. */
    private boolean fill() throws IOException {
        if (streamEof) {
            return false;
        }
        byte[] more = stream.read(READ);
        if (more.length == 0) {
            streamEof = true;
            return false;
        }
        byte[] next = new byte[available() + more.length];
        System.arraycopy(pending, pendingStart, next, 0, available());
        System.arraycopy(more, 0, next, available(), more.length);
        pending = next;
        pendingStart = 0;
        return true;
    }

    /** Where {@code needle} first occurs in {@code hay} at or after {@code from}, or -1. */
    static int indexOf(byte[] hay, int from, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Returns e.g. {@code MultipartReader[boundary=xyz, IN_PART]}.
     *
     * @return the reader's boundary and state
     */
    @Override
    public String toString() {
        return "MultipartReader[boundary=" + boundary + ", " + state + "]";
    }

    /**
     * One part of a multipart body: its head, and its data read in pieces.
     *
     * <p><b>aiohttp:</b> {@code aiohttp.BodyPartReader}.
     *
     * @since 0.1
     */
    public final class BodyPart {
        private final Headers headers;
        private boolean done;

        private BodyPart(Headers headers) {
            this.headers = headers;
        }

        /**
         * Returns the part's header fields.
         *
         * @return the part's header fields (read-only)
         */
        public Headers headers() {
            return headers;
        }

        /**
         * Returns the {@code name} parameter of Content-Disposition, or null.
         *
         * @return the form field's name
         */
        public String name() {
            return dispositionParam("name");
        }

        /**
         * Returns the {@code filename} parameter of Content-Disposition, or null.
         *
         * @return the file name the sender gave
         */
        public String filename() {
            return dispositionParam("filename");
        }

        private String dispositionParam(String param) {
            String cd = headers.get("Content-Disposition");
            if (cd == null) {
                return null;
            }
            int i = 0;
            while (i < cd.length()) {
                int semi = cd.indexOf(';', i);
                if (semi < 0) {
                    return null;
                }
                int j = semi + 1;
                while (j < cd.length() && cd.charAt(j) == ' ') {
                    j++;
                }
                int eq = cd.indexOf('=', j);
                if (eq < 0) {
                    return null;
                }
                String key = cd.substring(j, eq).strip();
                int vStart = eq + 1;
                String value;
                int end;
                if (vStart < cd.length() && cd.charAt(vStart) == '"') {
                    int close = cd.indexOf('"', vStart + 1);
                    end = close < 0 ? cd.length() : close + 1;
                    value = cd.substring(vStart + 1, close < 0 ? cd.length() : close);
                } else {
                    int next = cd.indexOf(';', vStart);
                    end = next < 0 ? cd.length() : next;
                    value = cd.substring(vStart, end).strip();
                }
                if (key.equalsIgnoreCase(param)) {
                    return value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
                }
                i = end;
            }
            return null;
        }

        /**
         * Returns whether the part's data has been read to its end.
         *
         * @return whether the part is read
         */
        public boolean atEof() {
            return done;
        }

        /**
         * Reads up to {@code size} bytes of the part.
         *
         * <p><b>Cancellation:</b> may suspend; see the class comment.
         *
         * @param size the most bytes to return, &gt; 0
         * @return the next bytes; empty once the part is read
         * @throws IOException if the stream broke or ended inside the part
         */
        public byte[] readChunk(int size) throws IOException {
            Checks.positive(size, "size");
            if (done) {
                return new byte[0];
            }
            while (true) {
                int at = indexOf(pending, pendingStart, delimiter);
                if (at >= 0) {
                    int n = Math.min(size, at - pendingStart);
                    byte[] out = Arrays.copyOfRange(pending, pendingStart, pendingStart + n);
                    pendingStart += n;
                    if (pendingStart == at) {
                        pendingStart += delimiter.length;
                        done = true;
                    }
                    if (n > 0 || done) {
                        return out;
                    }
                }
                int safe = available() - (delimiter.length - 1);
                if (safe > 0 && (safe >= size || streamEof)) {
                    int n = Math.min(size, safe);
                    byte[] out = Arrays.copyOfRange(pending, pendingStart, pendingStart + n);
                    pendingStart += n;
                    return out;
                }
                if (!fill()) {
                    if (safe > 0) {
                        continue; // return what is safe, then fail on the next call
                    }
                    throw new java.io.EOFException("multipart body ended inside a part, before the boundary \"--"
                            + boundary + "\"");
                }
            }
        }

        /**
         * Reads the rest of the part, refusing one longer than {@code maxBytes}.
         *
         * <p><b>Cancellation:</b> may suspend; see the class comment (bytes already collected are lost).
         *
         * @param maxBytes the most bytes the part may have
         * @return the part's remaining bytes
         * @throws IOException if the stream broke or ended inside the part
         * @throws ClientPayloadError if the part is longer than {@code maxBytes}
         */
        public byte[] read(int maxBytes) throws IOException {
            Checks.nonNegative(maxBytes, "maxBytes");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                byte[] chunk = readChunk(READ);
                if (chunk.length == 0) {
                    return out.toByteArray();
                }
                if (out.size() + chunk.length > maxBytes) {
                    throw new ClientPayloadError("multipart part " + (name() == null ? "" : "\"" + name() + "\" ")
                            + "is longer than " + maxBytes + " bytes; read it with readChunk(n), or pass a larger maxBytes",
                            null, null);
                }
                out.write(chunk, 0, chunk.length);
            }
        }

        /**
         * Reads the rest of the part as text, in the charset of its Content-Type (UTF-8 if none).
         *
         * <p><b>Cancellation:</b> as {@link #read(int)}.
         *
         * @param maxBytes the most bytes the part may have
         * @return the text
         * @throws IOException if the stream broke or ended inside the part
         */
        public String text(int maxBytes) throws IOException {
            return new String(read(maxBytes), charset());
        }

        private Charset charset() {
            String ct = headers.get("Content-Type");
            if (ct != null) {
                for (String p : ct.split(";")) {
                    String t = p.strip();
                    if (t.regionMatches(true, 0, "charset=", 0, 8)) {
                        try {
                            return Charset.forName(t.substring(8).replace("\"", "").strip());
                        } catch (RuntimeException e) {
                            throw new IllegalArgumentException("multipart part has an unknown charset: " + Escaping.quote(t), e);
                        }
                    }
                }
            }
            return StandardCharsets.UTF_8;
        }

        /**
         * Skips the rest of the part.
         *
         * <p><b>Cancellation:</b> may suspend; see the class comment.
         *
         * @throws IOException if the stream broke or ended inside the part
         */
        public void release() throws IOException {
            while (readChunk(READ).length > 0) {
                // skip
            }
        }

        /**
         * Returns e.g. {@code BodyPart[name=photo, filename=a.jpg]}.
         *
         * @return the part's name and file name
         */
        @Override
        public String toString() {
            return "BodyPart[name=" + name() + ", filename=" + filename() + (done ? ", read" : "") + "]";
        }
    }
}

package dev.aio4j.http;

import dev.aio4j.http.internal.Base64Decoder;
import dev.aio4j.http.internal.ContentDecoder;
import dev.aio4j.http.internal.ContentDisposition;
import dev.aio4j.http.internal.PullIterator;
import dev.aio4j.http.internal.QuotedPrintable;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;
import dev.aio4j.streams.StreamReader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>A part ends at a delimiter line (RFC 2046 section 5.1.1): CRLF {@code --boundary} followed by
 * {@code --} (the close delimiter), or by optional spaces or tabs and CRLF. {@code --boundary}
 * followed by anything else is the part's data, as aiohttp's {@code BodyPartReader.readline()}
 * takes only a line that is exactly the boundary (its {@code read_chunk()} stops there, and the
 * reader then fails with "Invalid boundary").
 *
 * <p>A part with a {@code Content-Length} header above 0 is that many bytes, as aiohttp's
 * {@code BodyPartReader} reads it (a delimiter line among them is data), and a delimiter line
 * must follow them; not in {@code multipart/form-data}, whose parts' Content-Length is ignored
 * (RFC 7578 section 4.8, as aiohttp). A Content-Length that is not 1 to 18 ASCII digits, or
 * repeated with another value, is a {@link BadHttpMessage} of kind
 * {@link BadHttpMessage.Kind#BAD_CONTENT_LENGTH} from {@link #next()}, as is a part whose
 * Content-Length bytes are not followed by a delimiter line (from the reading method).
 *
 * <p>In {@code multipart/form-data}, a first part named {@code _charset_} (RFC 7578 section 4.6,
 * as browsers send it for a form with such a hidden field) is read by {@link #next()} itself and
 * not returned: the charset it names is the default of the later parts' text
 * ({@link BodyPart#getCharset(String)}, {@link BodyPart#text(int)}), as aiohttp's reader takes
 * it. A value over 31 bytes, or a charset the JVM does not know, is a {@link BadHttpMessage} of
 * kind {@link BadHttpMessage.Kind#BAD_CONTENT_ENCODING} from {@link #next()} (aiohttp: a
 * {@code RuntimeError} "Invalid default charset" for the first; the second fails only when a
 * field is decoded, with a {@code LookupError}).
 *
 * <p>A body that ends (cleanly) before its close delimiter is an {@link java.io.EOFException}
 * whose cause is a {@link BadHttpMessage} of kind {@link BadHttpMessage.Kind#INCOMPLETE}, so that
 * a server handler that lets it out answers 400, as for a malformed part head (aiohttp raises
 * {@code ValueError}, which its server answers 500).
 *
 * <p>A reader that failed stays failed: after a malformed part head or framing, a part's read that
 * failed, or a body that ended early (an {@link IOException} of the stream too), every later {@link #next()}
 * and every read of its parts throws again, naming the first failure and with it as the cause
 * (a {@link BadHttpMessage} of the same kind, or for a body that ended early an
 * {@link java.io.EOFException} as the first). Once the framing broke, the rest of the body cannot
 * be trusted (the data of a refused part could be read as a part of its own), as an HTTP parser
 * reads nothing after a bad message. A part too long for {@link BodyPart#read(int)} or whose
 * encoding does not decode leaves the framing intact, and the reader usable; a cancelled call
 * does not fail the reader either.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.MultipartReader} and {@code BodyPartReader} ({@code next()},
 * {@code read_chunk()}, {@code read()}, {@code read(decode=True)}, {@code decode()}, {@code decode_iter()},
 * {@code text()}, {@code release()}, {@code name}, {@code filename}). <b>Differences:</b> a part that is itself multipart is returned as a plain
 * part (read its bytes with another {@code MultipartReader} over a detached {@link StreamReader});
 * {@link BodyPart#read(int)} takes the most bytes it may return, so a hostile part cannot fill
 * memory. Part heads are read as UTF-8 (ISO-8859-1 when they are not valid UTF-8); the reader
 * scans each byte for the boundary once, whatever the sizes of the pieces it arrives in.
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
     * Maintainer notes. `buf[start, end)` holds the bytes read from the stream and not yet
     * consumed. The array grows by doubling and is compacted (the live bytes moved to index 0)
     * only while they fill at most half of it, so each byte is copied a bounded number of times
     * however small the stream's pieces are.
     *
     * A part's data ends where a delimiter line starts (RFC 2046 section 5.1.1): `delimiter`
     * ("\r\n--" + boundary) followed by "--" (the close delimiter), or by optional linear
     * whitespace and CRLF. "\r\n--" + boundary followed by anything else is data, as aiohttp's
     * BodyPartReader.readline() takes only a line that is exactly the boundary. `scanFrom` is where
     * the search goes on: no position before it starts a delimiter line. When `delimiter` matched
     * at `cand` but the bytes after it have not all arrived, `cand` holds it (scanFrom == cand),
     * `suffixAt` is the next byte after it to examine and `suffix` what that byte may be; so every
     * byte is examined once, however the body arrives and however it is read. A candidate that
     * fails is dropped and the search goes on at the byte that decided it (the positions between
     * cannot start a delimiter: a boundary holds no CR, and the padding is spaces and tabs).
     * With assertions on (the tests) `examined` counts the positions examined, as delimiter starts
     * or as bytes after a candidate, and `received` the bytes read, and scan() asserts
     * examined <= received: a search that went back over bytes (quadratic for a body arriving in
     * small pieces) fails every test that reads a multipart body. Nothing outside the reader could
     * count the search otherwise (it reads only `buf`); with assertions off the counts cost
     * nothing. The bytes from `scanFrom` to `end` may be the beginning of a delimiter split across
     * reads; all bytes before it can be returned. `found` is the delimiter's position once seen.
     *
     * The body starts with a CRLF the stream never sent (the buffer is created holding it), so the
     * first boundary at the very start ("--b\r\n", no CRLF before it) is found by the same search
     * as one after a preamble.
     *
     * The empty line that ends a part's head is left in the buffer (`headCrlf`): RFC 2046's
     * delimiter is CRLF "--" boundary, and in a part with no body that CRLF is the head's last one
     * ("--b\r\nX: y\r\n\r\n--b"), as aiohttp's reader treats it (it puts the CRLF back). When no
     * delimiter starts there, the two bytes are dropped, as they are not data.
     *
     * A part with a Content-Length (BodyPart.length) is not searched: lengthChunk() returns its
     * bytes, and delimiterFollows() examines the delimiter line at their end with the same
     * `cand`/`suffixAt` state as scan(), so makeRoom() keeps it across reads and a cancelled call
     * resumes it.
     *
     * States: BEFORE_FIRST (preamble not read), IN_PART (`current` is being read), HEAD (a
     * delimiter and its line end were consumed, the next part's head is being read: the lines
     * read so far are in `headFields`, so a next() cancelled here goes on with the head and never
     * consumes the delimiter again), DONE (the close delimiter was seen).
     */
    private enum State { BEFORE_FIRST, IN_PART, HEAD, DONE }

    /** What the byte at {@code suffixAt} after a delimiter candidate may be. */
    private enum Suffix {
        /** The first byte: '-', CR, a space or tab; anything else is data. */
        FIRST,
        /** After '-': '-' ends the body. */
        DASH,
        /** After spaces or tabs: more of them, or CR. */
        PADDING,
        /** After CR: LF. */
        LF
    }

    /** Header lines of one part, at most. */
    public static final int MAX_PART_HEADERS = 64;
    /**
     * Bytes a base64 part's chunk may go past the size asked for, to end at a whole group of four
     * when the size holds none (a group and its line breaks take far fewer).
     */
    private static final int B64_SLACK = 64;
    /** Bytes of one part's header section, at most. */
    public static final int MAX_PART_HEAD_BYTES = 16 * 1024;
    private static final int READ = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];
    /** Malformed Content-Disposition of a part (aiohttp's warnings), at DEBUG; see {@link BodyPart#filename()}. */
    static final System.Logger LOG = System.getLogger("dev.aio4j.http.multipart");

    private final StreamReader stream;
    private final String boundary;
    /** multipart/form-data: a part's Content-Encoding is not decoded (RFC 7578 section 4.8), as aiohttp. */
    private final boolean formData;
    private final byte[] delimiter;
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    private int scanFrom;
    private int found = -1;
    /** A delimiter match whose following bytes are still being examined, or -1; see the notes. */
    private int cand = -1;
    private int suffixAt;
    private Suffix suffix;
    private boolean headCrlf;
    /** With assertions on only: positions the delimiter search examined, bytes read from the stream. */
    private long examined;
    private long received;
    private State state = State.BEFORE_FIRST;
    /** In state HEAD: the head's fields read so far, and their bytes with CRLFs; see the notes. */
    private List<String[]> headFields;
    private int headBytes;
    /** In state HEAD: whether the head is the first part's (a {@code _charset_} part is looked for only there). */
    private boolean firstHead;
    private BodyPart current;
    /** The first failure of the framing or the stream: the reader refuses every later call; see the class comment. */
    private Exception failure;
    private boolean streamEof;
    /**
     * The charset a first {@code _charset_} part named (RFC 7578 section 4.6), or null: the
     * default of the later parts' {@link BodyPart#getCharset(String)}.
     */
    private String defaultCharset;
    /** The {@code _charset_} part's value read so far, while it is read (a cancelled next() goes on with it), else null. */
    private ByteArrayOutputStream charsetValue;

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
        int semi = contentType.indexOf(';');
        this.formData = (semi < 0 ? contentType : contentType.substring(0, semi)).strip()
                .equalsIgnoreCase("multipart/form-data");
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[] {'\r', '\n'}; // the CRLF before the first boundary: see the notes
        this.end = 2;
        assert receivedMore(2);
    }

    /**
     * The boundary parameter of a multipart Content-Type.
     *
     * @throws IllegalArgumentException if there is none, or it breaks RFC 2046's 1 to 70 characters
     */
    static String boundaryOf(String contentType) {
        int semi = contentType.indexOf(';');
        String type = semi < 0 ? contentType : contentType.substring(0, semi);
        if (!type.strip().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new IllegalArgumentException("contentType must be multipart/*, got " + Escaping.quote(contentType));
        }
        int i = semi < 0 ? contentType.length() : semi + 1;
        while (i < contentType.length()) {
            // one parameter: name = token or quoted-string (RFC 9110 section 5.6.6); a ';' inside quotes is the value's
            int eq = contentType.indexOf('=', i);
            int nextSemi = contentType.indexOf(';', i);
            if (eq < 0 || nextSemi >= 0 && nextSemi < eq) {
                i = nextSemi < 0 ? contentType.length() : nextSemi + 1;
                continue;
            }
            String name = contentType.substring(i, eq).strip();
            int v = eq + 1;
            while (v < contentType.length() && (contentType.charAt(v) == ' ' || contentType.charAt(v) == '\t')) {
                v++;
            }
            StringBuilder value = new StringBuilder();
            if (v < contentType.length() && contentType.charAt(v) == '"') {
                int j = v + 1;
                while (j < contentType.length() && contentType.charAt(j) != '"') {
                    if (contentType.charAt(j) == '\\' && j + 1 < contentType.length()) {
                        j++; // a quoted-pair: the next character as it is
                    }
                    value.append(contentType.charAt(j++));
                }
                int end = contentType.indexOf(';', j); // j is at the closing quote, or the end
                i = end < 0 ? contentType.length() : end + 1;
            } else {
                int end = contentType.indexOf(';', v);
                value.append(contentType.substring(v, end < 0 ? contentType.length() : end).strip());
                i = end < 0 ? contentType.length() : end + 1;
            }
            if (name.equalsIgnoreCase("boundary")) {
                String b = value.toString();
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
     *     ({@link java.io.EOFException}, whose cause is a {@link BadHttpMessage} of kind
     *     {@link BadHttpMessage.Kind#INCOMPLETE}: a server answers it 400)
     * @throws BadHttpMessage if the framing or a part's head is malformed (a Content-Length among
     *     them, see the class comment), or a part's head (or the padding after a boundary) is over
     *     {@link #MAX_PART_HEAD_BYTES} or {@link #MAX_PART_HEADERS}, or a first {@code _charset_}
     *     part holds more than 31 bytes or a charset the JVM does not know (see the class comment);
     *     or, once the reader failed, at every call (see the class comment)
     */
    public BodyPart next() throws IOException {
        refuseIfFailed();
        try {
            if (charsetValue != null) {
                readDefaultCharset(); // a cancelled next() was reading the _charset_ part: go on with it
            }
            return advance();
        } catch (BadHttpMessage | IOException e) {
            failed(e);
            throw e;
        }
    }

    /**
     * Throws, naming the first failure, if the reader failed: the exception of the same kind as
     * that one (so a server answers as it did), with it as the cause.
     */
    private void refuseIfFailed() throws IOException {
        if (failure == null) {
            return;
        }
        String what = "this MultipartReader already failed (" + failure.getMessage() + "): after a malformed or "
                + "cut short multipart body nothing more of it can be trusted; stop reading it";
        if (failure instanceof BadHttpMessage b) {
            throw new BadHttpMessage(b.kind(), what, b);
        }
        if (failure instanceof java.io.EOFException && failure.getCause() instanceof BadHttpMessage b) { // ended()
            java.io.EOFException e = new java.io.EOFException(what);
            e.initCause(new BadHttpMessage(b.kind(), what, failure));
            throw e;
        }
        throw new IOException(what, failure);
    }

    /** Records {@code e} as the reader's failure if it is the first. */
    private void failed(Exception e) {
        if (failure == null) {
            failure = e;
        }
    }

    /** {@link #next()} of a reader that has not failed. */
    private BodyPart advance() throws IOException {
        if (state == State.DONE) {
            return null;
        }
        if (state == State.BEFORE_FIRST) {
            skipPreamble();
            firstHead = true;
        } else if (state == State.IN_PART) {
            current.release();
            afterDelimiter();
            firstHead = false;
        } // else HEAD: a cancelled next() was reading the head, and goes on with it
        if (state == State.DONE) {
            return null;
        }
        current = new BodyPart(readPartHead());
        state = State.IN_PART;
        if (firstHead && formData && "_charset_".equals(current.name())) {
            charsetValue = new ByteArrayOutputStream();
            readDefaultCharset();
            return next(); // the _charset_ part is read to its end: on to the first field
        }
        return current;
    }

    /**
     * Reads the rest of the {@code _charset_} part (RFC 7578 section 4.6) into {@code charsetValue},
     * then takes the charset it names as the default of the later parts, as aiohttp's
     * {@code MultipartReader.next()}: at most 31 bytes, ASCII whitespace around them dropped,
     * nothing (an empty value) meaning no default.
     */
    private void readDefaultCharset() throws IOException {
        for (byte[] c; (c = current.readChunk(32)).length > 0; ) {
            charsetValue.write(c, 0, c.length);
            if (charsetValue.size() > 31) {
                byte[] read = charsetValue.toByteArray();
                charsetValue = null;
                throw new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_ENCODING, "invalid default charset: the "
                        + "_charset_ part of a multipart/form-data body (RFC 7578 section 4.6) must hold a charset name, "
                        + "and is longer than 31 bytes", 31, Escaping.quote(read));
            }
        }
        byte[] v = charsetValue.toByteArray();
        charsetValue = null;
        int from = 0;
        int to = v.length;
        while (from < to && isAsciiSpace(v[from])) {
            from++;
        }
        while (to > from && isAsciiSpace(v[to - 1])) {
            to--;
        }
        if (from == to) {
            return; // aiohttp keeps "", which falls back to the default as no _charset_ part does
        }
        String name = new String(v, from, to - from, StandardCharsets.ISO_8859_1);
        boolean known;
        try {
            known = Charset.isSupported(name);
        } catch (IllegalArgumentException e) { // IllegalCharsetNameException
            known = false;
        }
        if (!known) {
            throw new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_ENCODING, "invalid default charset: the "
                    + "_charset_ part of a multipart/form-data body (RFC 7578 section 4.6) names a charset the JVM does "
                    + "not know", -1, Escaping.quote(name));
        }
        defaultCharset = name;
    }

    /** Python's {@code bytes.strip()} whitespace: space, tab, LF, VT, FF, CR. */
    private static boolean isAsciiSpace(byte b) {
        return b == ' ' || b >= '\t' && b <= '\r';
    }

    /** Reads up to and including the first delimiter ("--boundary"), which needs no CRLF before it at the body's start. */
    private void skipPreamble() throws IOException {
        scanFrom = start;
        while (true) {
            scan();
            if (found >= 0) {
                start = found + delimiter.length;
                found = -1;
                afterDelimiter();
                return;
            }
            start = Math.max(start, scanFrom); // the preamble examined so far is dropped
            if (!fill()) {
                throw ended("multipart body ended before its first boundary \"--" + boundary + "\"");
            }
        }
    }

    /**
     * After "--boundary", which scan() found followed by "--" or by padding and CRLF: "--" ends the
     * body; otherwise the padding and CRLF are skipped.
     */
    private void afterDelimiter() throws IOException {
        if (buf[start] == '-') {
            state = State.DONE;
            return; // the close delimiter's "--" and the epilogue are never read: nothing reads the buffer after DONE
        }
        int eol = start;
        while (buf[eol] != '\r') {
            eol++;
        }
        start = eol + 2;
        state = State.HEAD;
        headFields = new ArrayList<>();
        headBytes = 0;
    }

    /**
     * Reads the head of the part whose delimiter was consumed (state HEAD). A line is consumed
     * once it is whole and kept in {@code headFields}, so a call cancelled while the head arrives
     * leaves the reader where it was, and the next call goes on from the line it waited for.
     */
    private Headers readPartHead() throws IOException {
        List<String[]> fields = headFields;
        while (true) {
            int eol = lineEnd("a part's header line");
            int length = eol - start;
            if (length == 0) {
                // the CRLF stays: it may be the start of the delimiter of an empty part
                headCrlf = true;
                scanFrom = start;
                found = -1;
                cand = -1;
                headFields = null;
                return Headers.receivedPartHeaders(fields);
            }
            String line = headLine(buf, start, length);
            if (headBytes + length + 2 > MAX_PART_HEAD_BYTES || fields.size() >= MAX_PART_HEADERS) {
                throw new BadHttpMessage(BadHttpMessage.Kind.HEADERS_TOO_LARGE, "a multipart part's head is over "
                        + MAX_PART_HEAD_BYTES + " bytes or " + MAX_PART_HEADERS + " fields", MAX_PART_HEAD_BYTES,
                        Escaping.quote(line));
            }
            start = eol + 2;
            int colon = line.indexOf(':');
            if (colon <= 0 || !Checks.isToken(line.substring(0, colon))) {
                throw new BadHttpMessage(BadHttpMessage.Kind.INVALID_HEADER, "a multipart part's header line is not"
                        + " name: value", -1, Escaping.quote(line));
            }
            String value = line.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7F) {
                    throw new BadHttpMessage(BadHttpMessage.Kind.INVALID_HEADER, "a multipart part's header value holds"
                            + " a control character", -1, Escaping.quote(line));
                }
            }
            headBytes += length + 2;
            fields.add(new String[] {line.substring(0, colon), value});
        }
    }

    /**
     * A part's header line: UTF-8, as browsers send file names (the HTML standard, RFC 7578
     * section 5.1.3), or ISO-8859-1 when the bytes are not valid UTF-8 (older clients).
     */
    private static String headLine(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    /** Where the CRLF ending the line at {@code start} is (not consumed); the line is at most MAX_PART_HEAD_BYTES long. */
    private int lineEnd(String what) throws IOException {
        int from = start;
        while (true) {
            for (int i = from; i + 1 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    return i;
                }
            }
            if (end - start > MAX_PART_HEAD_BYTES) {
                throw new BadHttpMessage(BadHttpMessage.Kind.LINE_TOO_LONG, what + " is longer than "
                        + MAX_PART_HEAD_BYTES + " bytes", MAX_PART_HEAD_BYTES, Escaping.quote(buf, start, 64));
            }
            int resumeAt = Math.max(0, end - 1 - start); // a CR at the end may meet its LF in the next read
            if (!fill()) {
                throw ended("multipart body ended in " + what);
            }
            from = start + resumeAt;
        }
    }

    /**
     * Looks for a delimiter line from {@code scanFrom} on, in what has arrived; sets {@code found},
     * or moves {@code scanFrom} to the first position that could still start one (a candidate
     * waiting for the bytes that decide it, {@code cand}, among them).
     *
     * @throws BadHttpMessage if the padding after a boundary is longer than {@link #MAX_PART_HEAD_BYTES}
     */
    private void scan() {
        if (found >= 0) {
            return;
        }
        while (true) {
            if (cand < 0) {
                int from = Math.max(scanFrom, start);
                int last = end - delimiter.length;
                int i = from;
                while (i <= last && !(buf[i] == '\r' && Arrays.equals(buf, i + 1, i + delimiter.length, delimiter, 1,
                        delimiter.length))) {
                    i++;
                }
                if (i > last) {
                    scanFrom = Math.max(from, last + 1);
                    assert examinedOnce(Math.max(0, last - from + 1));
                    return;
                }
                assert examinedOnce(i - from + 1);
                cand = i;
                scanFrom = i;
                suffixAt = i + delimiter.length;
                suffix = Suffix.FIRST;
            }
            int decided = examineSuffix();
            if (decided == 0) {
                return; // the bytes that decide have not arrived
            }
            if (decided > 0) {
                found = cand;
                cand = -1;
                return;
            }
            cand = -1;
            scanFrom = suffixAt; // the byte that decided: it may start a delimiter itself
        }
    }

    /**
     * Examines the bytes after the candidate {@code cand}, from {@code suffixAt}: 1 if they make it
     * a delimiter line, -1 if not (the deciding byte is at {@code suffixAt}), 0 if more must arrive.
     */
    private int examineSuffix() {
        while (suffixAt < end) {
            byte b = buf[suffixAt];
            assert examinedOnce(1);
            switch (suffix) {
                case FIRST -> {
                    if (b == '-') {
                        suffix = Suffix.DASH;
                    } else if (b == '\r') {
                        suffix = Suffix.LF;
                    } else if (b == ' ' || b == '\t') {
                        suffix = Suffix.PADDING;
                    } else {
                        return -1;
                    }
                }
                case DASH -> {
                    return b == '-' ? 1 : -1;
                }
                case LF -> {
                    return b == '\n' ? 1 : -1;
                }
                case PADDING -> {
                    if (b == '\r') {
                        suffix = Suffix.LF;
                    } else if (b != ' ' && b != '\t') {
                        return -1;
                    } else if (suffixAt - (cand + delimiter.length) >= MAX_PART_HEAD_BYTES) {
                        throw new BadHttpMessage(BadHttpMessage.Kind.LINE_TOO_LONG, "the padding after a multipart "
                                + "boundary is longer than " + MAX_PART_HEAD_BYTES + " bytes", MAX_PART_HEAD_BYTES,
                                Escaping.quote(buf, cand + 2, 64));
                    }
                }
            }
            suffixAt++;
        }
        return 0;
    }

    /** Assertion: counts {@code n} more positions examined; throws if they outnumber the bytes received. */
    private boolean examinedOnce(int n) {
        examined += n;
        if (examined > received) {
            throw new AssertionError("the multipart delimiter search examined " + examined + " positions of " + received
                    + " bytes received: it went back over bytes it had examined");
        }
        return true;
    }

    /** Assertion: counts {@code n} more bytes received. */
    private boolean receivedMore(int n) {
        received += n;
        return true;
    }

    /**
     * The stream ended before the close delimiter. The stream's framing said the body was whole
     * (a broken connection is the stream's own exception instead), so the multipart body is
     * malformed: the cause, a {@link BadHttpMessage} of kind {@link BadHttpMessage.Kind#INCOMPLETE},
     * makes a server answer 400, as for any body whose framing broke, not 500.
     */
    private static java.io.EOFException ended(String message) {
        java.io.EOFException e = new java.io.EOFException(message);
        e.initCause(new BadHttpMessage(BadHttpMessage.Kind.INCOMPLETE, message, -1, null));
        return e;
    }

    /** Reads more from the stream into the buffer; false at end of stream. */
    private boolean fill() throws IOException {
        if (streamEof) {
            return false;
        }
        byte[] more = stream.read(READ);
        if (more.length == 0) {
            streamEof = true;
            return false;
        }
        makeRoom(more.length);
        System.arraycopy(more, 0, buf, end, more.length);
        end += more.length;
        assert receivedMore(more.length);
        return true;
    }

    /** Room for {@code n} more bytes at {@code end}: compacts while the live bytes fill at most half, else grows. */
    private void makeRoom(int n) {
        if (end + n <= buf.length) {
            return;
        }
        int live = end - start;
        byte[] target = live + n <= buf.length / 2 ? buf : new byte[Math.max(2 * buf.length, Math.max(live + n, 8192))];
        System.arraycopy(buf, start, target, 0, live);
        scanFrom = Math.max(0, scanFrom - start);
        assert found < 0 : "the buffer is filled only while no delimiter is found (rawChunk returns up to it)";
        if (cand >= 0) {
            cand -= start;
            suffixAt -= start;
        }
        buf = target;
        start = 0;
        end = live;
    }

    /**
     * The delimiter line of {@code boundary} that {@code data} makes as a part's content, as this
     * reader sees it ({@code "--" + boundary} or, for the close delimiter, that and {@code "--"}),
     * or null: the content is read between the CRLF ending the part's head and the CRLF before the
     * next delimiter, so it is looked for in CRLF + data + CRLF. Linear in the data's length.
     */
    static String delimiterLineIn(byte[] data, String boundary) {
        byte[] d = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[data.length + 4];
        all[0] = '\r';
        all[1] = '\n';
        System.arraycopy(data, 0, all, 2, data.length);
        all[all.length - 2] = '\r';
        all[all.length - 1] = '\n';
        // no bounds checks after a match: the final CRLF is in neither the boundary nor the padding
        int i = 0;
        while ((i = indexOf(all, i, d)) >= 0) {
            int k = i + d.length;
            if (all[k] == '-' && all[k + 1] == '-') {
                return "--" + boundary + "--";
            }
            while (all[k] == ' ' || all[k] == '\t') {
                k++;
            }
            if (all[k] == '\r' && all[k + 1] == '\n') {
                return "--" + boundary;
            }
            i = k; // the deciding byte: it may begin a delimiter itself
        }
        return null;
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
        /** Content-Transfer-Encoding: base64: chunks are cut at whole groups of four, see {@link #aligned}. */
        private final boolean base64;
        private ContentDisposition.Parsed disposition;
        private boolean done;
        /** The {@link #decodeIter(int)} in progress, ended when the part is read to its end or released. */
        private DecodedPieces decoding;
        /** {@link #aligned}: how many bytes from {@code start} were counted, and how many of them are significant. */
        private int b64Counted;
        private long b64Significant;
        /**
         * The part's Content-Length when the body is not multipart/form-data, else 0; 0 (also
         * without one) means the data ends at the delimiter: see {@link #readChunk(int)}.
         */
        private final long length;
        /** Bytes of {@link #length} not returned yet. */
        private long remaining;
        /** The reader's {@code _charset_} default when the part began, or null: see {@link #getCharset(String)}. */
        private final String readerDefault;

        private BodyPart(Headers headers) {
            this.headers = headers;
            this.readerDefault = defaultCharset;
            String te = headers.get("Content-Transfer-Encoding");
            this.base64 = te != null && te.strip().equalsIgnoreCase("base64");
            this.length = formData ? 0 : partLength(headers.getAll("Content-Length"));
            this.remaining = length;
        }

        /**
         * A part's Content-Length, as aiohttp's {@code BodyPartReader} reads it: ASCII digits only
         * (RFC 9110 section 8.6; aiohttp refuses a sign, {@code _}, or other digits that
         * {@code int()} takes), repeated only with the same value; 0 without one, as for 0 itself
         * (aiohttp tests {@code if self._length:}, so a part of length 0 is read to its delimiter too).
         */
        private static long partLength(List<String> values) {
            if (values.isEmpty()) {
                return 0;
            }
            String v = values.get(0);
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')
                    || !values.stream().allMatch(v::equals)) {
                throw new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_LENGTH, "a multipart part's Content-Length is "
                        + "not a number of bytes (1 to 18 ASCII digits, RFC 9110 section 8.6)", -1,
                        Escaping.quote(String.join(", ", values)));
            }
            return Long.parseLong(v);
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
         * Returns the {@code name} parameter of Content-Disposition, or null: {@code name*}
         * (RFC 5987) if there is one, else {@code name}.
         *
         * @return the form field's name
         */
        public String name() {
            return ContentDisposition.formDataParamOf(disposition(), "name");
        }

        /**
         * The Content-Disposition, parsed once; what was malformed is logged once per part, at
         * DEBUG on {@code dev.aio4j.http.multipart} (aiohttp warns BadContentDispositionHeader or
         * BadContentDispositionParam; the sender, often any client, controls it, so it is not
         * logged louder, as the server logs the requests it refuses).
         */
        private ContentDisposition.Parsed disposition() {
            if (disposition == null) {
                String header = headers.get("Content-Disposition");
                List<String> problems = new ArrayList<>(1);
                disposition = ContentDisposition.parse(header, problems::add);
                if (!problems.isEmpty() && LOG.isLoggable(System.Logger.Level.DEBUG)) {
                    LOG.log(System.Logger.Level.DEBUG, "malformed Content-Disposition of a multipart part: "
                            + String.join("; ", problems) + " (header: " + Escaping.quote(header) + ")");
                }
            }
            return disposition;
        }

        /**
         * Returns the file name of Content-Disposition, or null, as aiohttp's
         * {@code BodyPartReader.filename}: {@code filename*} (RFC 5987, e.g.
         * {@code UTF-8''na%C3%AFve.txt}) if there is one, else {@code filename}, else the RFC 2231
         * continuations {@code filename*0}, {@code filename*1}, ... joined; a leading {@code /} or
         * {@code \} is dropped. A malformed header gives null, and says why in the log: one
         * record per part, at DEBUG on the logger {@code dev.aio4j.http.multipart} (where aiohttp
         * warns {@code BadContentDispositionHeader} or {@code BadContentDispositionParam}).
         *
         * @return the file name the sender gave
         */
        public String filename() {
            return ContentDisposition.formDataParamOf(disposition(), "filename");
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
         * Reads up to {@code size} bytes of the part: what has arrived, as aiohttp's
         * {@code read_chunk}, without waiting for {@code size} bytes. It suspends only while
         * nothing of the part can be returned yet (the last bytes that arrived may be the
         * beginning of the boundary, and are kept until more comes). If the stream ends inside
         * the part, the bytes it had are returned first, and the next call throws.
         *
         * <p>A part whose {@code Content-Transfer-Encoding} is {@code base64} is cut at the end of
         * its last whole group of four characters (counting the alphabet and {@code =}), as
         * aiohttp's {@code read_chunk} cuts it, so that {@link #decode(byte[], int)} decodes each
         * chunk on its own; the rest is returned by the next call. So a chunk may be shorter than
         * what has arrived, and while less than one group has, the call waits for more. When
         * {@code size} bytes hold no whole group (a tiny size, or a run of spaces), the chunk goes
         * on to the end of its first group if that is at most 64 bytes further (as aiohttp lets a
         * chunk grow past the size by what it carried over), else it is {@code size} bytes as they
         * are (as aiohttp returns it). The part's last chunk is returned as it is.
         *
         * <p>A part with a Content-Length (see the class comment) is read by it: a delimiter line
         * among its bytes is data, and its last chunk is returned once the delimiter line after it
         * has arrived.
         *
         * <p><b>Cancellation:</b> may suspend; see the class comment.
         *
         * @param size the most bytes to return, &gt; 0 (for base64, see above)
         * @return the next bytes; empty once the part is read
         * @throws IOException if the stream broke or ended inside the part
         * @throws BadHttpMessage if the padding after a boundary is over {@link #MAX_PART_HEAD_BYTES},
         *     or (kind {@link BadHttpMessage.Kind#BAD_CONTENT_LENGTH}) no delimiter line follows the
         *     part's Content-Length bytes; or, once the reader failed, at every call (see the class comment)
         */
        public byte[] readChunk(int size) throws IOException {
            byte[] chunk = rawChunk(size);
            if (done) {
                endDecoding("the part was read to its end outside the iteration");
            }
            return chunk;
        }

        /**
         * {@link #readChunk(int)} without ending a {@link #decodeIter(int)} (which reads with it);
         * every read of the part goes through it, so a failure here fails the reader.
         */
        private byte[] rawChunk(int size) throws IOException {
            Checks.positive(size, "size");
            refuseIfFailed();
            try {
                return readRaw(size);
            } catch (BadHttpMessage | IOException e) {
                failed(e);
            throw e;
            }
        }

        /** {@link #rawChunk(int)} of a reader that has not failed. */
        private byte[] readRaw(int size) throws IOException {
            if (done) {
                return EMPTY;
            }
            if (length > 0) {
                return lengthChunk(size);
            }
            while (true) {
                scan();
                if (found >= 0) {
                    if (found == start) { // an empty part: the head's CRLF starts the delimiter
                        finish();
                        return EMPTY;
                    }
                    dropHeadCrlf();
                    return take(aligned(size, found - start, true)); // up to the part's end: never -1
                } else if (scanFrom > start) { // no delimiter at start: the head's CRLF is not data
                    dropHeadCrlf();
                    if (scanFrom > start) {
                        int k = aligned(size, scanFrom - start, false);
                        if (k >= 0) {
                            return take(k);
                        }
                    }
                }
                if (!fill()) {
                    dropHeadCrlf();
                    if (end > start) {
                        return take(Math.min(size, end - start)); // all of it, then the error below
                    }
                    throw ended("multipart body ended inside a part, before the boundary \"--"
                            + boundary + "\"");
                }
            }
        }

        /**
         * {@link #rawChunk(int)} of a part with a {@link #length}: its bytes as they arrive, a
         * delimiter among them being data; its last bytes are returned only with the delimiter line
         * after them seen (so a cancelled call loses nothing), which ends the part.
         */
        private byte[] lengthChunk(int size) throws IOException {
            dropHeadCrlf();
            while (true) {
                int avail = (int) Math.min(remaining, end - start);
                int k = avail == 0 ? -1 : aligned(size, avail, avail == remaining);
                if (k >= 0 && k < remaining) {
                    remaining -= k;
                    return take(k);
                }
                if (k >= 0 && delimiterFollows(start + k)) {
                    remaining = 0;
                    return take(k); // reaches `found`: the part is read
                }
                if (!fill()) {
                    int n = (int) Math.min(Math.min(size, remaining), end - start);
                    if (n > 0) {
                        remaining -= n;
                        return take(n); // what arrived, then the error below
                    }
                    throw ended("multipart body ended inside a part, before the boundary \"--" + boundary + "\"");
                }
            }
        }

        /**
         * Whether a delimiter line starts at {@code at}, the end of the part's {@link #length}:
         * true (and {@code found} set) if it does, false while its bytes have not all arrived;
         * resumes where the last call stopped ({@code cand}).
         *
         * @throws BadHttpMessage if the bytes there are not a delimiter line (aiohttp: "Reader did
         *     not read all the data or it is malformed")
         */
        private boolean delimiterFollows(int at) {
            if (cand < 0) {
                if (end - at < delimiter.length) {
                    return false;
                }
                if (!Arrays.equals(buf, at, at + delimiter.length, delimiter, 0, delimiter.length)) {
                    throw notFollowed(at);
                }
                cand = at;
                scanFrom = at;
                suffixAt = at + delimiter.length;
                suffix = Suffix.FIRST;
            }
            int decided = examineSuffix();
            if (decided == 0) {
                return false;
            }
            cand = -1;
            if (decided < 0) {
                throw notFollowed(at);
            }
            found = at;
            return true;
        }

        private BadHttpMessage notFollowed(int at) {
            return new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_LENGTH, describe() + "is not followed by a "
                    + "delimiter line after its Content-Length of " + length + " bytes: the Content-Length is wrong or the "
                    + "body is malformed", -1, Escaping.quote(buf, at, Math.min(end - at, delimiter.length + 2)));
        }

        private void dropHeadCrlf() {
            if (headCrlf) { // readPartHead saw both bytes, and start stays on them until now
                start += 2;
                headCrlf = false;
                b64Counted = 0;
                b64Significant = 0;
            }
        }

        /**
         * How many of the {@code avail} data bytes at {@code start} to return, at most
         * {@code size} (the part's last bytes if {@code availIsEnd}), as aiohttp's
         * {@code _align_base64_chunk}: for a base64 part, up to the end of its last whole group of
         * four (counting the alphabet and {@code =}; line breaks go with the group before them),
         * so that each chunk decodes on its own; the rest stays in the buffer for the next call.
         * When {@code size} bytes hold no whole group, the chunk goes on to the end of its first
         * group if that is within {@link #B64_SLACK} more bytes (as aiohttp lets a chunk grow past
         * {@code size} by what it carried), else it is returned as it is (as aiohttp returns it).
         * All of them when the part is not base64 or they are the part's last. -1 when more must
         * arrive to decide: the caller reads more and asks again. Counting goes on from where the
         * last call for the same {@code start} stopped, so bytes arriving in small pieces are
         * counted once (and the slack at most {@link #B64_SLACK} times each). Never -1 when
         * {@code availIsEnd}: the part's last bytes are returned as they are.
         */
        private int aligned(int size, int avail, boolean availIsEnd) {
            int n = Math.min(size, avail);
            if (!base64 || n == 0 || n == avail && availIsEnd) {
                return n;
            }
            if (b64Counted > n) { // a smaller size than last time
                b64Counted = 0;
                b64Significant = 0;
            }
            for (int i = start + b64Counted; i < start + n; i++) {
                if (Base64Decoder.isSignificant(buf[i])) {
                    b64Significant++;
                }
            }
            b64Counted = n;
            int partial = (int) (b64Significant % 4);
            if (partial == 0) {
                return n;
            }
            if (b64Significant >= 4) {
                int cut = n;
                while (partial > 0) {
                    cut--;
                    if (Base64Decoder.isSignificant(buf[start + cut])) {
                        partial--;
                    }
                }
                return cut;
            }
            if (n < size) {
                return -1; // less than a group has arrived
            }
            // size holds no whole group: complete the first one if it is near
            int significant = (int) b64Significant;
            int limit = (int) Math.min((long) size + B64_SLACK, avail);
            for (int i = n; i < limit; i++) {
                if (Base64Decoder.isSignificant(buf[start + i]) && ++significant == 4) {
                    return i + 1;
                }
            }
            if (limit == avail && (long) avail < (long) size + B64_SLACK) {
                return availIsEnd ? avail : -1;
            }
            return n;
        }

        /** The next {@code n} bytes of data; the delimiter too if they reach it. */
        private byte[] take(int n) {
            byte[] out = Arrays.copyOfRange(buf, start, start + n);
            start += n;
            b64Counted = 0;
            b64Significant = 0;
            if (start == found) {
                finish();
            }
            return out;
        }

        private void finish() {
            start = found + delimiter.length;
            found = -1;
            headCrlf = false;
            done = true;
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
                    throw tooLong("is longer than", maxBytes, null);
                }
                out.write(chunk, 0, chunk.length);
            }
        }

        /**
         * Reads the rest of the part and, if {@code decode}, decodes it as {@link #decode(byte[], int)}
         * does: aiohttp's {@code BodyPartReader.read(decode=True)}.
         *
         * <p><b>Cancellation:</b> as {@link #read(int)}.
         *
         * @param maxBytes the most bytes the part may have, as it arrives and (if {@code decode}) decoded
         * @param decode whether to undo the part's Content-Transfer-Encoding and Content-Encoding
         * @return the part's remaining bytes, decoded if asked
         * @throws IOException if the stream broke or ended inside the part
         * @throws ClientPayloadError if the part, or what it decodes to, is longer than {@code maxBytes}
         * @throws BadHttpMessage if an encoding is unknown or its data is malformed (see {@link #decode(byte[], int)})
         * @since 0.2
         */
        public byte[] read(int maxBytes, boolean decode) throws IOException {
            refuseIfFailed();
            if (done) {
                return EMPTY; // as aiohttp: nothing left, nothing decoded
            }
            byte[] raw = read(maxBytes);
            return decode ? decode(raw, maxBytes) : raw;
        }

        /**
         * Decodes data of this part (all of it, as {@link #read(int)} returns it: the encodings are
         * not undone piece by piece) by its headers: aiohttp's {@code BodyPartReader.decode(data)}.
         * First the {@code Content-Transfer-Encoding} ({@code base64}, as Python's
         * {@code base64.b64decode}: line breaks and other bytes outside its alphabet are skipped,
         * and data that ends inside a group of four (its {@code =} padding missing) is refused;
         * {@code quoted-printable}, as Python's {@code binascii.a2b_qp}; {@code binary},
         * {@code 8bit} and {@code 7bit}, which leave the bytes as they are), then the
         * {@code Content-Encoding} ({@code gzip}, {@code deflate} (raw, as aiohttp's, or
         * zlib-wrapped), {@code identity}). A part of a {@code multipart/form-data} body has its
         * Content-Encoding left alone, as aiohttp's (RFC 7578 section 4.8). Absent headers change
         * nothing. The decoded bytes are bounded: decompression stops with an error past
         * {@code maxBytes} (a small compressed part can stand for gigabytes). A base64 part may
         * be decoded chunk by chunk, as {@link #readChunk(int)} cuts it at whole groups; for a
         * part too large to hold, {@link #decodeIter(int)} decodes any encoding as it reads.
         *
         * @param data the part's bytes as received
         * @param maxBytes the most bytes the decoded data may have
         * @return the decoded bytes ({@code data} itself when there is nothing to undo)
         * @throws ClientPayloadError if the decoded data is longer than {@code maxBytes}
         * @throws BadHttpMessage of kind {@link BadHttpMessage.Kind#BAD_CONTENT_ENCODING} if an
         *     encoding is unknown (aiohttp's {@code RuntimeError}) or its data is malformed
         * @since 0.2
         */
        public byte[] decode(byte[] data, int maxBytes) {
            Checks.notNull(data, "data");
            Checks.nonNegative(maxBytes, "maxBytes");
            byte[] out = switch (transferEncoding()) {
                case "base64" -> {
                    try {
                        yield Base64Decoder.decode(data);
                    } catch (IllegalArgumentException e) {
                        throw badBase64(e);
                    }
                }
                case "quoted-printable" -> QuotedPrintable.decode(data);
                default -> data; // binary, 8bit, 7bit
            };
            String coding = contentCoding();
            if (!coding.equals("identity")) {
                int limit = Math.max(1, maxBytes);
                ContentDecoder d = coding.equals("gzip") ? ContentDecoder.gzip(limit) : ContentDecoder.deflate(limit);
                try (d) {
                    out = d.decodeAll(out);
                } catch (BadHttpMessage e) {
                    // only the output's size makes it too long: a gzip header over its own bound is malformed
                    if (d.decodedBytes() > limit) {
                        throw tooLong("decodes (Content-Encoding: " + coding + ") to more than", maxBytes, e);
                    }
                    throw e;
                }
            }
            if (out.length > maxBytes) {
                throw tooLong("decodes to more than", maxBytes, null);
            }
            return out;
        }

        /**
         * Reads the rest of the part and decodes it as it goes, in pieces of at most {@code size}
         * bytes: aiohttp's {@code async for d in part.decode_iter(chunk)} over the part's
         * {@code read_chunk()}s, for a part too large to hold whole:
         *
         * <pre>{@code
         * for (byte[] piece : part.decodeIter(65536)) {
         *     out.write(piece);
         * }
         * }</pre>
         *
         * <p>The encodings are those of {@link #decode(byte[], int)}, undone with a state that
         * goes from one chunk to the next: a base64 group, a quoted-printable escape or soft line
         * break split between two chunks, and one gzip or deflate stream over all of them. So the
         * pieces join to what {@code read(maxBytes, true)} returns, and memory stays bounded by
         * {@code size} (and the decompressor's fixed state) however large the part, or what it
         * decompresses to: the total is not bounded here; the caller counts it.
         *
         * <p><b>aiohttp:</b> {@code decode_iter(data)} decodes the data it is given on its own
         * (it relies on {@code read_chunk()} cutting base64 at whole groups; a quoted-printable
         * escape or a compressed stream split between two chunks does not decode); this one reads
         * the part itself. {@link #readChunk(int)} cuts base64 as aiohttp's does, for
         * {@link #decode(byte[], int)} chunk by chunk.
         *
         * <p>The iteration ends, freeing its decompressor at once, when it has given the last
         * piece, when it fails, when the part is released or read to its end by
         * {@link #readChunk(int)} or {@link #read(int)} (as {@link MultipartReader#next()} does
         * before the next part), or when another {@code decodeIter} of the part starts; after
         * that, {@code hasNext()} and {@code next()} throw {@link IllegalStateException} saying
         * why (after a failure, with what failed as its cause).
         *
         * <p><b>Cancellation:</b> {@code hasNext()} may suspend; see the class comment. Bytes read
         * but not yet decoded are lost, as with {@link #read(int)}.
         *
         * @param size the most bytes read at once (a base64 chunk may be up to 64 more, see
         *     {@link #readChunk(int)}) and the most in one decoded piece, &gt; 0
         * @return the decoded pieces, never empty ones; one pass only
         * @throws BadHttpMessage of kind {@link BadHttpMessage.Kind#BAD_CONTENT_ENCODING} if an
         *     encoding is unknown (thrown here, before anything is read), or from {@code hasNext()}
         *     if the data is malformed or ends inside a base64 group or a compressed stream
         * @throws java.io.UncheckedIOException from {@code hasNext()} if the stream broke or ended
         *     inside the part (its cause is what {@link #readChunk(int)} throws)
         * @since 0.2
         */
        public Iterable<byte[]> decodeIter(int size) {
            Checks.positive(size, "size");
            String transfer = transferEncoding();
            String coding = contentCoding();
            endDecoding("another decodeIter of the part started");
            DecodedPieces pieces = new DecodedPieces(size, transfer, coding);
            decoding = pieces;
            return () -> pieces;
        }

        /** The pieces of {@link #decodeIter(int)}: reads a chunk when the decoders have nothing left. */
        private final class DecodedPieces extends PullIterator<byte[]> {
            private final int size;
            private final Base64Decoder base64;
            private final QuotedPrintable.Decoder qp;
            /** gzip or deflate, else null; ended (inflater freed) when the part is read. */
            private final ContentDecoder inflate;
            /** Transfer-decoded bytes not handed on yet, when there is no {@code inflate}. */
            private byte[] pending = EMPTY;
            private int pendingAt;
            private boolean ended;
            /** Where {@code inflate} writes, reused: a piece is copied out of it only when there is one. */
            private byte[] scratch;
            /** Why the iteration cannot go on (it failed, or the part was read or released), else null. */
            private String stopped;
            private Throwable stoppedBy;

            DecodedPieces(int size, String transfer, String coding) {
                this.size = size;
                this.base64 = transfer.equals("base64") ? new Base64Decoder() : null;
                this.qp = transfer.equals("quoted-printable") ? new QuotedPrintable.Decoder() : null;
                this.inflate = coding.equals("gzip") ? ContentDecoder.gzip(Long.MAX_VALUE)
                        : coding.equals("deflate") ? ContentDecoder.deflate(Long.MAX_VALUE) : null;
            }

            /** Frees the decompressor; a later {@code hasNext()} throws, saying {@code why}. */
            void stop(String why) {
                if (stopped == null) {
                    stopped = why;
                }
                if (inflate != null) {
                    inflate.close();
                }
            }

            @Override
            protected byte[] fetch() {
                if (stopped != null) {
                    throw new IllegalStateException("decodeIter of " + describe() + "cannot go on: " + stopped
                            + "; start a new iteration only on a part not read yet", stoppedBy);
                }
                try {
                    while (true) {
                        if (inflate != null) {
                            if (scratch == null) {
                                scratch = new byte[size];
                            }
                            int n = inflate.read(scratch, 0, size);
                            if (n > 0) {
                                return Arrays.copyOf(scratch, n);
                            }
                        } else if (pendingAt < pending.length) {
                            int n = Math.min(size, pending.length - pendingAt);
                            byte[] out = Arrays.copyOfRange(pending, pendingAt, pendingAt + n);
                            pendingAt += n;
                            return out;
                        }
                        if (ended) {
                            if (inflate != null) {
                                inflate.finish();
                            }
                            stop("the iteration has ended");
                            return null;
                        }
                        byte[] raw;
                        try {
                            raw = rawChunk(size);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException("cannot read " + describe() + "to decode it: "
                                    + e.getMessage(), e);
                        }
                        ended = raw.length == 0;
                        byte[] decoded = transferDecode(raw, ended);
                        if (inflate != null) {
                            inflate.setInput(decoded, 0, decoded.length);
                        } else {
                            pending = decoded;
                            pendingAt = 0;
                        }
                    }
                } catch (RuntimeException e) {
                    stoppedBy = e;
                    stop("the iteration already failed (" + e.getMessage() + ")");
                    throw e;
                }
            }

            private byte[] transferDecode(byte[] raw, boolean last) {
                if (qp != null) {
                    return qp.feed(raw, last);
                }
                if (base64 == null) {
                    return raw;
                }
                try {
                    byte[] out = base64.feed(raw);
                    if (last) {
                        base64.finish();
                    }
                    return out;
                } catch (IllegalArgumentException e) {
                    throw badBase64(e);
                }
            }

            @Override
            protected String endMessage() {
                return "the decoded data of " + describe() + "has ended";
            }
        }

        private BadHttpMessage badBase64(IllegalArgumentException e) {
            return new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_ENCODING, "the base64 data of " + describe()
                    + "is malformed: " + e.getMessage(), e);
        }

        /**
         * The part's Content-Transfer-Encoding in lower case, {@code binary} without one: one that
         * {@link #decode(byte[], int)} and {@link #decodeIter(int)} undo.
         */
        private String transferEncoding() {
            String te = headers.get("Content-Transfer-Encoding");
            String transfer = te == null ? "binary" : te.strip().toLowerCase(Locale.ROOT);
            return switch (transfer) {
                case "base64", "quoted-printable", "binary", "8bit", "7bit" -> transfer;
                default -> throw unknownTransferEncoding(te);
            };
        }

        /**
         * The part's Content-Encoding in lower case, {@code identity} without one and in
         * multipart/form-data (RFC 7578 section 4.8, as aiohttp): one that the decoders undo.
         */
        private String contentCoding() {
            String ce = formData ? null : headers.get("Content-Encoding");
            String coding = ce == null ? "identity" : ce.strip().toLowerCase(Locale.ROOT);
            return switch (coding) {
                case "gzip", "deflate", "identity" -> coding;
                default -> throw unknownContentEncoding(ce);
            };
        }

        private BadHttpMessage unknownTransferEncoding(String te) {
            return new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_ENCODING, "unknown Content-Transfer-Encoding of "
                    + describe() + "(aio-http decodes base64, quoted-printable, binary, 8bit and 7bit; read(maxBytes) "
                    + "gives the part undecoded)", -1, Escaping.quote(te));
        }

        private BadHttpMessage unknownContentEncoding(String ce) {
            return new BadHttpMessage(BadHttpMessage.Kind.BAD_CONTENT_ENCODING, "unknown Content-Encoding of "
                    + describe() + "(aio-http decodes gzip, deflate and identity; read(maxBytes) gives the part "
                    + "undecoded)", -1, Escaping.quote(ce));
        }

        /** "multipart part "name" " or "multipart part ", for messages. */
        private String describe() {
            return "multipart part " + (name() == null ? "" : "\"" + name() + "\" ");
        }

        private ClientPayloadError tooLong(String what, int maxBytes, Throwable cause) {
            return new ClientPayloadError(describe() + what + " " + maxBytes + " bytes; read it with readChunk(n), "
                    + "or pass a larger maxBytes", null, cause);
        }

        /**
         * Reads the rest of the part, decoded as {@link #read(int, boolean) read(maxBytes, true)},
         * as text in the charset {@link #getCharset(String) getCharset("utf-8")} names: its
         * Content-Type's, else a {@code _charset_} part's, else UTF-8: aiohttp's
         * {@code BodyPartReader.text()}.
         *
         * <p><b>Cancellation:</b> as {@link #read(int)}.
         *
         * @param maxBytes the most bytes the part may have, as it arrives and decoded
         * @return the text
         * @throws IOException if the stream broke or ended inside the part
         * @throws ClientPayloadError if the part, or what it decodes to, is longer than {@code maxBytes}
         * @throws BadHttpMessage if an encoding is unknown or its data is malformed
         * @throws IllegalArgumentException if the part's Content-Type names a charset the JVM does
         *     not know (aiohttp: {@code LookupError})
         */
        public String text(int maxBytes) throws IOException {
            String name = getCharset("utf-8");
            Charset cs;
            try {
                cs = Charset.forName(name);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("multipart part has an unknown charset: " + Escaping.quote(name)
                        + "; read its bytes with read() and decode them yourself, or pass a charset the JVM knows", e);
            }
            return new String(read(maxBytes, true), cs);
        }

        /**
         * Returns the {@code charset} parameter of the part's Content-Type; without one, the
         * charset named by a first {@code _charset_} part of a {@code multipart/form-data} body
         * (RFC 7578 section 4.6: {@link MultipartReader#next()} reads that part itself and never
         * returns it); without that, {@code defaultCharset}.
         *
         * <p><b>aiohttp:</b> {@code BodyPartReader.get_charset(default)}.
         *
         * @param defaultCharset what to return when neither names a charset; may be null
         * @return the charset name as sent (not checked here, except a {@code _charset_} one,
         *     which {@link MultipartReader#next()} refuses if the JVM does not know it), or
         *     {@code defaultCharset}
         * @since 0.2
         */
        public String getCharset(String defaultCharset) {
            String ct = headers.get("Content-Type");
            if (ct != null) {
                String[] params = ct.split(";");
                for (int i = 1; i < params.length; i++) {
                    int eq = params[i].indexOf('=');
                    if (eq > 0 && params[i].substring(0, eq).strip().equalsIgnoreCase("charset")) {
                        String v = params[i].substring(eq + 1).strip();
                        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                            v = v.substring(1, v.length() - 1);
                        }
                        if (!v.isEmpty()) {
                            return v;
                        }
                    }
                }
            }
            return readerDefault != null ? readerDefault : defaultCharset;
        }

        /**
         * Skips the rest of the part.
         *
         * <p><b>Cancellation:</b> may suspend; see the class comment.
         *
         * @throws IOException if the stream broke or ended inside the part
         */
        public void release() throws IOException {
            endDecoding("the part was released");
            while (readChunk(READ).length > 0) {
                // skip
            }
        }

        /** Ends the {@link #decodeIter(int)} in progress, if any, freeing its decompressor now. */
        private void endDecoding(String why) {
            if (decoding != null) {
                decoding.stop(why);
                decoding = null;
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

package dev.aio4j.http;

import dev.aio4j.http.internal.ContentDisposition;
import dev.aio4j.http.internal.OffLoopFile;
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
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A form to send as a request body: plain fields only as
 * {@code application/x-www-form-urlencoded}, and as {@code multipart/form-data} (RFC 7578) as soon
 * as a file or a field with its own content type is added, or when {@link #multipart()} asks for it.
 *
 * <pre>{@code
 * FormData form = new FormData()
 *         .addField("title", "holiday")
 *         .addFile("photo", "beach.jpg", Path.of("beach.jpg"), "image/jpeg");
 * try (ClientResponse r = session.post(url, RequestOption.data(form))) { ... }
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code aiohttp.FormData} ({@code add_field(name, value, content_type=,
 * filename=)}). <b>Differences:</b> files are given as a {@link Path} (opened, read in 64 KiB
 * pieces and closed on the loop's executor when the request is sent, so the loop never waits for
 * the disk; a request cancelled meanwhile closes the file) or as bytes; a multipart body with a file is sent with
 * {@code Transfer-Encoding: chunked}, so like any streamed body it is sent once (a 307/308
 * redirect is not followed); one without files has a {@code Content-Length}. Names and file names
 * are written as UTF-8 with {@code "} percent-encoded, as browsers do (RFC 7578 section 4.2 and
 * the HTML standard), and {@code \} escaped as {@code \\}. A name, file name or content type
 * holding CR, LF or another control character but HTAB is refused with an
 * {@link IllegalArgumentException}, as aiohttp's {@code add_field} refuses it: it could end the
 * part's header line and add headers of its own.
 *
 * <p><b>Threading:</b> build it in one task; it is read when the request is sent.
 *
 * @since 0.1
 */
public final class FormData {
    /*
     * Maintainer notes. `parts` keeps the order of add calls. A part's `data` is a byte[] or a
     * Path; `contentType` and `filename` are null when not given. The boundary is 32 random hex
     * digits (128 bits), so it cannot appear in a part by chance; in-memory parts are checked
     * anyway and a new boundary is drawn if one contains it.
     */
    private static final int PIECE = 64 * 1024;

    private record Part(String name, Object data, String filename, String contentType) {}

    private final List<Part> parts = new ArrayList<>();
    private boolean forceMultipart;
    private String boundary;

    /** An empty form. */
    public FormData() {}

    /**
     * Adds a text field.
     *
     * @param name the field name
     * @param value its value
     * @return this form
     * @throws IllegalArgumentException if the name or content type holds a control character but HTAB
     */
    public FormData addField(String name, String value) {
        Checks.notNull(value, "value");
        parts.add(new Part(checkedName(name), value.getBytes(StandardCharsets.UTF_8), null, null));
        return this;
    }

    /**
     * Adds a field with its own content type (which makes the form multipart).
     *
     * @param name the field name
     * @param value its bytes
     * @param contentType the part's Content-Type, e.g. {@code application/json}
     * @return this form
     * @throws IllegalArgumentException if the name or content type holds a control character but HTAB
     */
    public FormData addField(String name, byte[] value, String contentType) {
        Checks.notNull(value, "value");
        parts.add(new Part(checkedName(name), value.clone(), null, checkedType(name, contentType)));
        return this;
    }

    /**
     * Adds a file given as bytes (which makes the form multipart).
     *
     * @param name the field name
     * @param filename the file name sent to the server
     * @param data the file's bytes
     * @param contentType its Content-Type, or null for {@code application/octet-stream}
     * @return this form
     * @throws IllegalArgumentException if the name, file name or content type holds a control character but HTAB
     */
    public FormData addFile(String name, String filename, byte[] data, String contentType) {
        Checks.notNull(data, "data");
        parts.add(new Part(checkedName(name), data.clone(), checkedFilename(name, filename),
                contentType == null ? "application/octet-stream" : checkedType(name, contentType)));
        return this;
    }

    /**
     * Adds a file read from disk when the request is sent (which makes the form multipart).
     *
     * @param name the field name
     * @param filename the file name sent to the server
     * @param file the file
     * @param contentType its Content-Type, or null for {@code application/octet-stream}
     * @return this form
     * @throws IllegalArgumentException if the name, file name or content type holds a control character but HTAB
     */
    public FormData addFile(String name, String filename, Path file, String contentType) {
        parts.add(new Part(checkedName(name), Checks.notNull(file, "file"), checkedFilename(name, filename),
                contentType == null ? "application/octet-stream" : checkedType(name, contentType)));
        return this;
    }

    /**
     * Sends the form as {@code multipart/form-data} even if it has only text fields.
     *
     * @return this form
     */
    public FormData multipart() {
        forceMultipart = true;
        return this;
    }

    /**
     * Returns whether the form is sent as {@code multipart/form-data}.
     *
     * @return whether the form is multipart
     */
    public boolean isMultipart() {
        return forceMultipart || parts.stream().anyMatch(p -> p.filename() != null || p.contentType() != null);
    }

    /**
     * Returns whether the body can be sent again (for a redirect or a retry): true unless a file
     * is streamed from disk.
     *
     * @return whether every part is in memory
     */
    public boolean inMemory() {
        return parts.stream().noneMatch(p -> p.data() instanceof Path);
    }

    /**
     * Returns the Content-Type of the body, with the boundary for a multipart form.
     *
     * @return {@code application/x-www-form-urlencoded} or {@code multipart/form-data; boundary=...}
     */
    public String contentType() {
        return isMultipart() ? "multipart/form-data; boundary=" + boundary() : RequestSerializer.FORM_CONTENT_TYPE;
    }

    /**
     * Returns the whole body, for a form whose parts are all in memory.
     *
     * @return the encoded body
     * @throws IllegalStateException if a file is to be read from disk (use {@link #chunks()})
     */
    public byte[] toBytes() {
        if (!isMultipart()) {
            List<Map.Entry<String, String>> fields = new ArrayList<>();
            for (Part p : parts) {
                fields.add(Map.entry(p.name(), new String((byte[]) p.data(), StandardCharsets.UTF_8)));
            }
            return RequestSerializer.formUrlencoded(fields);
        }
        if (!inMemory()) {
            throw new IllegalStateException("FormData.toBytes() called on a form with a file on disk; send it with chunks()");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : chunks()) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }

    /**
     * Returns the multipart body as pieces of at most 64 KiB plus the part heads; files are read
     * as the pieces are taken.
     *
     * @return the pieces of the body, in order
     */
    public Iterable<byte[]> chunks() {
        String b = boundary();
        List<Part> snapshot = List.copyOf(parts);
        return () -> new MultipartWriter.Pieces() {
            private int index = -1;
            private OffLoopFile file;
            private final List<byte[]> queue = new ArrayList<>();
            private boolean finished;

            @Override
            public boolean hasNext() {
                fill();
                return !queue.isEmpty();
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return queue.remove(0);
            }

            /** Closes the file being read, if any: the sender calls it when it stops early (a failed write). */
            @Override
            public void close() throws IOException {
                OffLoopFile f = file;
                file = null;
                finished = true;
                queue.clear();
                if (f != null) {
                    f.closeQuietly(); // the sending failed or was cancelled: closed without waiting
                }
            }

            private void fill() {
                try {
                    while (queue.isEmpty() && !finished) {
                        if (file != null) {
                            byte[] piece = file.read(PIECE);
                            if (piece.length > 0) {
                                queue.add(piece);
                                continue;
                            }
                            file.close();
                            file = null;
                            queue.add(crlf());
                            continue;
                        }
                        index++;
                        if (index == snapshot.size()) {
                            queue.add(("--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII));
                            finished = true;
                            return;
                        }
                        Part p = snapshot.get(index);
                        queue.add(partHead(b, p));
                        if (p.data() instanceof Path path) {
                            file = OffLoopFile.open(path); // in the loop's executor, as each piece and the close
                        } else {
                            byte[] data = (byte[]) p.data();
                            for (int off = 0; off < data.length; off += PIECE) {
                                queue.add(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + PIECE)));
                            }
                            queue.add(crlf());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("FormData: reading a file part failed", e);
                }
            }
        };
    }

    private static byte[] crlf() {
        return new byte[] {'\r', '\n'};
    }

    private static byte[] partHead(String boundary, Part p) {
        StringBuilder sb = new StringBuilder("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"")
                .append(ContentDisposition.quoteFormValue(p.name())).append('"');
        if (p.filename() != null) {
            sb.append("; filename=\"").append(ContentDisposition.quoteFormValue(p.filename())).append('"');
        }
        sb.append("\r\n");
        if (p.contentType() != null) {
            sb.append("Content-Type: ").append(p.contentType()).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String checkedName(String name) {
        return ContentDisposition.checkFormValue(name, "field name");
    }

    private static String checkedFilename(String name, String filename) {
        return ContentDisposition.checkFormValue(filename, "filename of field " + Escaping.quote(name));
    }

    private static String checkedType(String name, String contentType) {
        return ContentDisposition.checkFormValue(contentType, "contentType of field " + Escaping.quote(name));
    }

    private String boundary() {
        while (boundary == null || inMemoryPartContains(boundary)) {
            boundary = "aio4j-" + RandomHex.of(16);
        }
        return boundary;
    }

    private boolean inMemoryPartContains(String b) {
        byte[] needle = b.getBytes(StandardCharsets.US_ASCII);
        for (Part p : parts) {
            if (p.data() instanceof byte[] data && MultipartReader.indexOf(data, 0, needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns e.g. {@code FormData[multipart, 3 parts]}.
     *
     * @return the form's kind and size
     */
    @Override
    public String toString() {
        return "FormData[" + (isMultipart() ? "multipart" : "urlencoded") + ", " + parts.size() + " parts]";
    }
}

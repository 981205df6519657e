package dev.aio4j.http.internal;

import dev.aio4j.streams.StreamWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * A request body and how it is sent: bytes (with Content-Length), a file (Content-Length, sized,
 * opened, read in pieces and closed on the loop's executor), or a one-shot stream of chunks (chunked). Writing drains after
 * each piece, so at most one piece plus the writer's high watermark is buffered.
 */
public sealed interface RequestBody {
    /** Pieces of a file or stream are written in at most this many bytes. */
    int PIECE = 64 * 1024;

    /** The framing the request head announces. */
    BodyFraming framing() throws IOException;

    /** Whether the body can be sent again (for a retry, or a 307/308 redirect). */
    boolean replayable();

    /**
     * Whether the body was sent (or began to be) and cannot be sent again: a one-shot body after
     * its first write. A redirect that keeps the body then fails (aiohttp's {@code Payload.consumed}).
     *
     * @return whether the body was used up
     */
    default boolean consumed() {
        return false;
    }

    /** The Content-Type sent when the caller did not set one, or {@code null}. */
    String contentType();

    /**
     * Writes the body after {@code head}, telling {@code onSent} each piece once written (the
     * trace configs' {@code on_request_chunk_sent}). May suspend (drain, file reads).
     *
     * @throws IOException if the connection breaks, or the file cannot be read
     */
    void write(byte[] head, StreamWriter out, Consumer<byte[]> onSent) throws IOException;

    /** No body. */
    record None() implements RequestBody {
        @Override
        public BodyFraming framing() {
            return new BodyFraming.None();
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public String contentType() {
            return null;
        }

        @Override
        public void write(byte[] head, StreamWriter out, Consumer<byte[]> onSent) throws IOException {
            out.write(head);
            out.drain();
        }
    }

    /** A body in memory. */
    record Bytes(byte[] data, String contentType) implements RequestBody {
        @Override
        public BodyFraming framing() {
            return new BodyFraming.Length(data.length);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public void write(byte[] head, StreamWriter out, Consumer<byte[]> onSent) throws IOException {
            if (data.length <= PIECE) {
                byte[] all = new byte[head.length + data.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(data, 0, all, head.length, data.length);
                out.write(all);
            } else {
                out.write(head);
                out.write(data);
            }
            onSent.accept(data);
            out.drain();
        }
    }

    /**
     * The contents of a file, read when the request is sent: its size, the open, each piece and
     * the close in the loop's default executor ({@link OffLoopFile}). The bytes sent are checked
     * against the Content-Length the last {@link #framing()} announced (the head sent before the
     * body), not against the size when the file is opened: a file that changed in between fails
     * the request instead of sending more or fewer bytes than the head said.
     */
    final class FileBody implements RequestBody {
        private final Path path;
        private final String contentType;
        /** The length the last framing() gave the head, or -1 before it was taken. Loop-confined. */
        private long announced = -1;

        public FileBody(Path path, String contentType) {
            this.path = path;
            this.contentType = contentType;
        }

        /** The file sent. */
        public Path path() {
            return path;
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public BodyFraming framing() throws IOException {
            long size = OffLoopFile.size(path);
            announced = size;
            return new BodyFraming.Length(size);
        }

        @Override
        public boolean replayable() {
            return true;
        }

        @Override
        public void write(byte[] head, StreamWriter out, Consumer<byte[]> onSent) throws IOException {
            out.write(head);
            OffLoopFile in = OffLoopFile.open(path); // cancelled meanwhile: the file is closed, see OffLoopFile
            long expected = announced >= 0 ? announced : in.size(); // the head's Content-Length
            long sent = 0;
            boolean read = false;
            try {
                while (true) {
                    byte[] piece = in.read(PIECE);
                    if (piece.length == 0) {
                        break;
                    }
                    sent += piece.length;
                    if (sent > expected) {
                        throw new IOException("file " + path + " grew while it was sent (Content-Length was " + expected + ")");
                    }
                    out.write(piece);
                    onSent.accept(piece);
                    out.drain();
                }
                read = true;
            } finally {
                if (!read) {
                    in.closeQuietly(); // failed or cancelled: closed without waiting, the first error kept
                }
            }
            in.close();
            if (sent != expected) {
                throw new IOException("file " + path + " shrank while it was sent: " + sent + " of " + expected + " bytes");
            }
            out.drain();
        }
    }

    /** A stream of chunks, sent with the chunked transfer coding; it can be sent once. */
    final class Chunks implements RequestBody {
        private final Iterable<byte[]> chunks;
        private final String contentType;
        private boolean used;

        public Chunks(Iterable<byte[]> chunks, String contentType) {
            this.chunks = chunks;
            this.contentType = contentType;
        }

        @Override
        public BodyFraming framing() {
            return new BodyFraming.Chunked();
        }

        @Override
        public boolean replayable() {
            return false;
        }

        @Override
        public boolean consumed() {
            return used;
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public void write(byte[] head, StreamWriter out, Consumer<byte[]> onSent) throws IOException {
            if (used) {
                throw new IllegalStateException("a request body given as a stream of chunks can be sent only once");
            }
            used = true;
            out.write(head);
            Iterator<byte[]> it = chunks.iterator();
            try {
                while (it.hasNext()) {
                    byte[] c = it.next();
                    if (c == null) {
                        throw new NullPointerException("the request body's chunk iterator returned null");
                    }
                    for (int off = 0; off < c.length; off += PIECE) {
                        out.write(ChunkedEncoder.chunk(c, off, Math.min(PIECE, c.length - off)));
                        out.drain();
                    }
                    if (c.length > 0) {
                        onSent.accept(c);
                    }
                }
                out.write(ChunkedEncoder.last(null));
                out.drain();
            } finally {
                closeIfCloseable(it); // a MultipartWriter's iterator holds the file it is reading
            }
        }

        private static void closeIfCloseable(Iterator<byte[]> it) throws IOException {
            if (it instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException("closing the request body's chunk iterator failed", e);
                }
            }
        }
    }
}

package dev.aio4j.http.web;

import dev.aio4j.http.ETag;
import dev.aio4j.http.Headers;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.internal.Checks;
import dev.aio4j.streams.SendfileNotAvailableError;
import dev.aio4j.streams.Streams;
import dev.aio4j.streams.internal.FileBlocks;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A response that sends a file: with the kernel's zero-copy {@code sendfile} on plain
 * connections (under TLS, read in pieces in the loop's default executor), a guessed
 * Content-Type, {@code ETag} and {@code Last-Modified}, conditional requests (304 for
 * {@code If-None-Match} and {@code If-Modified-Since}, 412 for {@code If-Match} and
 * {@code If-Unmodified-Since}) and one byte range ({@code Range}, honouring {@code If-Range}; 206
 * with {@code Content-Range}, 416 when unsatisfiable).
 *
 * <pre>{@code
 * router.addGet("/report", request -> new FileResponse(Path.of("report.pdf")));
 * }</pre>
 *
 * <p>A pre-compressed sibling is sent in the file's place when the client accepts its coding:
 * for {@code app.js} and {@code Accept-Encoding: gzip, br}, {@code app.js.br} if it is a regular
 * file, else {@code app.js.gz}, else {@code app.js}. The response then has
 * {@code Content-Encoding} ({@code br} or {@code gzip}) and {@code Vary: Accept-Encoding}, the
 * Content-Type of the file's own name, and the sibling's size, {@code ETag} and
 * {@code Last-Modified}; conditions and a {@code Range} apply to the sibling's bytes, and
 * {@link #enableCompression()} compresses nothing more. A sibling is looked at without following
 * links: a symbolic link or a directory named {@code app.js.gz} is ignored. The file itself need
 * not exist when a sibling is sent; when none is, a missing file is a 404.
 *
 * <p><b>aiohttp:</b> {@code web.FileResponse(path, chunk_size=256*1024, status=200, reason=None,
 * headers=None)}, whose pre-compressed siblings ({@code ENCODING_EXTENSIONS}) are these, in the
 * same order. <b>Differences:</b> a coding is accepted when {@code Accept-Encoding} lists it by
 * name with a weight above 0, where aiohttp looks for the name anywhere in the header (so
 * {@code gzip;q=0} sends {@code .gz} there, and so does {@code x-gzip}); neither reads
 * {@code *}. Every answer about a sibling carries {@code Vary: Accept-Encoding}, also a 304
 * (RFC 9110 section 15.4.5), a 412 and a 416 (section 12.5.5), where aiohttp's 200 and 206 only
 * do; a {@code Vary} of the caller's is added to, not replaced. A malformed or reversed
 * {@code Range} ({@code bytes=5-2}, {@code bytes=a-f}) is 416 as in aiohttp, but, by RFC 9110:
 * a unit other than {@code bytes} ({@code items=0-5}) is ignored (the whole file, 200), as is a
 * set of several well-formed ranges one of which is satisfiable, where aiohttp answers 416; a
 * suffix of length 0 ({@code bytes=-0}) is 416 (section 14.1.1), where aiohttp sends the whole
 * file as a 206. An {@code If-Range} entity tag is compared strongly (a weak or different tag
 * sends the whole file, 200), and an {@code If-Range} that is neither a tag nor a date sends the
 * whole file, where aiohttp reads only a date and, finding none, honours the {@code Range}
 * whatever the tag says; a date is compared as aiohttp (the range is sent when the file was
 * last modified at or before it). Under TLS the file is read in pieces of {@code chunkSize}, as
 * aiohttp's own fallback reads them (compressed responses, {@code AIOHTTP_NOSENDFILE}), where
 * aiohttp hands a TLS transport to asyncio's {@code loop.sendfile}, whose fallback reads blocks
 * of 16 KiB whatever {@code chunk_size} says; either way each read is a job of the loop's default
 * executor, and the next piece is read only when the last one was written.
 *
 * @since 0.2
 */
public final class FileResponse extends StreamResponse {
    private static final int PIECE = 256 * 1024;
    /**
     * The pre-compressed siblings looked for, in aiohttp's order ({@code ENCODING_EXTENSIONS}):
     * the coding and the extension added to the file's name.
     */
    private static final String[][] PRE_COMPRESSED = {{"br", ".br"}, {"gzip", ".gz"}};

    private final Path path;
    private final int chunkSize;

    /**
     * A response sending {@code path}.
     *
     * @param path the file
     */
    public FileResponse(Path path) {
        this(path, PIECE);
    }

    /**
     * A response sending {@code path} in pieces of {@code chunkSize} when it cannot use sendfile.
     *
     * @param path the file
     * @param chunkSize bytes per read, positive
     */
    public FileResponse(Path path, int chunkSize) {
        this(path, chunkSize, 200, null, null);
    }

    /**
     * A response sending {@code path} with a status, a reason and headers of the caller's:
     * {@code web.FileResponse(path, chunk_size, status=, reason=, headers=)}. The status is sent
     * when the whole file is; a range still answers 206, a failed condition 304 or 412, an
     * unsatisfiable range 416. A status that has no content (204, 304, 1xx) sends the head only.
     *
     * @param path the file
     * @param chunkSize bytes per read when sendfile cannot be used, positive
     * @param status 100 to 999
     * @param reason the reason phrase, or null for the standard one
     * @param headers headers to copy (a {@code Content-Type} here is kept), or null
     * @throws IllegalArgumentException if {@code chunkSize} is not positive, the status is out of
     *     range, or the reason holds a control character
     * @since 0.2
     */
    public FileResponse(Path path, int chunkSize, int status, String reason, Headers headers) {
        super(status, reason, headers);
        this.path = Checks.notNull(path, "path");
        this.chunkSize = Checks.positive(chunkSize, "chunkSize");
    }

    /**
     * Returns the file.
     *
     * @return the path given
     */
    public Path path() {
        return path;
    }

    /** The size of the pieces the file is read in when sendfile cannot be used. */
    int chunkSize() {
        return chunkSize;
    }

    /**
     * Checks the conditions and the range, sends the head, and then the file, or the
     * pre-compressed sibling the request accepts. The file system is asked in the loop's default
     * executor, as aiohttp's {@code run_in_executor}: the siblings' and the file's attributes, the
     * open and the size; the task suspends meanwhile, so a slow disk does not hold up the loop.
     * The file is then sent from the task with sendfile, or, where the transport cannot (TLS, or
     * a transport that is no socket) or the response is compressed, in pieces of
     * {@code chunkSize}, each read in the executor and written before the next is read (aiohttp's
     * {@code _sendfile_fallback}); a file read so is closed in the executor too, without waiting
     * for it (aiohttp's {@code run_in_executor(None, fobj.close)}). A file sent with sendfile (or
     * not at all: a 304, a HEAD) is closed on the loop, where the kernel read it.
     *
     * <p><b>Cancellation:</b> this method suspends while the file is looked up and opened, while
     * a piece is read, and while the response is written. If the task is cancelled during the
     * lookup, a file the executor's job opens anyway is closed; if it is cancelled while a piece
     * is read, the file is closed as that read ends; otherwise it is closed as above (on the
     * loop, if the loop is closing or its default executor is shut down). The file is closed once
     * in every case.
     *
     * @param request the request
     * @throws HTTPNotFound if the file does not exist (or is not a regular file) and no sibling is
     *     accepted, or the chosen sibling is gone (or became a link) before it is opened
     * @throws HTTPForbidden if the file cannot be opened for reading
     * @throws IOException if the file cannot be read or the connection broke
     */
    @Override
    public void prepare(Request request) throws IOException {
        if (prepared()) {
            return;
        }
        String accept = acceptEncoding(request); // read here, in the handler's task
        EventLoop loop = Aio.getRunningLoop();
        Opened opened = openInExecutor(accept);
        SharedFile file = new SharedFile(opened.channel());
        try {
            prepareOpen(request, file, opened.attrs(), opened.size(), opened.encoding());
        } finally {
            file.release(loop);
        }
    }

    /**
     * Test hook: when set, the file is sent as if the transport could not sendfile (aiohttp's
     * tests patch {@code loop.sendfile} to raise {@code NotImplementedError}, the
     * {@code no_sendfile} sender). False but in tests.
     */
    static volatile boolean noSendfileForTests;

    /**
     * Test hook: called on the thread that opened the file, with it; what it returns is the
     * channel the response uses (a test wraps it to see which threads read and close it, and how
     * often). Null but in tests.
     */
    static volatile UnaryOperator<FileChannel> wrapForTests;

    /**
     * Test hook: called on the thread that opened the file, with the file and its open channel,
     * before it is handed to the task (a test records the thread, or blocks so that the task can be
     * cancelled meanwhile). Null but in tests.
     */
    static volatile BiConsumer<Path, FileChannel> afterOpenForTests;

    /** What prepare() learns from the file system: the open file, its attributes and size, the sibling's coding or null. */
    record Opened(FileChannel channel, BasicFileAttributes attrs, long size, String encoding) {
    }

    /**
     * Looks for a sibling, stats and opens the file in the loop's default executor, as aiohttp's
     * {@code prepare} runs {@code _make_response} there: a file system call can block (a slow or
     * network disk, a FIFO put in the file's place) and would hold up every connection of the loop.
     * If the task is cancelled while the job runs (its client went away, with handler
     * cancellation), a file the job opened anyway is closed, by the job or here, whichever comes
     * second (aiohttp leaves that descriptor to the garbage collector).
     */
    private Opened openInExecutor(String accept) throws IOException {
        Handoff handoff = new Handoff();
        boolean received = false;
        try {
            Opened opened = Aio.toThread(() -> handoff.offer(open(path, accept)));
            received = true;
            return opened;
        } finally {
            if (!received) {
                handoff.abandon();
            }
        }
    }

    /**
     * The open file between the executor's thread and the task: {@link #offer} (job) and
     * {@link #abandon} (task, when it will not take the result) may come in either order; the
     * second one closes the file.
     */
    static final class Handoff {
        private Opened opened;
        private boolean abandoned;

        synchronized Opened offer(Opened o) throws IOException {
            if (abandoned) {
                o.channel().close();
            } else {
                opened = o;
            }
            return o;
        }

        synchronized void abandon() {
            abandoned = true;
            if (opened != null) {
                try {
                    opened.channel().close();
                } catch (IOException e) {
                    // nothing was read from it: there is nothing left to lose
                }
            }
        }
    }

    /**
     * Blocking, in the executor: the sibling the request accepts (an {@code lstat} per accepted
     * coding), else the file's attributes; then the open file and its size.
     *
     * @throws HTTPNotFound if the file does not exist (or is not a regular file) and no sibling is
     *     accepted, or the chosen sibling is gone (or became a link) before it is opened
     * @throws HTTPForbidden if the file cannot be opened for reading
     */
    private static Opened open(Path path, String accept) throws IOException {
        Sibling sibling = sibling(path, accept);
        Path file = sibling != null ? sibling.file() : path;
        String encoding = sibling != null ? sibling.coding() : null;
        BasicFileAttributes attrs = sibling != null ? sibling.attrs() : null;
        if (sibling == null) {
            try {
                attrs = Files.readAttributes(path, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                throw new HTTPNotFound();
            }
            if (!attrs.isRegularFile()) {
                throw new HTTPNotFound();
            }
        }
        // opened before anything is decided or sent, as aiohttp's _make_response: a file removed
        // or made unreadable later is still read through this descriptor, and one that cannot be
        // opened is answered 404/403 instead of a head followed by a broken body
        FileChannel ch;
        try {
            ch = encoding == null ? FileChannel.open(file, StandardOpenOption.READ)
                    : FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new HTTPNotFound();
        } catch (AccessDeniedException e) {
            throw new HTTPForbidden();
        } catch (FileSystemException e) {
            if (encoding == null) {
                throw e;
            }
            throw new HTTPNotFound(); // the sibling was replaced by a link since it was looked at (ELOOP)
        }
        UnaryOperator<FileChannel> wrap = wrapForTests;
        if (wrap != null) {
            ch = wrap.apply(ch);
        }
        try {
            long size = ch.size(); // the open file's size (aiohttp fstat()s the open file)
            BiConsumer<Path, FileChannel> hook = afterOpenForTests;
            if (hook != null) {
                hook.accept(file, ch);
            }
            return new Opened(ch, attrs, size, encoding);
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    /**
     * The open file between the handler's task and the jobs of the loop's default executor. The
     * task sends it with sendfile itself, on the loop (as asyncio's {@code _sendfile_native}: the
     * kernel reads the file there), or asks the executor for one piece at a time ({@link #read});
     * the file is then closed where it was read ({@link #release}): in the executor after pieces,
     * on the loop after sendfile, whose speed an executor job per response would cost (the job
     * and the loop's wake-up for its result). A read job can still be running when the task lets
     * go of the file (it was cancelled while it awaited the read: a client gone with handler
     * cancellation, a loop being closed): the close then waits for that read and is done by its
     * job as it ends, so the file is closed exactly once and never under a read.
     */
    static final class SharedFile {
        /*
         * Maintainer notes. The fields are guarded by `this`: read() runs on an executor thread,
         * release() on the loop, and the two may meet (a cancelled task does not wait for its read
         * job). `inPieces`: the task asked for a piece (loop side only). `reading`: a read job is
         * inside the channel. `closeAsked`: the task let go; no read starts after it. `closed`: the
         * close has been handed to someone (a close job, the ending read's job, or the loop), so
         * it happens once.
         */
        private final FileChannel channel;
        private boolean inPieces;
        private boolean reading;
        private boolean closeAsked;
        private boolean closed;

        SharedFile(FileChannel channel) {
            this.channel = channel;
        }

        /** The channel, for the task's sendfile (no read job runs then). */
        FileChannel channel() {
            return channel;
        }

        /** Loop: reads {@code want} bytes at {@code position} in the loop's default executor (the task suspends). */
        byte[] readInExecutor(long position, int want) throws IOException {
            inPieces = true;
            return Aio.toThread(() -> read(position, want));
        }

        /**
         * Blocking, in the executor: up to {@code want} bytes from {@code position}, fewer only
         * where the file ends (an empty array at or past its end). If the task let go of the file
         * meanwhile, this job closes it as it ends.
         *
         * @throws ClosedChannelException if the task let go of the file before this job began
         */
        byte[] read(long position, int want) throws IOException {
            synchronized (this) {
                if (closeAsked) {
                    throw new ClosedChannelException(); // a job that began after its task was cancelled
                }
                reading = true;
            }
            try {
                return FileBlocks.read(channel, position, want); // short only where the file ends (it shrank since its size was taken)
            } finally {
                boolean closeNow;
                synchronized (this) {
                    reading = false;
                    closeNow = closeAsked && !closed;
                    closed |= closeNow;
                }
                if (closeNow) {
                    closeQuietly();
                }
            }
        }

        /**
         * The task lets go of the file. Read in pieces, it is closed by a job of {@code loop}'s
         * default executor, which nobody waits for, as aiohttp's {@code prepare} closes it (so the
         * connection can serve its next request at once), or, while a read job still runs, by that
         * job as it ends; where the executor cannot take the job (the loop is closing, its default
         * executor was shut down), here. Sent with sendfile, or not at all, it is closed here, on
         * the loop. Once, however often this is called.
         */
        void release(EventLoop loop) {
            synchronized (this) {
                closeAsked = true;
                if (reading || closed) {
                    return;
                }
                closed = true;
            }
            if (!inPieces) {
                closeQuietly();
                return;
            }
            FileBlocks.closeQuietlyOffLoop(loop, channel);
        }

        private void closeQuietly() {
            try {
                channel.close();
            } catch (IOException e) {
                // a file opened for reading: nothing of the response is lost with it
            }
        }
    }

    /** A pre-compressed sibling chosen for a request: the file, its coding, its own (not followed) attributes. */
    record Sibling(Path file, String coding, BasicFileAttributes attrs) {
    }

    /** The request's {@code Accept-Encoding}: codings are case-insensitive (RFC 9110 8.4.1), several fields one list (5.3). */
    static String acceptEncoding(Request request) {
        return String.join(",", request.headers().getAll("Accept-Encoding")).toLowerCase(Locale.ROOT);
    }

    /**
     * The first sibling of {@code path} ({@code .br}, then {@code .gz}) whose coding {@code accept}
     * (as {@link #acceptEncoding}) accepts and that is a regular file by its own entry, or null.
     * Blocking: up to one {@code lstat} per accepted coding.
     */
    static Sibling sibling(Path path, String accept) {
        Path name = path.getFileName();
        for (int i = 0; name != null && !accept.isEmpty() && i < PRE_COMPRESSED.length; i++) {
            String coding = PRE_COMPRESSED[i][0];
            if (!Compression.accepts(accept, coding)) {
                continue;
            }
            Path sibling = path.resolveSibling(name + PRE_COMPRESSED[i][1]);
            try {
                // as aiohttp: the sibling's own entry, never a link's target, and only a regular file
                BasicFileAttributes a = Files.readAttributes(sibling, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    return new Sibling(sibling, coding, a);
                }
            } catch (IOException e) {
                // no such sibling (or none this process may look at): the next, or the file itself
            }
        }
        return null;
    }

    /** Decides and sends the response from the open file; {@code encoding} names a sibling's coding, or is null. */
    private void prepareOpen(Request request, SharedFile file, BasicFileAttributes attrs, long size, String encoding) throws IOException {
        Instant mtime = attrs.lastModifiedTime().toInstant();
        String tagValue = Long.toHexString(mtime.getEpochSecond() * 1_000_000_000L + mtime.getNano()) + "-" + Long.toHexString(size);
        String etag = "\"" + tagValue + "\"";
        ZonedDateTime modified = ZonedDateTime.ofInstant(mtime, ZoneOffset.UTC).withNano(0);
        if (encoding != null) {
            // every answer about a sibling depends on Accept-Encoding: the 200 and 206 (its bytes),
            // the 304 (RFC 9110 15.4.5: the Vary a 200 would have had), the 412 (its ETag) and the
            // 416 (its length); RFC 9110 12.5.5 tells the client so with Vary
            varyOnAcceptEncoding();
        }

        List<ETag> ifMatch = request.ifMatch();
        if (ifMatch != null && !etagMatches(ifMatch, tagValue, false)
                || ifMatch == null && request.ifUnmodifiedSince() != null && modified.isAfter(request.ifUnmodifiedSince())) {
            precondition(412, etag, modified);
            super.prepare(request);
            writeEof();
            return;
        }
        List<ETag> ifNoneMatch = request.ifNoneMatch();
        boolean safe = request.method().equals("GET") || request.method().equals("HEAD");
        if (ifNoneMatch != null && !safe && etagMatches(ifNoneMatch, tagValue, true)) {
            precondition(412, etag, modified); // RFC 9110 13.1.2: 304 is for GET and HEAD only
            super.prepare(request);
            writeEof();
            return;
        }
        boolean notModified = ifNoneMatch != null ? etagMatches(ifNoneMatch, tagValue, true)
                : request.ifModifiedSince() != null && !modified.isAfter(request.ifModifiedSince());
        if (notModified && safe) {
            precondition(304, etag, modified);
            super.prepare(request);
            writeEof();
            return;
        }

        long start = 0;
        long count = size;
        if (request.headers().get("Range") != null && rangeApplies(request, etag, modified)) {
            long[] r = satisfiable(request, size);
            if (r == null) {
                setStatus(416);
                headers().set("Content-Range", "bytes */" + size);
                headers().set("Content-Type", "text/plain; charset=utf-8");
                super.prepare(request);
                writeEof();
                return;
            }
            if (r.length == 2) {
                start = r[0];
                count = r[1] - r[0];
                setStatus(206);
                headers().set("Content-Range", "bytes " + r[0] + "-" + (r[1] - 1) + "/" + size);
            }
        }
        if (!headers().contains("Content-Type")) {
            headers().set("Content-Type", guessType(path.getFileName() != null ? path.getFileName().toString() : ""));
        }
        if (encoding != null) {
            headers().set("Content-Encoding", encoding); // and the writer compresses nothing more
        }
        headers().set("Accept-Ranges", "bytes");
        headers().set("ETag", etag);
        lastModified(modified);
        contentLength(count);
        boolean compressing = compression() != null && !headers().contains("Content-Encoding");
        super.prepare(request);
        int status = status();
        boolean noContent = status < 200 || status == 204 || status == 304; // aiohttp's must_be_empty_body
        if (request.methodSent().equals("HEAD") || count == 0 || noContent) { // what the client sent, as the head says
            writeEof();
            return;
        }
        if (!compressing && !noSendfileForTests) {
            drain(); // the head first: sendfile waits for the buffer to empty
            try {
                long sent = Streams.sendfile(request.transport(), file.channel(), start, count);
                writer().countSent(sent);
                writeEof();
                return;
            } catch (SendfileNotAvailableError e) {
                // TLS, or a transport that is no socket: read and write below
            }
        }
        sendInPieces(file, start, count);
    }

    /**
     * aiohttp's {@code _sendfile_fallback}: the file in pieces of {@code chunkSize}, each read by a
     * job of the loop's default executor (a read can wait for the disk, and would hold up every
     * connection of the loop) and then written. One piece at a time: the next read is asked for
     * only when the write of the last one returned, and a write waits while the transport's buffer
     * is past its high-water mark, so a client that reads slowly holds this response to one piece
     * in hand besides that buffer, and no read runs ahead of it.
     *
     * <p>A file that ends before {@code count} bytes (it shrank) ends the body short: the
     * connection closes after it.
     */
    private void sendInPieces(SharedFile file, long start, long count) throws IOException {
        long at = start;
        long end = start + count;
        while (at < end) {
            int want = (int) Math.min(chunkSize, end - at);
            byte[] piece = file.readInExecutor(at, want);
            if (piece.length == 0) {
                break; // the file shrank: the response ends short and the connection closes
            }
            at += piece.length;
            write(piece); // waits past the high-water mark (StreamResponse.write drains)
        }
        writeEof();
    }

    /** Adds {@code Accept-Encoding} to the Vary of the response unless it is there (or {@code *} is). */
    private void varyOnAcceptEncoding() {
        for (String field : headers().getAll("Vary")) {
            for (String item : field.split(",")) {
                String v = item.strip();
                if (v.equals("*") || v.equalsIgnoreCase("Accept-Encoding")) {
                    return;
                }
            }
        }
        headers().add("Vary", "Accept-Encoding");
    }

    /**
     * The Content-Type for a file name: aiohttp's additions to {@code mimetypes} for the
     * compression formats ({@code .gz} is {@code application/gzip}, {@code .br}
     * {@code application/x-brotli}, {@code .bz2} {@code application/x-bzip2}, {@code .Z}
     * {@code application/x-compress}, {@code .xz} {@code application/x-xz}; the extension as
     * written, then in lower case, as {@code mimetypes}), else the JDK's guess, else
     * {@code application/octet-stream}.
     */
    static String guessType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String ext = fileName.substring(dot);
            String t = compressedType(ext);
            if (t == null) {
                t = compressedType(ext.toLowerCase(Locale.ROOT));
            }
            if (t != null) {
                return t;
            }
        }
        String guessed = URLConnection.guessContentTypeFromName(fileName);
        return guessed != null ? guessed : "application/octet-stream";
    }

    private static String compressedType(String ext) {
        return switch (ext) {
            case ".gz" -> "application/gzip";
            case ".br" -> "application/x-brotli";
            case ".bz2" -> "application/x-bzip2";
            case ".Z" -> "application/x-compress";
            case ".xz" -> "application/x-xz";
            default -> null;
        };
    }

    private void precondition(int status, String etag, ZonedDateTime modified) {
        setStatus(status);
        headers().set("ETag", etag);
        lastModified(modified);
    }

    private static boolean rangeApplies(Request request, String etag, ZonedDateTime modified) {
        String ifRange = request.headers().get("If-Range");
        if (ifRange == null) {
            return true;
        }
        if (ifRange.strip().startsWith("\"") || ifRange.strip().startsWith("W/")) {
            return ifRange.strip().equals(etag); // strong comparison
        }
        ZonedDateTime d = request.ifRange();
        return d != null && !modified.isAfter(d);
    }

    /**
     * aiohttp's {@code FileResponse._etag_match}: {@code *} alone matches any tag; otherwise a tag
     * of the same value does, a weak one only when {@code weak} (If-None-Match's weak comparison;
     * If-Match compares strongly, RFC 9110 section 8.8.3.2).
     */
    static boolean etagMatches(List<ETag> tags, String value, boolean weak) {
        if (tags.size() == 1 && tags.get(0).value().equals(ETag.ANY)) {
            return true;
        }
        for (ETag t : tags) {
            if ((weak || !t.isWeak()) && t.value().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the request's {@code Range} ({@link Request#httpRange()}, the one parser) against a
     * file of {@code size} bytes: {start, stop} for one satisfiable range, an empty array to
     * ignore the header (and send the whole file), or null to answer 416.
     * <ul>
     * <li>416, as aiohttp: a header that does not parse as {@code bytes=first-last},
     *     {@code bytes=first-} or {@code bytes=-suffixLength} (a reversed range such as
     *     {@code bytes=5-2}, letters, {@code bytes=-}), which RFC 9110 section 14.2 lets a server
     *     reject; a first position at or past the end;</li>
     * <li>416, where aiohttp sends the whole file as a 206: a suffix of length 0
     *     ({@code bytes=-0}), unsatisfiable by RFC 9110 section 14.1.1;</li>
     * <li>ignored, where aiohttp answers 416: a unit other than {@code bytes}
     *     ({@code items=0-5}), which RFC 9110 section 14.2 says a server MUST ignore; several
     *     ranges that are each well formed, one of them satisfiable (a server MAY ignore Range;
     *     416 would say none of them can be served). Several ranges with a malformed one, or none
     *     satisfiable, are 416.</li>
     * </ul>
     */
    static long[] satisfiable(Request request, long size) {
        String header = request.headers().get("Range");
        int eq = header.indexOf('=');
        String unit = eq > 0 ? header.substring(0, eq) : "";
        if (Checks.isToken(unit) && !unit.equalsIgnoreCase("bytes")) {
            return new long[0];
        }
        HttpRange range;
        try {
            range = request.httpRange();
        } catch (IllegalArgumentException e) {
            return eq > 0 && header.indexOf(',') >= 0 && satisfiableRangeSet(header.substring(eq + 1), size) ? new long[0] : null;
        }
        return served(range, size);
    }

    /**
     * One range against a file of {@code size} bytes: {start, stop}, or null if it cannot be served
     * (a first position at or past the end, or a suffix of length 0).
     */
    private static long[] served(HttpRange range, long size) {
        long[] ix = range.indices(size);
        return ix[0] >= size || range.suffix() && range.start().orElseThrow() == 0 ? null : ix;
    }

    /**
     * Whether a {@code range-set} of several members (RFC 9110 section 14.1.2) is well formed and
     * has one member that a file of {@code size} bytes can serve. Empty list members are skipped
     * (section 5.6.1.2).
     */
    private static boolean satisfiableRangeSet(String set, long size) {
        boolean any = false;
        for (String member : set.split(",", -1)) {
            String m = member.strip();
            if (m.isEmpty()) {
                continue;
            }
            HttpRange r;
            try {
                r = HttpRange.parse("bytes=" + m);
            } catch (IllegalArgumentException e) {
                return false;
            }
            any |= served(r, size) != null;
        }
        return any;
    }
}

package dev.aio4j.examples.http;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.Aio;
import dev.aio4j.streams.StreamReader;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Port of the aiohttp streaming-download program ({@code async for chunk in
 * response.content.iter_chunked(65536)}) that reads a large body piece by piece in bounded memory,
 * here 64 MiB ({@code -Ddownload.bytes=67108864}) generated and sent chunked by an embedded server
 * on loopback ({@link LocalHttpServer}), printing progress and a CRC-32 checksum.
 *
 * <p>Run it with {@code java -cp ... dev.aio4j.examples.http.StreamingDownload};
 * {@code -Ddownload.chunk=65536} sets the size of each read. Instead of writing to a file, the
 * program checksums what it reads and compares it with what the server sent. The Python original,
 * for comparison:
 *
 * <pre>{@code
 * async def download(session, url, path):
 *     async with session.get(url) as response:
 *         response.raise_for_status()
 *         total = int(response.headers.get("Content-Length", 0)) or None
 *         done = 0
 *         with open(path, "wb") as f:
 *             async for chunk in response.content.iter_chunked(65536):
 *                 f.write(chunk)
 *                 done += len(chunk)
 *                 print(f"{done / 2**20:.0f} MiB")
 * }</pre>
 *
 * <p>Memory stays bounded whatever the size: {@link ClientResponse#content()} is an aio-streams
 * {@link StreamReader} whose feeder stops reading from the socket while the reader holds more than
 * twice its 64 KiB limit, so TCP flow control slows the server down. The program reports the most
 * the reader ever held.
 */
public final class StreamingDownload {
    /** System property: how many bytes the server sends. */
    public static final String BYTES_PROPERTY = "download.bytes";
    /** System property: how many bytes each {@code read} asks for. */
    public static final String CHUNK_PROPERTY = "download.chunk";
    /** 64 MiB. */
    public static final long DEFAULT_BYTES = 64L << 20;
    /** 64 KiB, as {@code iter_chunked(65536)}. */
    public static final int DEFAULT_CHUNK = 64 << 10;

    private static final int PROGRESS_STEPS = 8;

    /**
     * What a download measured.
     *
     * @param bytes bytes read
     * @param crc32 CRC-32 of the bytes read
     * @param seconds how long reading took
     * @param maxBuffered the most bytes the response's reader held at once
     */
    public record Result(long bytes, long crc32, double seconds, long maxBuffered) {
        /**
         * Returns the download's throughput: the bytes read divided by the time reading took.
         *
         * @return mebibytes per second
         */
        public double mibPerSecond() {
            return bytes / 1048576.0 / Math.max(seconds, 1e-9);
        }
    }

    private StreamingDownload() {}

    /**
     * Downloads {@code url} through {@code response.content()}, {@code chunk} bytes per read,
     * printing progress about every eighth of the body. Call it in a task.
     *
     * @param session the session
     * @param url the URL
     * @param expectedBytes the size, for the progress lines (the chunked response does not say)
     * @param chunk bytes per read
     * @param out receives the progress lines
     * @return what was read
     * @throws IOException if the connection fails while reading (see {@link StreamReader#read(int)})
     */
    public static Result download(ClientSession session, String url, long expectedBytes, int chunk, Consumer<String> out)
            throws IOException {
        double t0 = Aio.getRunningLoop().time();
        CRC32 crc = new CRC32();
        long done = 0;
        long maxBuffered = 0;
        long step = Math.max(1, expectedBytes / PROGRESS_STEPS);
        long nextReport = step;
        try (ClientResponse response = session.get(url)) {
            response.raiseForStatus();
            out.accept("HTTP " + response.status() + ", Transfer-Encoding: " + response.headers().getOrDefault("Transfer-Encoding", "-")
                    + ", reading " + chunk + " bytes at a time");
            StreamReader content = response.content();
            while (true) {
                maxBuffered = Math.max(maxBuffered, content.bufferSize());
                byte[] piece = content.read(chunk);
                if (piece.length == 0) {
                    break;
                }
                crc.update(piece);
                done += piece.length;
                if (done >= nextReport) {
                    out.accept(String.format(Locale.ROOT, "%6.1f MiB of %.1f MiB (%3.0f%%)", done / 1048576.0, expectedBytes / 1048576.0,
                            100.0 * done / Math.max(1, expectedBytes)));
                    while (nextReport <= done) {
                        nextReport += step;
                    }
                }
            }
        }
        return new Result(done, crc.getValue(), Aio.getRunningLoop().time() - t0, maxBuffered);
    }

    /**
     * Starts the embedded server, downloads, prints the checksum and whether it matches.
     *
     * @param args ignored
     * @throws Exception if the server cannot start or the download fails
     */
    public static void main(String[] args) throws Exception {
        long bytes = longProperty(BYTES_PROPERTY, DEFAULT_BYTES, 0);
        int chunk = (int) longProperty(CHUNK_PROPERTY, DEFAULT_CHUNK, 1);
        try (LocalHttpServer server = LocalHttpServer.start(0)) {
            String url = server.url("/download?bytes=" + bytes);
            System.out.println("Downloading " + bytes + " bytes from " + url);
            Result r = Aio.run(() -> {
                try (ClientSession session = ClientSession.create()) {
                    return download(session, url, bytes, chunk, System.out::println);
                }
            });
            boolean match = r.crc32() == server.lastDownloadCrc() && r.bytes() == bytes;
            System.out.println(String.format(Locale.ROOT, "Read %d bytes in %.2f s (%.0f MiB/s); CRC-32 %08x, %s", r.bytes(), r.seconds(),
                    r.mibPerSecond(), r.crc32(), match ? "matches what the server sent" : "DOES NOT match the server's "
                            + String.format(Locale.ROOT, "%08x", server.lastDownloadCrc())));
            System.out.println(String.format(Locale.ROOT, "The response's reader held at most %d KiB at once", (r.maxBuffered() + 1023) / 1024));
        }
    }

    private static long longProperty(String name, long defaultValue, long min) {
        String raw = System.getProperty(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            v = Long.MIN_VALUE;
        }
        if (v < min || name.equals(CHUNK_PROPERTY) && v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("-D" + name + " must be a whole number >= " + min + ", got " + raw);
        }
        return v;
    }
}

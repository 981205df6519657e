package dev.aio4j.examples.http;

import dev.aio4j.examples.StdoutCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link StreamingDownload} against its embedded server on loopback, with small sizes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamingDownloadTest {
    private static final Pattern READ = Pattern.compile("Read (\\d+) bytes in \\d+\\.\\d\\d s \\(\\d+ MiB/s\\); CRC-32 [0-9a-f]{8}, (.*)");
    private static final Pattern HELD = Pattern.compile("The response's reader held at most (\\d+) KiB at once");

    @Test
    void mainStreamsTheBodyInBoundedMemoryAndChecksIt() throws Exception {
        long size = (8L << 20) + 5; // not a multiple of the read size
        List<String> lines = StdoutCapture.lines(() -> StreamingDownload.main(new String[0]),
                StreamingDownload.BYTES_PROPERTY, Long.toString(size), StreamingDownload.CHUNK_PROPERTY, "10000");

        assertTrue(lines.get(0).matches("Downloading 8388613 bytes from http://127\\.0\\.0\\.1:\\d+/download\\?bytes=8388613"), lines.get(0));
        assertEquals("HTTP 200, Transfer-Encoding: chunked, reading 10000 bytes at a time", lines.get(1));
        long progress = lines.stream().filter(l -> l.matches(" *\\d+\\.\\d MiB of 8\\.0 MiB \\( *\\d+%\\)")).count();
        assertTrue(progress >= 7 && progress <= 9, "about one progress line per eighth: " + lines);
        Matcher read = match(READ, lines);
        assertEquals(size, Long.parseLong(read.group(1)));
        assertEquals("matches what the server sent", read.group(2));
        // The reader's flow-control mark is twice its 64 KiB limit, plus at most one socket read:
        // far below the 8 MiB body, and the same for any size.
        int heldKiB = Integer.parseInt(match(HELD, lines).group(1));
        assertTrue(heldKiB <= 256, "the reader held " + heldKiB + " KiB");
    }

    @Test
    void emptyBody() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> StreamingDownload.main(new String[0]), StreamingDownload.BYTES_PROPERTY, "0");

        Matcher read = match(READ, lines);
        assertEquals("0", read.group(1));
        assertEquals("matches what the server sent", read.group(2));
    }

    @Test
    void badSizeIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StdoutCapture.lines(() -> StreamingDownload.main(new String[0]), StreamingDownload.BYTES_PROPERTY, "-1"));
        assertEquals("-Ddownload.bytes must be a whole number >= 0, got -1", e.getMessage());
    }

    private static Matcher match(Pattern p, List<String> lines) {
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                return m;
            }
        }
        throw new AssertionError("no line matches " + p + ": " + lines);
    }
}

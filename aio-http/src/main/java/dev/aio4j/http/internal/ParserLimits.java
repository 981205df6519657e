package dev.aio4j.http.internal;

import dev.aio4j.loop.internal.Checks;

/**
 * The bounds of the response parser. Every byte the parser holds is under one of them: it buffers
 * at most one line at a time ({@link #maxLineSize} or {@link #maxChunkLineSize} bytes plus the
 * line ending) and passes body bytes through without copying them anywhere.
 *
 * @param maxLineSize the status line and each header or trailer field line, without its CRLF
 * @param maxHeaderBytes the header section (every field line with its CRLF, not the status line
 *        nor the empty line that ends it); the trailer section has the same bound of its own
 * @param maxHeaders the number of header fields; the trailer section has the same bound of its own
 * @param maxChunkLineSize a chunk-size line (size and extensions, which are checked and dropped), without its CRLF
 */
public record ParserLimits(int maxLineSize, int maxHeaderBytes, int maxHeaders, int maxChunkLineSize) {
    /** 8 KiB lines, 64 KiB of headers, 100 fields, 4 KiB chunk-size lines. */
    public static final ParserLimits DEFAULT = new ParserLimits(8192, 65536, 100, 4096);

    public ParserLimits {
        Checks.positive(maxLineSize, "maxLineSize");
        Checks.positive(maxHeaderBytes, "maxHeaderBytes");
        Checks.positive(maxHeaders, "maxHeaders");
        Checks.positive(maxChunkLineSize, "maxChunkLineSize");
    }
}

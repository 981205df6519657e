package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Checks;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The compression of permessage-deflate (RFC 7692 section 7.2) for one end of one connection: a
 * compressor for the messages it sends and a decompressor for the messages it receives, each keeping
 * its LZ77 window from message to message ("context takeover") unless the negotiation said
 * otherwise.
 *
 * <p>Compressing: raw deflate, flushed with {@code SYNC_FLUSH}, without the 4 bytes
 * {@code 00 00 ff ff} that every sync flush ends with (section 7.2.1). Decompressing: append those 4
 * bytes and inflate (section 7.2.2), refusing to produce more than the size cap: the output is
 * produced in small pieces and counted, so a compression bomb fails with close code 1009 after at
 * most {@code maxSize} bytes instead of growing memory. A message may hold several deflate streams
 * one after the other (a block with BFINAL set ends each, section 7.2.3.5): each is inflated in
 * turn, up to {@link #MAX_MEMBERS} of them (more fail with 1009, as in aiohttp).
 *
 * <p>Get one from {@link DeflateNegotiation.Agreement#codec(Role, int)}. Call {@link #close()} when
 * the connection ends to release the native zlib memory at once.
 */
public final class PerMessageDeflate implements AutoCloseable {
    /*
     * Maintainer notes. java.util.zip.Deflater always uses a 32 KiB (15-bit) window and has no way
     * to set a smaller one. A smaller window (max_window_bits N < 15, RFC 7692 section 7.1.2) is
     * honoured by construction instead: the message is compressed in chunks of at most W/2 bytes
     * (W = 2^N), and before each chunk the Deflater is reset and given, as its preset dictionary,
     * only the last W - chunk bytes of what was sent before (this message's earlier chunks and,
     * with context takeover, earlier messages). A reset Deflater can only refer back into its
     * dictionary and the current input, so no back-reference reaches further than W - 1 bytes, and
     * a peer inflating with a 2^N window decodes it. Each chunk ends with a sync flush (byte
     * aligned, no BFINAL), so the chunks' outputs joined are one valid deflate stream; the cost is
     * the empty stored block (5 bytes) per chunk and matches that cannot cross a chunk's dictionary.
     * The Inflater accepts any window up to 15 bits, so the peer may compress with any size.
     * Without context takeover, reset() after each message empties the window.
     */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int PIECE = 8 * 1024;
    /**
     * The most deflate streams one received message may hold (aiohttp's {@code MAX_DECOMPRESS_MEMBERS}):
     * an empty stream inflates to nothing, so the size cap alone would not bound the work.
     */
    static final int MAX_MEMBERS = 1024;

    private final Deflater deflater;
    private final Inflater inflater;
    private final boolean resetCompressor;
    private final boolean resetDecompressor;
    private final byte[] piece = new byte[PIECE];
    /** The compressor's window bits: 15, or 8 to 14 for the chunked, dictionary-bounded mode. */
    private final int windowBits;
    /** In the bounded mode: the last bytes compressed (at most 2^windowBits), the next dictionary. */
    private final byte[] history;
    private int historyLength;

    /**
     * Creates the codec of one end.
     *
     * @param compressorNoContextTakeover reset the compressor after every message sent
     * @param decompressorNoContextTakeover reset the decompressor after every message received (the peer resets its compressor)
     * @param level the deflate level, 0-9 or {@link Deflater#DEFAULT_COMPRESSION}
     */
    public PerMessageDeflate(boolean compressorNoContextTakeover, boolean decompressorNoContextTakeover, int level) {
        this(compressorNoContextTakeover, decompressorNoContextTakeover, level, DeflateNegotiation.DEFLATER_WINDOW_BITS);
    }

    /**
     * Creates the codec of one end whose compressor keeps its back-references within a window of
     * {@code 2^compressorWindowBits} bytes (the max_window_bits the peer asked for).
     *
     * @param compressorNoContextTakeover reset the compressor after every message sent
     * @param decompressorNoContextTakeover reset the decompressor after every message received (the peer resets its compressor)
     * @param level the deflate level, 0-9 or {@link Deflater#DEFAULT_COMPRESSION}
     * @param compressorWindowBits 8 to 15: the LZ77 window the peer's decompressor has
     */
    public PerMessageDeflate(boolean compressorNoContextTakeover, boolean decompressorNoContextTakeover, int level,
            int compressorWindowBits) {
        if (compressorWindowBits < 8 || compressorWindowBits > 15) {
            throw new IllegalArgumentException("compressorWindowBits must be 8 to 15 (RFC 7692), got " + compressorWindowBits);
        }
        this.windowBits = compressorWindowBits;
        this.history = compressorWindowBits < 15 ? new byte[1 << compressorWindowBits] : null;
        if (level != Deflater.DEFAULT_COMPRESSION && (level < 0 || level > 9)) {
            throw new IllegalArgumentException("level must be 0-9 or -1 (default), got " + level);
        }
        this.deflater = new Deflater(level, true);
        this.inflater = new Inflater(true);
        this.resetCompressor = compressorNoContextTakeover;
        this.resetDecompressor = decompressorNoContextTakeover;
    }

    /**
     * Compresses one message's payload.
     *
     * @param data the payload
     * @param offset where it starts
     * @param length how many bytes
     * @return the compressed payload to send in frames whose first has RSV1 set
     */
    public byte[] compress(byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (length == 0) {
            // An empty stored block's header alone: with the tail the receiver appends, it is one whole
            // empty stored block (RFC 7692 section 7.2.3.6), and the window is unchanged.
            return new byte[] {0x00};
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, length / 2));
        if (history == null) {
            deflate(data, offset, length, out);
            if (resetCompressor) {
                deflater.reset();
            }
        } else {
            compressBounded(data, offset, length, out);
        }
        byte[] all = out.toByteArray();
        // A sync flush always ends with an empty stored block, 00 00 ff ff.
        if (all.length < 4 || all[all.length - 4] != 0 || all[all.length - 3] != 0 || all[all.length - 2] != (byte) 0xFF
                || all[all.length - 1] != (byte) 0xFF) {
            throw new AssertionError("SYNC_FLUSH output does not end with 00 00 ff ff");
        }
        return java.util.Arrays.copyOf(all, all.length - 4);
    }

    private void deflate(byte[] data, int offset, int length, ByteArrayOutputStream out) {
        deflater.setInput(data, offset, length);
        int n;
        do {
            n = deflater.deflate(piece, 0, piece.length, Deflater.SYNC_FLUSH);
            out.write(piece, 0, n);
        } while (n == piece.length || !deflater.needsInput());
    }

    /** Compresses with back-references of at most 2^windowBits - 1 bytes (see the maintainer notes). */
    private void compressBounded(byte[] data, int offset, int length, ByteArrayOutputStream out) {
        int window = history.length;
        if (resetCompressor) {
            historyLength = 0; // no context takeover: nothing of earlier messages may be referred to
        }
        int end = offset + length;
        for (int pos = offset; pos < end; ) {
            int chunk = Math.min(window / 2, end - pos);
            deflater.reset();
            int dictionary = Math.min(historyLength, window - chunk);
            if (dictionary > 0) {
                deflater.setDictionary(history, historyLength - dictionary, dictionary);
            }
            deflate(data, pos, chunk, out);
            remember(data, pos, chunk);
            pos += chunk;
        }
    }

    /** Appends to the history, keeping its last {@code history.length} bytes. */
    private void remember(byte[] data, int offset, int length) {
        int window = history.length;
        int keep = Math.min(historyLength, window - length);
        if (keep < historyLength) {
            System.arraycopy(history, historyLength - keep, history, 0, keep);
        }
        System.arraycopy(data, offset, history, keep, length);
        historyLength = keep + length;
    }

    /** @return the compressor's window bits, 8 to 15 */
    public int compressorWindowBits() {
        return windowBits;
    }

    /**
     * Decompresses one received message's payload.
     *
     * @param data the compressed payload, all frames of the message joined
     * @param offset where it starts
     * @param length how many bytes
     * @param maxSize the largest decompressed size allowed
     * @return the decompressed payload
     * @throws WebSocketProtocolError 1009 if the output would exceed {@code maxSize}, 1007 if the data
     *         is not valid deflate data (RFC 7692 names no code; 1007 says the payload was inconsistent with its type)
     */
    public byte[] decompress(byte[] data, int offset, int length, int maxSize) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        Checks.positive(maxSize, "maxSize");
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxSize, Math.max(64, length * 2)));
        try {
            inflate(data, offset, length, out, maxSize, true);
            inflate(TAIL, 0, TAIL.length, out, maxSize, false);
        } catch (DataFormatException e) {
            throw new WebSocketProtocolError(CloseStatus.INVALID_DATA, "compressed message is not valid deflate data ("
                    + e.getMessage() + ")");
        }
        // A peer may end a message with a BFINAL block (RFC 7692 section 7.2.3.5); its next message then
        // starts a new deflate stream, so the inflater starts afresh too.
        if (resetDecompressor || inflater.finished()) {
            inflater.reset();
        }
        return out.toByteArray();
    }

    /**
     * Inflates {@code data} into {@code out}. With {@code members}, bytes after a final block
     * (BFINAL) start a new deflate stream, as RFC 7692 section 7.2.3.5 allows, instead of being
     * dropped; the tail appended after the message is not a member (after a final block it is
     * ignored).
     */
    private void inflate(byte[] data, int offset, int length, ByteArrayOutputStream out, int maxSize, boolean members)
            throws DataFormatException {
        inflater.setInput(data, offset, length);
        int count = 1;
        while (true) {
            int n = inflater.inflate(piece, 0, piece.length);
            if (n > 0) {
                if (out.size() + (long) n > maxSize) {
                    inflater.reset();
                    throw new WebSocketProtocolError(CloseStatus.MESSAGE_TOO_BIG, "decompressed message is larger than "
                            + maxSize + " bytes (the maximum message size)");
                }
                out.write(piece, 0, n);
                continue;
            }
            if (inflater.finished()) {
                int rest = inflater.getRemaining();
                if (rest == 0 || !members) {
                    return;
                }
                if (++count > MAX_MEMBERS) {
                    inflater.reset();
                    throw new WebSocketProtocolError(CloseStatus.MESSAGE_TOO_BIG, "compressed message holds more than "
                            + MAX_MEMBERS + " deflate streams (each ended by a final block)");
                }
                inflater.reset(); // a new stream: its window starts empty
                inflater.setInput(data, offset + length - rest, rest);
                continue;
            }
            if (inflater.needsInput()) {
                return;
            }
            if (inflater.needsDictionary()) {
                throw new DataFormatException("a preset dictionary is needed");
            }
        }
    }

    /** Releases the native zlib state; the codec cannot be used afterwards. */
    @Override
    public void close() {
        deflater.end();
        inflater.end();
    }

    @Override
    public String toString() {
        return "PerMessageDeflate[compressor " + (resetCompressor ? "no_context_takeover" : "context_takeover")
                + ", window bits " + windowBits
                + ", decompressor " + (resetDecompressor ? "no_context_takeover" : "context_takeover") + "]";
    }
}

package dev.aio4j.http.web;

import dev.aio4j.http.Headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Response compression: which coding to use ({@code enableCompression}), and a streaming
 * compressor for {@link StreamResponse} bodies that flushes after every write so that a
 * streamed response still arrives piece by piece.
 */
final class Compression {
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final OutputStream z;

    Compression(String coding) {
        try {
            z = coding.equals("gzip") ? new GZIPOutputStream(sink, true) : new DeflaterOutputStream(sink, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The coding to compress with, or null: none asked, the body already has a
     * Content-Encoding, or (for {@code auto}) the client accepts neither gzip nor deflate.
     */
    static String choose(String mode, Request request, Headers headers) {
        if (mode == null || headers.contains("Content-Encoding")) {
            return null;
        }
        if (!mode.equals("auto")) {
            return mode;
        }
        String accept = String.join(",", request.headers().getAll("Accept-Encoding")).toLowerCase(Locale.ROOT);
        if (accepts(accept, "gzip")) {
            return "gzip";
        }
        return accepts(accept, "deflate") ? "deflate" : null;
    }

    /** Whether an Accept-Encoding list names {@code coding} with a q-value above 0. */
    static boolean accepts(String accept, String coding) {
        for (String item : accept.split(",")) {
            String[] parts = item.split(";");
            if (!parts[0].strip().equals(coding)) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("q=")) {
                    try {
                        return Double.parseDouble(p.substring(2)) > 0;
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** Compresses a piece and returns what the compressor emits for it (flushed). */
    byte[] compress(byte[] data, int offset, int length) {
        try {
            z.write(data, offset, length);
            z.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return take();
    }

    /** Ends the stream and returns the last bytes (and, for gzip, the trailer). */
    byte[] finish() {
        try {
            z.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return take();
    }

    private byte[] take() {
        byte[] out = sink.toByteArray();
        sink.reset();
        return out;
    }

    /** Compresses a whole body at once. */
    static byte[] compressAll(byte[] data, String coding) {
        Compression c = new Compression(coding);
        byte[] a = c.compress(data, 0, data.length);
        byte[] b = c.finish();
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

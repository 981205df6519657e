package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.test.Loops;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the streams layer: whatever the chunking, the reader parses the bytes as a
 * reference parse of the whole input does, and bytes cross a socket unchanged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamsProperties {

    @Provide
    Arbitrary<byte[]> text() {
        return Arbitraries.of((byte) 'a', (byte) 'b', (byte) '\n', (byte) 'x').list().ofMaxSize(300)
                .map(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = l.get(i);
                    }
                    return b;
                });
    }

    /** Splits {@code data} into chunks of the given sizes (cycled). */
    static List<byte[]> chunk(byte[] data, List<Integer> sizes) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        int i = 0;
        while (off < data.length) {
            int n = Math.min(data.length - off, sizes.get(i++ % sizes.size()));
            out.add(Arrays.copyOfRange(data, off, off + n));
            off += n;
        }
        return out;
    }

    /** Feeds the chunks from a task, yielding between them, then EOF. */
    static Task<Object> feeder(StreamReader r, List<byte[]> chunks) {
        return Aio.createTask(() -> {
            for (byte[] c : chunks) {
                r.feedData(c);
                Aio.sleep(0);
            }
            r.feedEof();
            return null;
        });
    }

    @Property(tries = 300)
    void readlineMatchesAReferenceSplitForAnyChunking(@ForAll("text") byte[] data,
                                                      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 40) Integer> sizes) throws Exception {
        List<String> expected = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                expected.add(new String(data, start, i + 1 - start));
                start = i + 1;
            }
        }
        if (start < data.length) {
            expected.add(new String(data, start, data.length - start));
        }
        List<String> got = Loops.runVirtual(() -> {
            StreamReader r = new StreamReader();
            feeder(r, chunk(data, sizes));
            List<String> lines = new ArrayList<>();
            byte[] line;
            while ((line = r.readline()).length > 0) {
                lines.add(new String(line));
            }
            assertTrue(r.atEof());
            return lines;
        });
        assertEquals(expected, got);
    }

    @Property(tries = 300)
    void readuntilWithLimitMatchesAReferenceParse(@ForAll("text") byte[] data,
                                                  @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 40) Integer> sizes,
                                                  @ForAll @IntRange(min = 1, max = 30) int limit) throws Exception {
        byte[] sep = {'a', 'b'};
        // Reference: with everything buffered, the first separator decides; a separator that
        // starts beyond the limit, or none within limit + 1 bytes, is an overrun.
        List<String> expected = new ArrayList<>();
        int off = 0;
        while (true) {
            int isep = indexOf(data, sep, off);
            if (isep >= 0 && isep - off <= limit) {
                expected.add(new String(data, off, isep + 2 - off));
                off = isep + 2;
                continue;
            }
            if (isep < 0 && data.length - off <= limit + 1) {
                expected.add("EOF:" + new String(data, off, data.length - off));
            } else {
                expected.add("OVERRUN");
            }
            break;
        }
        List<String> got = Loops.runVirtual(() -> {
            StreamReader r = new StreamReader(limit);
            Task<Object> f = feeder(r, chunk(data, sizes));
            List<String> out = new ArrayList<>();
            try {
                while (true) {
                    out.add(new String(r.readuntil(sep)));
                }
            } catch (IncompleteReadError e) {
                out.add("EOF:" + new String(e.partial()));
            } catch (LimitOverrunError e) {
                out.add("OVERRUN");
            }
            f.cancel();
            return out;
        });
        assertEquals(expected, got);
    }

    private static int indexOf(byte[] data, byte[] sep, int from) {
        outer:
        for (int i = from; i <= data.length - sep.length; i++) {
            for (int j = 0; j < sep.length; j++) {
                if (data[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Property(tries = 300)
    void readexactlyMatchesAReferenceSliceForAnyChunking(@ForAll("text") byte[] data,
                                                         @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 40) Integer> sizes,
                                                         @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 50) Integer> reads) throws Exception {
        List<String> expected = new ArrayList<>();
        int off = 0;
        for (int i = 0; ; i++) {
            int n = reads.get(i % reads.size());
            if (off + n > data.length) {
                expected.add("EOF:" + new String(data, off, data.length - off) + "/" + n);
                break;
            }
            expected.add(new String(data, off, n));
            off += n;
            if (i > 1000) {
                break; // only zero-size reads: stop
            }
        }
        List<String> got = Loops.runVirtual(() -> {
            StreamReader r = new StreamReader();
            feeder(r, chunk(data, sizes));
            List<String> out = new ArrayList<>();
            for (int i = 0; ; i++) {
                int n = reads.get(i % reads.size());
                try {
                    out.add(new String(r.readexactly(n)));
                } catch (IncompleteReadError e) {
                    out.add("EOF:" + new String(e.partial()) + "/" + e.expected());
                    break;
                }
                if (i > 1000) {
                    break;
                }
            }
            return out;
        });
        assertEquals(expected, got);
    }

    @Property(tries = 25)
    void anyChunkingFromAJdkClientArrivesByteIdentical(@ForAll @IntRange(min = 0, max = 300_000) int size,
                                                       @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 70_000) Integer> sizes,
                                                       @ForAll @IntRange(min = 1, max = 100_000) int readSize) throws Exception {
        byte[] payload = Net.payload(size, size ^ readSize);
        byte[] got = Aio.run(() -> {
            dev.aio4j.loop.Future<byte[]> result = Aio.getRunningLoop().createFuture();
            Server srv = Streams.startServer((r, w) -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] b;
                while ((b = r.read(readSize)).length > 0) {
                    all.write(b, 0, b.length);
                }
                result.setResult(all.toByteArray());
                w.close();
            }, Net.HOST, 0);
            Aio.toThread(() -> {
                try (Socket s = new Socket(Net.LOOPBACK, srv.port()); OutputStream out = s.getOutputStream()) {
                    for (byte[] c : chunk(payload, sizes)) {
                        out.write(c);
                        out.flush();
                    }
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                }
                return null;
            });
            byte[] bytes = Aio.waitFor(result, 10);
            srv.close();
            srv.waitClosed();
            return bytes;
        });
        assertArrayEquals(payload, got);
    }

    @Property(tries = 4)
    void multiMegabytePayloadThroughASlowReaderStaysBounded(@ForAll @IntRange(min = 2 << 20, max = 6 << 20) int size,
                                                            @ForAll @IntRange(min = 1, max = 64 * 1024) int writeSize,
                                                            @ForAll @IntRange(min = 1024, max = 64 * 1024) int limit) throws Exception {
        byte[] payload = Net.payload(size, writeSize);
        long[] maxes = new long[2];
        byte[] got = Aio.run(() -> {
            dev.aio4j.loop.Future<byte[]> result = Aio.getRunningLoop().createFuture();
            Server srv = Streams.startServer((r, w) -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                byte[] b;
                int reads = 0;
                while ((b = r.read(4096)).length > 0) {
                    all.write(b, 0, b.length);
                    maxes[1] = Math.max(maxes[1], r.bufferSize());
                    if (++reads % 64 == 0) {
                        Aio.sleep(0.001); // slow
                    }
                }
                result.setResult(all.toByteArray());
                w.close();
            }, Net.HOST, 0, limit);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            for (int off = 0; off < payload.length; off += writeSize) {
                c.writer().write(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + writeSize)));
                maxes[0] = Math.max(maxes[0], c.writer().transport().getWriteBufferSize());
                c.writer().drain();
            }
            c.writer().writeEof();
            byte[] bytes = Aio.waitFor(result, 30);
            c.writer().close();
            srv.close();
            srv.waitClosed();
            return bytes;
        });
        assertArrayEquals(payload, got);
        assertTrue(maxes[0] <= 64 * 1024 + writeSize, "writer's transport buffer bounded: " + maxes[0]);
        assertTrue(maxes[1] <= 2L * limit + 256 * 1024, "reader's buffer bounded by 2 x limit + one read: " + maxes[1]);
    }

    /**
     * Whatever mix of fed arrays (the public {@code feedData}, whose caller reuses its array at
     * once, and the transports' owned hand-over, adopted without a copy from 4 KiB up) and of
     * reads ({@code read(n)}, {@code readexactly}, {@code readline}), whose results the caller
     * overwrites as soon as it has them: the reads return exactly the concatenation of what was
     * fed, in order. asyncio copies in {@code feed_data} ({@code bytearray.extend}) and returns
     * fresh {@code bytes}; aio4j must behave the same although it keeps large arrays.
     */
    @Property(tries = 200)
    void readsReturnExactlyWhatWasFedWhateverTheCallersDoWithTheirArrays(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 70_000) Integer> feeds,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 80_000) Integer> reads,
            @ForAll long seed) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        ByteArrayOutputStream fed = new ByteArrayOutputStream();
        List<byte[]> arrays = new ArrayList<>();
        List<Boolean> owned = new ArrayList<>();
        for (int size : feeds) {
            int n = random.nextInt(4) == 0 ? 4096 + random.nextInt(3) - 1 : size; // around the adoption threshold too
            byte[] a = new byte[n];
            for (int i = 0; i < n; i++) {
                a[i] = (byte) (random.nextInt(200) == 0 ? '\n' : 'a' + random.nextInt(26));
            }
            fed.write(a, 0, n);
            arrays.add(a);
            owned.add(random.nextBoolean());
        }
        byte[] expected = fed.toByteArray();
        byte[] got = Loops.runVirtual(() -> {
            StreamReader r = new StreamReader(1 << 20);
            Aio.createTask(() -> {
                for (int i = 0; i < arrays.size(); i++) {
                    byte[] a = arrays.get(i);
                    if (owned.get(i)) {
                        dev.aio4j.streams.internal.ReaderAccess.feedOwned(r, a); // handed over: never touched again
                    } else {
                        r.feedData(a);
                        Arrays.fill(a, (byte) '#'); // the caller reuses its array
                    }
                    Aio.sleep(0);
                }
                r.feedEof();
                return null;
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; ; i++) {
                int n = reads.get(i % reads.size());
                byte[] b;
                switch (i % 3) {
                    case 0 -> b = r.read(n == 0 ? 1 : n);
                    case 1 -> {
                        try {
                            b = r.readexactly(n);
                        } catch (IncompleteReadError e) {
                            b = e.partial();
                        }
                    }
                    default -> b = r.readline();
                }
                out.write(b, 0, b.length);
                Arrays.fill(b, (byte) '%'); // the caller reuses what it got
                if (r.atEof()) {
                    return out.toByteArray();
                }
            }
        });
        assertArrayEquals(expected, got);
    }
}

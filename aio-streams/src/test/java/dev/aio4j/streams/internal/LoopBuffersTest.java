package dev.aio4j.streams.internal;

import dev.aio4j.loop.EventLoop;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One scratch buffer per loop, whatever thread runs the loop's code (the portable scheduler passes the baton). */
class LoopBuffersTest {

    @Test
    void oneReadBufferPerLoopSharedByEveryThreadThatRunsIt() throws Exception {
        try (EventLoop a = EventLoop.create(); EventLoop b = EventLoop.create()) {
            ByteBuffer first = LoopBuffers.of(a).directRead(1024);
            assertTrue(first.isDirect());
            assertEquals(1024, first.capacity());
            ByteBuffer[] fromAnotherThread = new ByteBuffer[1];
            Thread t = Thread.ofVirtual().start(() -> fromAnotherThread[0] = LoopBuffers.of(a).directRead(1024));
            t.join();
            assertSame(first, fromAnotherThread[0], "a task thread holding the baton gets the loop's buffer, not its own");
            assertNotSame(first, LoopBuffers.of(b).directRead(1024), "loops run concurrently: each has its own");
            ByteBuffer dgram = LoopBuffers.of(a).datagram(2048);
            assertSame(dgram, LoopBuffers.of(a).datagram(2048));
            assertNotSame(first, dgram);
            // TLS plaintext: shared by every connection of the loop, replaced only by a larger one
            ByteBuffer plain = LoopBuffers.of(a).tlsPlaintext(4096);
            assertSame(plain, LoopBuffers.of(a).tlsPlaintext(1024));
            ByteBuffer larger = LoopBuffers.of(a).tlsPlaintext(8192);
            assertEquals(8192, larger.capacity());
            assertSame(larger, LoopBuffers.of(a).tlsPlaintext(4096));
            assertNotSame(larger, LoopBuffers.of(b).tlsPlaintext(4096));
            ByteBuffer records = LoopBuffers.of(a).tlsRecords(4096);
            assertNotSame(larger, records, "wrap output and unwrap output are separate buffers");
            assertSame(records, LoopBuffers.of(a).tlsRecords(100));
            assertTrue(LoopBuffers.of(a).tlsRecords(10_000).capacity() >= 10_000);
            // stop 30: the write side, a direct staging buffer and a heap array frames are built in
            ByteBuffer stage = LoopBuffers.of(a).directWrite(4096);
            assertTrue(stage.isDirect());
            assertNotSame(first, stage, "a write may happen inside a read's callback");
            assertSame(stage, LoopBuffers.of(a).directWrite(4096));
            byte[] frames = LoopBuffers.of(a).heapWrite(100);
            assertTrue(frames.length >= 100);
            assertSame(frames, LoopBuffers.of(a).heapWrite(50));
            assertTrue(LoopBuffers.of(a).heapWrite(5000).length >= 5000, "replaced by a larger one");
            assertNotSame(LoopBuffers.of(a).heapWrite(1), LoopBuffers.of(b).heapWrite(1));
        }
    }

    /**
     * Over TLS the socket transport copies each read into the loop's heap read array, which the
     * TLS layer unwraps within the call: two connections of one loop moving data both ways at once
     * through that one array each get exactly their bytes back.
     */
    @Test
    void tlsReadsGoThroughTheLoopsOneHeapReadArray() throws Exception {
        dev.aio4j.loop.Aio.run(() -> {
            EventLoop loop = dev.aio4j.loop.Aio.getRunningLoop();
            dev.aio4j.streams.Server srv = dev.aio4j.streams.Streams.startServer((r, w) -> {
                while (true) {
                    byte[] got = r.read(100_000);
                    if (got.length == 0) {
                        break;
                    }
                    w.write(got);
                    w.drain();
                }
                w.close();
            }, "127.0.0.1", 0, dev.aio4j.streams.test.TestCertificates.server());
            java.util.List<dev.aio4j.loop.Task<byte[][]>> clients = new java.util.ArrayList<>();
            for (int k = 0; k < 2; k++) {
                int seed = k;
                clients.add(dev.aio4j.loop.Aio.createTask(() -> {
                    dev.aio4j.streams.StreamPair c = dev.aio4j.streams.Streams.openConnection("localhost", srv.port(),
                            dev.aio4j.streams.test.TestCertificates.client());
                    byte[] sent = new byte[1_500_000 + seed * 7919];
                    new java.util.Random(seed).nextBytes(sent);
                    dev.aio4j.loop.Task<byte[]> reading = dev.aio4j.loop.Aio.createTask(() -> c.reader().readexactly(sent.length));
                    for (int at = 0; at < sent.length; at += 300_000) {
                        c.writer().write(java.util.Arrays.copyOfRange(sent, at, Math.min(sent.length, at + 300_000)));
                        c.writer().drain();
                    }
                    byte[] back = reading.await();
                    c.writer().close(); // close_notify: the server's read returns end of stream
                    return new byte[][] {sent, back};
                }));
            }
            for (dev.aio4j.loop.Task<byte[][]> t : clients) {
                byte[][] r = t.await();
                org.junit.jupiter.api.Assertions.assertArrayEquals(r[0], r[1]);
            }
            srv.close();
            srv.waitClosed();
            assertEquals(SocketTransport.MAX_READ, LoopBuffers.of(loop).heapRead(1).capacity(),
                    "the reads went through the loop's heap read array");
            return null;
        });
    }
}

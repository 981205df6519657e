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
            ByteBuffer first = LoopBuffers.directRead(a, 1024);
            assertTrue(first.isDirect());
            assertEquals(1024, first.capacity());
            ByteBuffer[] fromAnotherThread = new ByteBuffer[1];
            Thread t = Thread.ofVirtual().start(() -> fromAnotherThread[0] = LoopBuffers.directRead(a, 1024));
            t.join();
            assertSame(first, fromAnotherThread[0], "a task thread holding the baton gets the loop's buffer, not its own");
            assertNotSame(first, LoopBuffers.directRead(b, 1024), "loops run concurrently: each has its own");
            ByteBuffer dgram = LoopBuffers.datagram(a, 2048);
            assertSame(dgram, LoopBuffers.datagram(a, 2048));
            assertNotSame(first, dgram);
            // TLS plaintext: shared by every connection of the loop, replaced only by a larger one
            ByteBuffer plain = LoopBuffers.tlsPlaintext(a, 4096);
            assertSame(plain, LoopBuffers.tlsPlaintext(a, 1024));
            ByteBuffer larger = LoopBuffers.tlsPlaintext(a, 8192);
            assertEquals(8192, larger.capacity());
            assertSame(larger, LoopBuffers.tlsPlaintext(a, 4096));
            assertNotSame(larger, LoopBuffers.tlsPlaintext(b, 4096));
            ByteBuffer records = LoopBuffers.tlsRecords(a, 4096);
            assertNotSame(larger, records, "wrap output and unwrap output are separate buffers");
            assertSame(records, LoopBuffers.tlsRecords(a, 100));
            assertTrue(LoopBuffers.tlsRecords(a, 10_000).capacity() >= 10_000);
        }
    }
}

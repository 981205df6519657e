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
        }
    }
}

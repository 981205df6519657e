package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FlowControl}: asyncio's {@code FlowControlMixin}. Mirrors the drain cases of
 * {@code Lib/test/test_asyncio/test_streams.py} (drain while paused, resumed, lost).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlowControlTest {
    @Test
    void drainReturnsAtOnceWhileNotPaused() throws Exception {
        Aio.run(() -> {
            FlowControl flow = new FlowControl(Aio.getRunningLoop());
            assertFalse(flow.isPaused());
            flow.drain();
            flow.pauseWriting();
            flow.resumeWriting();
            flow.drain();
            return null;
        });
    }

    @Test
    void drainSuspendsUntilResumed() {
        Aio.run(() -> {
            FlowControl flow = new FlowControl(Aio.getRunningLoop());
            flow.pauseWriting();
            assertTrue(flow.isPaused());
            Task<Void> a = Aio.createTask(() -> {
                flow.drain();
                return null;
            });
            Task<Void> b = Aio.createTask(() -> {
                flow.drain();
                return null;
            });
            Aio.sleep(0);
            Aio.sleep(0);
            assertFalse(a.done(), "drain() suspends while paused");
            assertFalse(b.done());
            flow.resumeWriting();
            a.await();
            b.await();
            return null;
        });
    }

    @Test
    void connectionLostWithAnErrorFailsSuspendedDrains() {
        Aio.run(() -> {
            FlowControl flow = new FlowControl(Aio.getRunningLoop());
            flow.pauseWriting();
            Task<Void> a = Aio.createTask(() -> {
                flow.drain();
                return null;
            });
            Aio.sleep(0);
            IOException cause = new IOException("reset by peer");
            flow.connectionLost(cause);
            assertTrue(flow.isLost());
            CompletionException e = assertThrows(CompletionException.class, a::await);
            assertSame(cause, e.getCause());
            assertInstanceOf(SocketException.class, assertThrows(IOException.class, flow::drain),
                    "a drain after the loss throws Connection lost");
            return null;
        });
    }

    @Test
    void cleanCloseLetsASuspendedDrainReturnAndTheNextOneThrows() {
        Aio.run(() -> {
            FlowControl flow = new FlowControl(Aio.getRunningLoop());
            flow.pauseWriting();
            Task<Void> a = Aio.createTask(() -> {
                flow.drain();
                return null;
            });
            Aio.sleep(0);
            flow.connectionLost(null);
            a.await(); // asyncio: a waiter woken by a clean close returns
            IOException e = assertThrows(IOException.class, flow::drain);
            assertTrue(e.getMessage().contains("Connection lost"), e.getMessage());
            return null;
        });
    }
}

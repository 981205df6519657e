package dev.aio4j.http;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A program that runs its loop from inside a synchronized block gets its monitor back intact.
 * aio4j-only regression (found by aio-bench, whose JMH @Setup runs under a monitor): on the
 * carrier back-end, HTTP requests made by a loop carried by a thread holding a monitor left that
 * monitor owned by a task's virtual thread, so other threads could never take it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallerMonitorTest {

    @Test
    void requestsFromInsideSynchronizedLeaveTheMonitorFree_issue2() throws Exception {
        Object lock = new Object();
        try (TestServers.Jdk srv = new TestServers.Jdk().handle("/", ex -> TestServers.send(ex, 200, "pong"))) {
            synchronized (lock) {
                String body = Aio.run(() -> {
                    try (ClientSession s = ClientSession.create()) {
                        String last = null;
                        for (int i = 0; i < 50; i++) {
                            try (ClientResponse r = s.get(srv.url("/"))) {
                                last = r.text();
                            }
                        }
                        return last;
                    }
                });
                assertEquals("pong", body);
            }
        }
        Thread other = Thread.ofPlatform().start(() -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
        other.join(5000);
        assertFalse(other.isAlive(), "another thread could not take the monitor the caller released");
    }
}

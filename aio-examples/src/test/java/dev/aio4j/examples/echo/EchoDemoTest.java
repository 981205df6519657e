package dev.aio4j.examples.echo;

import dev.aio4j.examples.StdoutCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the echo server and clients of asyncio's streams documentation, on loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoDemoTest {

    @Test
    void everyClientGetsItsMessageBackAndTheServerCloses() throws Exception {
        List<String>[] replies = new List[1];
        List<String> out = StdoutCapture.lines(() -> replies[0] = EchoDemo.run(3));
        assertEquals(List.of("Hello World! #1", "Hello World! #2", "Hello World! #3"), replies[0]);
        assertTrue(out.get(0).startsWith("Serving on [/127.0.0.1:"), out.toString());
        for (int i = 1; i <= 3; i++) {
            String m = "Hello World! #" + i;
            assertTrue(out.contains("Send: '" + m + "'"), out.toString());
            assertTrue(out.contains("Received: '" + m + "'"), out.toString());
            int finalI = i;
            assertTrue(out.stream().anyMatch(l -> l.startsWith("Received 'Hello World! #" + finalI + "' from /127.0.0.1:")), out.toString());
        }
        assertEquals(6, out.stream().filter("Close the connection"::equals).count(), "each side closes each connection");
        assertEquals("Server closed after 3 connections", out.get(out.size() - 1));
    }
}

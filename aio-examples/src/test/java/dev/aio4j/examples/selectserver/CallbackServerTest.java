package dev.aio4j.examples.selectserver;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tutorials' select()-based callback server on readiness callbacks, with JDK blocking clients. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallbackServerTest {

    @Test
    void answersEveryRequestAndClosesOnEof() throws Exception {
        int[] counts = new int[2];
        List<String> replies = new ArrayList<>();
        List<String> out = StdoutCapture.lines(() -> Aio.run(() -> {
            try (CallbackServer server = CallbackServer.start("127.0.0.1", 0)) {
                List<Future<String>> clients = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    clients.add(Aio.getRunningLoop().runInExecutor(null, () -> {
                        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                            OutputStream o = s.getOutputStream();
                            InputStream in = s.getInputStream();
                            o.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                            return new String(in.readNBytes(13), StandardCharsets.US_ASCII);
                        }
                    }));
                }
                for (Future<String> c : clients) {
                    replies.add(c.await());
                }
                for (int i = 0; i < 1000 && server.openConnections() > 0; i++) {
                    Aio.sleep(0.005); // the clients' EOFs arrive through the readers
                }
                counts[0] = server.served();
                counts[1] = server.openConnections();
            }
            return null;
        }));
        assertEquals(List.of("Hello, World!", "Hello, World!", "Hello, World!", "Hello, World!"), replies);
        assertEquals(4, counts[0], "requests answered");
        assertEquals(0, counts[1], "connections left open after the clients closed");
        assertTrue(out.get(0).startsWith("Listening on /127.0.0.1:"), out.toString());
        assertEquals(4, out.stream().filter(l -> l.startsWith("Answered a 18-byte request from /127.0.0.1:")).count(), out.toString());
    }
}

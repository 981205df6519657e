package dev.aio4j.http.web;

import dev.aio4j.loop.test.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the access log writes a line: after every answered request (aiohttp's
 * {@code RequestHandler.log_access} in {@code finish_response}), also one whose client went away
 * while the response was being sent (aiohttp logs on the {@code ConnectionError} too). aio4j-only
 * test over a raw loopback socket; the log is caught as the JDK's logging records of
 * {@code dev.aio4j.http.web.access}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebAccessLogTest {
    private LogCapture access;

    @BeforeEach
    void catchTheLog() {
        access = new LogCapture("dev.aio4j.http.web.access").level(java.util.logging.Level.INFO);
    }

    @AfterEach
    void release() {
        access.close();
    }

    private static void routes(Application app) {
        app.router().addGet("/bug-after-leave", r -> {
            while (!r.connection().lost()) {
                dev.aio4j.loop.Aio.sleep(0.01); // until the client's reset has arrived
            }
            throw new IllegalStateException("a bug in the handler");
        });
        app.router().addGet("/small", r -> new Response().text("hi"));
        app.router().addGet("/big", r -> new Response().body(new byte[32 << 20]));
    }

    @Test
    void aHandlersBugIsLoggedAlsoWhenItsClientHasGone() throws Exception { // aiohttp: "Error handling request"
        List<LogRecord> errors;
        try (LogCapture server = new LogCapture("dev.aio4j.http.web.server");
             LoopbackServer srv = new LoopbackServer(ServerConfig.defaults(), WebAccessLogTest::routes)) {
            try (Socket s = srv.connect()) {
                s.getOutputStream().write("GET /bug-after-leave HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                s.setSoLinger(true, 0); // a reset: the connection is lost while the handler runs
            }
            server.awaitRecords(1);
            errors = server.records();
        }
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage().contains("Error handling request from 127.0.0.1: GET /bug-after-leave"), errors.get(0).getMessage());
        assertEquals("a bug in the handler", errors.get(0).getThrown().getMessage());
    }

    @Test
    void anAnsweredRequestIsLogged() throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults().accessLog(true), WebAccessLogTest::routes)) {
            String wire = server.exchange("GET /small HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(wire.startsWith("HTTP/1.1 200 "), wire);
            access.awaitRecords(1);
            List<String> lines = access.messages();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("\"GET /small HTTP/1.1\" 200 "), lines.get(0));
        }
    }

    @Test
    void aClientGoneWhileTheResponseIsSentIsStillLogged() throws Exception { // aiohttp: finish_response's ConnectionError
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults().accessLog(true), WebAccessLogTest::routes)) {
            try (Socket s = server.connect()) {
                s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                s.getInputStream().read(new byte[1024]); // the response has started
                s.setSoLinger(true, 0); // then a reset, with 32 MiB still to send
            }
            access.awaitRecords(1);
            List<String> lines = access.messages();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("\"GET /big HTTP/1.1\" 200 "), lines.get(0));
        }
    }
}

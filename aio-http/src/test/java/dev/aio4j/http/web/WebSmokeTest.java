package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.RequestOption;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSmokeTest {
    @Test
    void servesAndFetches() throws Exception {
        Aio.run(() -> {
            Application app = new Application();
            app.router().addGet("/hello/{name}", r -> new Response().text("Hello, " + r.matchInfo().get("name")));
            app.router().addPost("/echo", r -> new Response().body(r.read()).contentType(r.contentType()));
            AppRunner runner = new AppRunner(app, ServerConfig.defaults());
            runner.setup();
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            site.start();
            String base = "http://127.0.0.1:" + site.port();
            try (ClientSession s = ClientSession.create()) {
                try (ClientResponse r = s.get(base + "/hello/ada")) {
                    assertEquals(200, r.status());
                    assertEquals("Hello, ada", r.text());
                }
                try (ClientResponse r = s.post(base + "/echo", RequestOption.body("xyz"))) {
                    assertEquals("xyz", r.text());
                }
                try (ClientResponse r = s.get(base + "/nope")) {
                    assertEquals(404, r.status());
                }
                try (ClientResponse r = s.put(base + "/echo")) {
                    assertEquals(405, r.status());
                    assertEquals("POST", r.headers().get("Allow"));
                }
            }
            runner.cleanup();
            return null;
        });
    }

    @Test
    void pipelinedRawRequests() throws Exception {
        int[] port = new int[1];
        java.util.concurrent.CompletableFuture<Void> ready = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Void> stop = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Aio.run(() -> {
            Application app = new Application();
            app.router().addGet("/a", r -> new Response().text("A"));
            app.router().addGet("/b", r -> new Response().text("B"));
            AppRunner runner = new AppRunner(app);
            runner.setup();
            TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
            site.start();
            port[0] = site.port();
            ready.complete(null);
            Aio.wrapFuture(stop).await();
            runner.cleanup();
            return null;
        });
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        t.start();
        ready.get();
        try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), port[0])) {
            OutputStream out = sock.getOutputStream();
            out.write(("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = sock.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int a = all.indexOf("\r\n\r\nA");
            int b = all.indexOf("\r\n\r\nB");
            assertTrue(a > 0 && b > a, all);
        }
        stop.complete(null);
        t.join();
    }
}

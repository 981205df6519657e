package dev.aio4j.http.web;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.Headers;
import dev.aio4j.http.MultipartReader;
import dev.aio4j.http.MultipartWriter;
import dev.aio4j.http.RequestOption;
import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link MultipartWriter} as a request body ({@code session.post(url, data=mpwriter)}) and as a
 * response body ({@code web.Response(body=mpwriter)}), over loopback. aio4j-only: aiohttp tests
 * these through its payload machinery, not by name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultipartWriterWebTest {

    /** A handler that reads every part (nested ones as bytes) and answers with their summary. */
    private static Application echoApp(List<String> seen) {
        Application app = new Application();
        app.router().addPost("/upload", r -> {
            seen.add("Content-Type=" + r.headers().get("Content-Type"));
            seen.add("Content-Length=" + r.headers().get("Content-Length"));
            seen.add("Transfer-Encoding=" + r.headers().get("Transfer-Encoding"));
            MultipartReader reader = r.multipart();
            for (MultipartReader.BodyPart p; (p = reader.next()) != null; ) {
                seen.add(p.headers().get("Content-Type") + " " + p.filename() + " " + p.read(1 << 20).length);
            }
            return new Response().text("ok");
        });
        return app;
    }

    @Test
    void anInMemoryWriterIsSentWithContentLength() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        MultipartWriter w = new MultipartWriter("mixed", "b0und");
        w.append("hello");
        w.append(new byte[] {1, 2, 3}, Headers.of("Content-Type", "image/png"))
                .setContentDisposition("attachment", "filename", "x.png");
        MultipartWriter inner = new MultipartWriter("related", "inner");
        inner.append("nested");
        w.append(inner);
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(echoApp(seen)); ClientResponse r = f.post("/upload", RequestOption.data(w))) {
                assertEquals(200, r.status());
            }
            return null;
        });
        assertEquals(List.of("Content-Type=multipart/mixed; boundary=b0und",
                "Content-Length=" + w.size().getAsLong(), "Transfer-Encoding=null",
                "text/plain; charset=utf-8 null 5", "image/png x.png 3",
                "multipart/related; boundary=inner null " + inner.size().getAsLong()), seen);
    }

    @Test
    void aWriterWithAFileIsStreamedChunked(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.bin");
        byte[] content = new byte[150_000];
        new java.util.Random(5).nextBytes(content);
        Files.write(file, content);
        List<String> seen = new CopyOnWriteArrayList<>();
        MultipartWriter w = new MultipartWriter("form-data", "b0und");
        w.append("v").setContentDisposition("form-data", "name", "field");
        w.append(file).setContentDisposition("form-data", "name", "upload", "filename", "big.bin");
        Aio.run(() -> {
            try (WebFixture f = WebFixture.start(echoApp(seen)); ClientResponse r = f.post("/upload", RequestOption.data(w))) {
                assertEquals(200, r.status());
            }
            return null;
        });
        assertEquals(List.of("Content-Type=multipart/form-data; boundary=b0und", "Content-Length=null",
                "Transfer-Encoding=chunked", "text/plain; charset=utf-8 null 1",
                "application/octet-stream big.bin " + content.length), seen);
    }

    @Test
    void aResponseBodyFromAWriterReadsBack() throws Exception {
        Application app = new Application();
        app.router().addGet("/parts", r -> {
            MultipartWriter w = new MultipartWriter("mixed", "srv");
            w.append("first");
            w.append("second".getBytes(StandardCharsets.UTF_8));
            return new Response().body(w);
        });
        List<String> got = Aio.run(() -> {
            try (WebFixture f = WebFixture.start(app); ClientResponse r = f.get("/parts")) {
                assertEquals("multipart/mixed; boundary=srv", r.headers().get("Content-Type"));
                MultipartReader reader = new MultipartReader(r.headers().get("Content-Type"), r.content());
                List<String> out = new ArrayList<>();
                for (MultipartReader.BodyPart p; (p = reader.next()) != null; ) {
                    out.add(p.headers().get("Content-Type") + ": " + p.text(100));
                }
                return out;
            }
        });
        assertEquals(List.of("text/plain; charset=utf-8: first", "application/octet-stream: second"), got);
    }

    @Test
    void aResponseBodyWithAFileIsRefusedWithAdvice(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f.bin");
        Files.write(file, new byte[] {1});
        MultipartWriter w = new MultipartWriter();
        w.append(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Response().body(w));
        assertTrue(e.getMessage().contains("stream it with a StreamResponse"), e.getMessage());
        assertNull(new Response().body());
    }
}

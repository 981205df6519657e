package dev.aio4j.examples.tour;

import dev.aio4j.http.ClientResponse;
import dev.aio4j.http.ClientSession;
import dev.aio4j.http.ETag;
import dev.aio4j.http.MultipartReader;
import dev.aio4j.http.MultipartWriter;
import dev.aio4j.http.RequestOption;
import dev.aio4j.http.web.AppRunner;
import dev.aio4j.http.web.Application;
import dev.aio4j.http.web.Resource;
import dev.aio4j.http.web.Response;
import dev.aio4j.http.web.StaticOptions;
import dev.aio4j.http.web.TCPSite;
import dev.aio4j.loop.Aio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Tour step "files": the everyday parts of an aiohttp.web service around its handlers, served and
 * fetched in one loop. A directory served with {@code add_static(show_index=True,
 * append_version=True)} (a listing, a URL with a content hash for caching); a second GET with the
 * file's {@code ETag} in {@code If-None-Match} answered {@code 304 Not Modified}; a
 * {@code multipart/mixed} upload built with {@code MultipartWriter} (text, bytes, a file streamed)
 * and read part by part with {@code request.multipart()}.
 *
 * <p><b>asyncio:</b> aiohttp's {@code router.add_static}, {@code web.FileResponse}'s conditional
 * requests, {@code aiohttp.MultipartWriter} and {@code await request.multipart()}.
 *
 * @since 0.2
 */
public final class FilesStep implements TourStep {
    /** Creates the step. It keeps no state, so one instance can run any number of times. */
    public FilesStep() {}

    @Override
    public String name() {
        return "files";
    }

    @Override
    public String summary() {
        return "static files with a listing and versioned URLs, a conditional GET answered 304, and a multipart/mixed"
                + " upload built with MultipartWriter and read with request.multipart()";
    }

    @Override
    public String asyncio() {
        return "app.router.add_static('/static', root, show_index=True, append_version=True);"
                + " await session.get(url, headers={'If-None-Match': etag}); await session.post(url, data=MultipartWriter('mixed'))";
    }

    @Override
    public void run(TourContext ctx) throws Exception {
        Path root = Files.createTempDirectory("aio4j-tour-files");
        try {
            Files.writeString(root.resolve("app.js"), "console.log('hello from aio4j');\n");
            Files.writeString(root.resolve("style.css"), "body { font-family: sans-serif; }\n");
            Path upload = Files.write(root.resolve("upload.bin"), new byte[200_000]);
            runIn(ctx, root, upload);
        } finally {
            deleteTree(root);
        }
    }

    private static void runIn(TourContext ctx, Path root, Path upload) throws Exception {
        Application app = new Application();
        Resource statics = app.router().addStatic("/static", root, StaticOptions.defaults().showIndex(true).appendVersion(true));
        app.router().addPost("/upload", request -> {
            MultipartReader reader = request.multipart();
            List<String> parts = new ArrayList<>();
            for (MultipartReader.BodyPart part = reader.next(); part != null; part = reader.next()) {
                long size = 0;
                for (byte[] c = part.readChunk(64 * 1024); c.length > 0; c = part.readChunk(64 * 1024)) {
                    size += c.length; // read in pieces: the upload is never held whole
                }
                parts.add(part.headers().getOrDefault("Content-Type", "?") + " " + size + " B");
            }
            return new Response().text(String.join(", ", parts));
        });
        ctx.did("router().addStatic(\"/static\", dir, StaticOptions.defaults().showIndex(true).appendVersion(true));"
                + " GET the listing and a versioned URL; GET again with If-None-Match; POST a MultipartWriter(\"mixed\")");
        String[] results = Aio.run(() -> {
            AppRunner runner = new AppRunner(app);
            runner.setup();
            try {
                TCPSite site = new TCPSite(runner, "127.0.0.1", 0);
                site.start();
                String base = site.name();
                try (ClientSession session = ClientSession.create()) {
                    String listing;
                    try (ClientResponse r = session.get(base + "/static/")) {
                        String html = r.text();
                        listing = r.status() + ", " + count(html, "<li>") + " entries";
                    }
                    String versioned = statics.urlForFile("app.js");
                    ctx.progress("listing of /static/: " + listing + "; url_for(app.js) = " + versioned);
                    ETag tag;
                    int first;
                    try (ClientResponse r = session.get(base + versioned)) {
                        first = r.status();
                        tag = new ETag(unquote(r.headers().get("ETag")));
                        r.bytes();
                    }
                    int second;
                    try (ClientResponse r = session.get(base + versioned, RequestOption.header("If-None-Match", tag.headerValue()))) {
                        second = r.status();
                    }
                    MultipartWriter mp = new MultipartWriter("mixed");
                    mp.append("a note for the server");
                    mp.append("{\"id\": 7}".getBytes(StandardCharsets.UTF_8));
                    mp.append(upload).setContentDisposition("attachment", "filename", "upload.bin");
                    String uploaded;
                    try (ClientResponse r = session.post(base + "/upload", RequestOption.data(mp))) {
                        uploaded = r.status() + " " + r.text();
                    }
                    return new String[] {listing, versioned, first + " then " + second, uploaded};
                }
            } finally {
                runner.cleanup();
            }
        });
        boolean fine = results[0].startsWith("200, 3 entries") && results[1].contains("?v=") && results[2].equals("200 then 304")
                && results[3].startsWith("200 text/plain; charset=utf-8 21 B, application/octet-stream 9 B, application/octet-stream 200000 B");
        ctx.measured(String.format(Locale.ROOT, "listing %s; versioned URL %s; GET %s with If-None-Match; upload answered %s%s",
                results[0], results[1], results[2], results[3], fine ? "" : " -- FAILED: expected 3 entries, ?v=, 200 then 304 and 3 parts"));
    }

    private static int count(String in, String what) {
        int n = 0;
        for (int at = in.indexOf(what); at >= 0; at = in.indexOf(what, at + what.length())) {
            n++;
        }
        return n;
    }

    private static String unquote(String etag) {
        return etag.substring(etag.indexOf('"') + 1, etag.lastIndexOf('"'));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}

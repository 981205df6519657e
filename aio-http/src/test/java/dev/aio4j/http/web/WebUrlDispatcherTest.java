package dev.aio4j.http.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's {@code tests/test_web_urldispatcher.py}: routing and static files through a
 * real server on loopback, with raw requests (so no client normalizes the path first). Names are
 * aiohttp's in camelCase.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebUrlDispatcherTest {
    @TempDir
    Path tmp;

    /** A response as status and body. */
    record Reply(int status, String head, String body) {
    }

    private static Reply request(Consumer<Application> routes, String method, String target) throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(), routes)) {
            return send(server, method, target);
        }
    }

    private static Reply send(LoopbackServer server, String method, String target) throws Exception {
        String raw = server.exchange(method + " " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        int end = raw.indexOf("\r\n\r\n");
        assertTrue(end > 0, raw);
        return new Reply(Integer.parseInt(raw.substring(9, 12)), raw.substring(0, end), raw.substring(end + 4));
    }

    private static Handler canonicalOfRoute() {
        return r -> new Response().text(r.matchInfo().route().resource().canonical());
    }

    @Test
    void accessRootOfStaticHandlerIs403Or404() throws Exception { // aio4j has no show_index: no listing
        Files.writeString(tmp.resolve("my_file"), "x");
        Reply r = request(app -> app.router().addStatic("/", tmp), "GET", "/");
        assertTrue(r.status() == 403 || r.status() == 404, r.toString());
        assertTrue(!r.body().contains("my_file"), r.body());
    }

    @Test
    void followSymlinkInsideTheRoot() throws Exception { // aio4j: symlinks inside the directory are followed
        Path dir = Files.createDirectory(tmp.resolve("my_dir"));
        Files.writeString(dir.resolve("my_file_in_dir"), "hello world");
        Files.createSymbolicLink(tmp.resolve("my_symlink"), dir);
        Reply r = request(app -> app.router().addStatic("/", tmp), "GET", "/my_symlink/my_file_in_dir");
        assertEquals(200, r.status());
        assertEquals("hello world", r.body());
    }

    @Test
    void symlinkOutOfTheRootIs404() throws Exception { // aio4j has no break_symlink_sandbox: always sandboxed
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "private");
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        assertEquals(404, request(app -> app.router().addStatic("/", root), "GET", "/link/secret").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../private_file", "/safe/../../private_file", "/%2E%2E/private_file", "/..%2Fprivate_file",
        "/safe/..%2F..%2Fprivate_file"})
    void followSymlinkDirectoryTraversal(String target) throws Exception {
        Files.writeString(tmp.resolve("private_file"), "private");
        Path safe = Files.createDirectory(tmp.resolve("safe_dir"));
        Reply r = request(app -> app.router().addStatic("/", safe), "GET", target);
        assertTrue(r.status() == 404 || r.status() == 403 || r.status() == 400, r.toString());
        assertTrue(!r.body().contains("private"), r.body());
    }

    @ParameterizedTest
    @CsvSource({"'',test file.txt,test text", "test dir name,test dir file .txt,test text file folder"})
    void accessToTheFileWithSpaces(String dirName, String filename, String data) throws Exception {
        Path dir = dirName.isEmpty() ? tmp : Files.createDirectory(tmp.resolve(dirName));
        Files.writeString(dir.resolve(filename), data);
        String url = "/" + (dirName.isEmpty() ? "" : dirName.replace(" ", "%20") + "/") + filename.replace(" ", "%20");
        Reply r = request(app -> app.router().addStatic("/", tmp), "GET", url);
        assertEquals(200, r.status());
        assertEquals(data, r.body());
    }

    @Test
    void accessNonExistingResource() throws Exception {
        assertEquals(404, request(app -> app.router().addStatic("/", tmp), "GET", "/non_existing_resource").status());
    }

    @ParameterizedTest
    @CsvSource({"/a:b,/a:b", "/a@b,/a@b", "/a:b,/a%3Ab"})
    void urlEscaping(String registered, String target) throws Exception {
        assertEquals(200, request(app -> app.router().addGet(registered, r -> new Response()), "GET", target).status());
    }

    @Test
    void staticHead() throws Exception {
        Files.writeString(tmp.resolve("test.txt"), "should_not_see_this\n");
        Reply r = request(app -> app.router().addStatic("/", tmp), "HEAD", "/test.txt");
        assertEquals(200, r.status());
        assertEquals("", r.body());
        assertTrue(r.head().contains("Content-Length: 20"), r.head());
    }

    @Test
    void allowHead() throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(), app -> {
            app.router().addGet("/a", r -> new Response(), "a");
            app.router().addGet("/b", r -> new Response(), "b", false);
        })) {
            assertEquals(200, send(server, "GET", "/a").status());
            assertEquals(200, send(server, "HEAD", "/a").status());
            assertEquals(200, send(server, "GET", "/b").status());
            assertEquals(405, send(server, "HEAD", "/b").status());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a", "/{a}", "/{a:.*}"})
    void reuseLastAddedResource(String path) {
        Application app = new Application();
        app.router().addGet(path, r -> new Response(), "a");
        app.router().addRoute("POST", path, r -> new Response(), "a"); // add_post(..., name=) is addRoute here
        assertEquals(1, app.router().resources().size());
    }

    static final class MyView extends View {
        MyView(Request request) {
            super(request);
        }

        @Override
        public StreamResponse get() {
            return new Response().text("get");
        }

        @Override
        public StreamResponse post() {
            return new Response().text("post");
        }
    }

    @Test
    void addView() throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(), app -> app.router().addView("/a", MyView::new))) {
            assertEquals("get", send(server, "GET", "/a").body());
            assertEquals("post", send(server, "POST", "/a").body());
            Reply put = send(server, "PUT", "/a");
            assertEquals(405, put.status());
        }
    }

    @Test
    void webView() throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(),
                app -> app.router().addRoutes(List.of(Web.view("/a", MyView::new))))) {
            assertEquals(200, send(server, "GET", "/a").status());
            assertEquals(200, send(server, "POST", "/a").status());
        }
    }

    @Test
    void staticAbsoluteUrl() throws Exception {
        Path file = Files.writeString(tmp.resolve("file.txt"), "sample text");
        Path here = Files.createDirectory(tmp.resolve("here"));
        assertEquals(404, request(app -> app.router().addStatic("/static", here), "GET", "/static/" + file.toAbsolutePath()).status());
    }

    @Test
    void forIssue5250() throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(), app -> {
            app.router().addStatic("/foo", tmp);
            app.router().addGet("/foobar", r -> new Response().text("success!"));
        })) {
            Reply r = send(server, "GET", "/foobar");
            assertEquals(200, r.status());
            assertEquals("success!", r.body());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/467,802,24834/hello|/467%2C802%2C24834/hello|200",
        "/{user_ids:([0-9]+)(,([0-9]+))*}/hello|/467%2C802%2C24834/hello|200",
        "/467,802,24834/hello|/467,802,24834/hello|200",
        "/{user_ids:([0-9]+)(,([0-9]+))*}/hello|/467,802,24834/hello|200",
        "/1%2C3/hello|/1%2C3/hello|404"})
    void decodedUrlMatch(String route, String target, int status) throws Exception {
        assertEquals(status, request(app -> app.router().addGet(route, r -> new Response()), "GET", target).status());
    }

    @Test
    void orderIsPreserved() throws Exception {
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(), app -> {
            UrlDispatcher router = app.router();
            router.addGet("/first/x/{b}/", canonicalOfRoute());
            router.addGet("/first/{x:.*/b}", canonicalOfRoute());
            router.addGet("/second/{user}/info", canonicalOfRoute());
            router.addGet("/second/bob/info", canonicalOfRoute());
            router.addGet("/third/bob/info", canonicalOfRoute());
            router.addGet("/third/{user}/info", canonicalOfRoute());
            router.addGet("/forth/{name:\\d+}", canonicalOfRoute());
            router.addGet("/forth/42", canonicalOfRoute());
            router.addGet("/fifth/42", canonicalOfRoute());
            router.addGet("/fifth/{name:\\d+}", canonicalOfRoute());
        })) {
            assertEquals("/first/x/{b}/", send(server, "GET", "/first/x/b/").body());
            assertEquals("/second/{user}/info", send(server, "GET", "/second/frank/info").body());
            assertEquals("/second/bob/info", send(server, "GET", "/second/bob/info").body()); // fixed paths first
            assertEquals("/third/bob/info", send(server, "GET", "/third/bob/info").body());
            assertEquals("/third/{user}/info", send(server, "GET", "/third/frank/info").body());
            assertEquals("/forth/{name}", send(server, "GET", "/forth/21").body());
            assertEquals("/forth/42", send(server, "GET", "/forth/42").body());
            assertEquals("/fifth/{name}", send(server, "GET", "/fifth/21").body());
            assertEquals("/fifth/42", send(server, "GET", "/fifth/42").body());
        }
    }

    @Test
    void routeWithRegex() throws Exception {
        Reply r = request(app -> app.router().addGet("/core/locations{tail:.*}", canonicalOfRoute()), "GET", "/core/locations/tail/here");
        assertEquals(200, r.status());
        assertEquals("/core/locations{tail}", r.body());
    }

    @Test
    void subappMiddlewaresAndMatchInfoThroughTheServer() throws Exception { // aio4j-only: sub-apps end to end
        try (LoopbackServer server = new LoopbackServer(ServerConfig.defaults(), app -> {
            Application sub = new Application();
            sub.router().addGet("/x/{id}", r -> new Response().text(r.matchInfo().get("id") + " " + r.matchInfo().apps().size()
                    + " " + (r.app() == r.matchInfo().currentApp())));
            app.addSubapp("/s", sub);
            app.router().addGet("/s/y", r -> new Response().text("parent"));
        })) {
            assertEquals("a%2Fb 2 true".replace("%2F", "/"), send(server, "GET", "/s/x/a%2Fb").body());
            assertEquals("parent", send(server, "GET", "/s/y").body()); // the sub-app's 404 does not hide it
            assertEquals(404, send(server, "GET", "/s/z").status());
        }
    }
}

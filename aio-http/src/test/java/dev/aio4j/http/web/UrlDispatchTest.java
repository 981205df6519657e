package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors aiohttp's {@code tests/test_urldispatch.py}: {@link UrlDispatcher} and {@link Resource}
 * without a server (requests come from {@link MockedRequest}). Names are aiohttp's in camelCase;
 * {@code router.resolve(request)} is the match the server makes for a request.
 */
class UrlDispatchTest {
    private Application app;
    private UrlDispatcher router;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        app = new Application();
        router = app.router();
    }

    private static Handler makeHandler() {
        return request -> {
            throw new AssertionError("not called");
        };
    }

    private MatchInfo resolve(String method, String target) {
        return resolve(app, method, target);
    }

    private static MatchInfo resolve(Application a, String method, String target) {
        return Aio.run(() -> MockedRequest.of(method, target).app(a).build().matchInfo());
    }

    private static HTTPException callHandler(MatchInfo info) {
        return assertThrows(HTTPException.class, () -> info.handler().handle(null));
    }

    private List<Route> fillRoutes() {
        Route route1 = router.addRoute("GET", "/plain", makeHandler());
        Route route2 = router.addRoute("GET", "/variable/{name}", makeHandler());
        Resource resource = router.addStatic("/static", dir);
        List<Route> out = new java.util.ArrayList<>(List.of(route1, route2));
        out.addAll(resource.routes());
        return out;
    }

    @Test
    void registerUncommonHttpMethods() {
        for (String m : List.of("PROPFIND", "PROPPATCH", "COPY", "LOCK", "UNLOCK", "MOVE", "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY")) {
            router.addRoute(m, "/handler/to/path", makeHandler());
        }
        assertEquals(9, router.routes().size());
    }

    @Test
    void addRouteRoot() {
        Handler handler = makeHandler();
        router.addRoute("GET", "/", handler);
        MatchInfo info = resolve("GET", "/");
        assertEquals(Map.of(), info.variables());
        assertSame(handler, info.handler());
        assertNull(info.route().name());
    }

    @Test
    void addRouteSimple() {
        Handler handler = makeHandler();
        router.addRoute("GET", "/handler/to/path", handler);
        MatchInfo info = resolve("GET", "/handler/to/path");
        assertEquals(0, info.variables().size());
        assertSame(handler, info.handler());
        assertNull(info.route().name());
    }

    @Test
    void addWithMatchdict() {
        Handler handler = makeHandler();
        router.addRoute("GET", "/handler/{to}", handler);
        MatchInfo info = resolve("GET", "/handler/tail");
        assertEquals(Map.of("to", "tail"), info.variables());
        assertEquals("tail", info.get("to"));
        assertSame(handler, info.handler());
    }

    @Test
    void addWithMatchdictWithColon() {
        router.addRoute("GET", "/handler/{to}", makeHandler());
        assertEquals(Map.of("to", "1:2:3"), resolve("GET", "/handler/1:2:3").variables());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})
    void addRouteWithShortcut(String method) { // test_add_route_with_add_{get,post,...}_shortcut
        Handler handler = makeHandler();
        switch (method) {
            case "GET" -> router.addGet("/handler/to/path", handler);
            case "POST" -> router.addPost("/handler/to/path", handler);
            case "PUT" -> router.addPut("/handler/to/path", handler);
            case "PATCH" -> router.addPatch("/handler/to/path", handler);
            case "DELETE" -> router.addDelete("/handler/to/path", handler);
            default -> router.addHead("/handler/to/path", handler);
        }
        MatchInfo info = resolve(method, "/handler/to/path");
        assertEquals(0, info.variables().size());
        assertSame(handler, info.handler());
        assertNull(info.route().name());
        assertEquals(method, info.route().method());
    }

    @Test
    void addGetAddsHeadUnlessAllowHeadIsFalse() { // aio4j-only: allow_head of test_subapp_len
        router.addGet("/a", makeHandler());
        router.addGet("/b", makeHandler(), null, false);
        assertNotNull(resolve("HEAD", "/a").route());
        assertEquals(405, resolve("HEAD", "/b").httpException().status());
    }

    @Test
    void addWithName() {
        router.addRoute("GET", "/handler/to/path", makeHandler(), "name");
        assertEquals("name", resolve("GET", "/handler/to/path").route().name());
    }

    @Test
    void addWithTailingSlash() {
        Handler handler = makeHandler();
        router.addRoute("GET", "/handler/to/path/", handler);
        MatchInfo info = resolve("GET", "/handler/to/path/");
        assertEquals(Map.of(), info.variables());
        assertSame(handler, info.handler());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/{/", "/post/{id", "/post/{id{}}", "/post/{id{}", "/post/{id\"}"})
    void addUrlInvalid(String path) { // test_add_invalid_path, test_add_url_invalid1..4
        assertThrows(IllegalArgumentException.class, () -> router.addRoute("POST", path, makeHandler()));
    }

    @Test
    void addUrlEscaping() {
        Handler handler = makeHandler();
        router.addRoute("GET", "/+$", handler);
        assertSame(handler, resolve("GET", "/+$").handler());
    }

    @Test
    void anyMethod() {
        Route route = router.addRoute("*", "/", makeHandler());
        MatchInfo info1 = resolve("GET", "/");
        assertSame(route, info1.route());
        MatchInfo info2 = resolve("POST", "/");
        assertSame(info1.route(), info2.route());
    }

    @Test
    void anyMethodAppearsInRoutes() {
        Route route = router.addRoute("*", "/", makeHandler());
        assertTrue(router.routes().contains(route));
    }

    @Test
    void matchSecondResultInTable() {
        Handler handler2 = makeHandler();
        router.addRoute("GET", "/h1", makeHandler());
        router.addRoute("POST", "/h2", handler2);
        MatchInfo info = resolve("POST", "/h2");
        assertEquals(Map.of(), info.variables());
        assertSame(handler2, info.handler());
    }

    @Test
    void raiseMethodNotAllowed() {
        router.addRoute("GET", "/", makeHandler());
        router.addRoute("POST", "/", makeHandler());
        MatchInfo info = resolve("PUT", "/");
        assertNull(info.route());
        assertEquals(Map.of(), info.variables());
        HTTPMethodNotAllowed exc = assertInstanceOf(HTTPMethodNotAllowed.class, callHandler(info));
        assertEquals("PUT", exc.method());
        assertEquals(405, exc.status());
        assertEquals(Set.of("POST", "GET"), exc.allowedMethods());
    }

    @Test
    void raiseMethodNotFound() {
        router.addRoute("GET", "/a", makeHandler());
        MatchInfo info = resolve("GET", "/b");
        assertNull(info.route());
        assertEquals(Map.of(), info.variables());
        assertEquals(404, assertInstanceOf(HTTPNotFound.class, callHandler(info)).status());
    }

    @Test
    void doubleAddUrlWithTheSameName() {
        router.addRoute("GET", "/get", makeHandler(), "name");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> router.addRoute("GET", "/get_other", makeHandler(), "name"));
        assertTrue(e.getMessage().startsWith("duplicate resource name \"name\": already used by"), e.getMessage());
    }

    @Test
    void routePlain() {
        Route route = router.addRoute("GET", "/get", makeHandler(), "name");
        Route route2 = router.named("name").routes().get(0);
        assertEquals("/get", route2.resource().urlFor());
        assertSame(route, route2);
    }

    @Test
    void routeUnknownRouteName() {
        assertThrows(IllegalArgumentException.class, () -> router.named("unknown"));
    }

    @Test
    void routeDynamic() {
        Route route = router.addRoute("GET", "/get/{name}", makeHandler(), "name");
        Route route2 = router.named("name").routes().get(0);
        assertEquals("/get/John", route2.resource().urlFor("name", "John"));
        assertSame(route, route2);
    }

    @Test
    void addStaticPathChecks() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> router.addStatic("/", dir.resolve("does-not-exist")));
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertThrows(IllegalArgumentException.class, () -> router.addStatic("/", file));
    }

    @Test
    void addStaticPathResolution() throws IOException { // test_add_static_path_resolution
        Path home = Path.of(System.getProperty("user.home"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(home) && home.toRealPath().getParent() != null, "no home directory");
        Resource res = router.addStatic("/", Path.of("~/.."));
        assertEquals(home.toRealPath().getParent(), res.directory());
    }

    @Test
    void staticRouteUserHome() throws IOException { // test_static_route_user_home
        Path home = Path.of(System.getProperty("user.home"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(home), "no home directory");
        assertEquals(home.toRealPath(), router.addStatic("/st", Path.of("~")).directory());
        assertEquals(Path.of("~user", "x"), UrlDispatcher.expandUser(Path.of("~user", "x"))); // ~user is left alone
        assertEquals(Path.of("a", "~"), UrlDispatcher.expandUser(Path.of("a", "~")));
        assertEquals(home.resolve("a/b"), UrlDispatcher.expandUser(Path.of("~/a/b")));
    }

    @Test
    void addStatic() {
        Resource resource = router.addStatic("/st", dir, "static");
        assertSame(resource, router.named("static"));
        assertEquals("/st/dir/a.txt", resource.urlForFile("/dir/a.txt"));
        assertEquals(2, resource.routes().size());
    }

    @Test
    void addStaticQuoting() { // test_add_static_quoting
        Resource resource = router.addStatic("/\u043f\u0440\u0435 %2F\u0444\u0438\u043a\u0441", dir, "static");
        assertSame(resource, router.named("static"));
        assertEquals("/%D0%BF%D1%80%D0%B5%20%2F%D1%84%D0%B8%D0%BA%D1%81/1%202/%D1%84%D0%B0%D0%B9%D0%BB%252F.txt",
                resource.urlForFile("/1 2/\u0444\u0430\u0439\u043b%2F.txt"));
        assertEquals(2, resource.routes().size());
    }

    // ------------------------------------------------------- append_version (test_urldispatch.py)

    /** aiohttp's tests/data.unknown_mime_type holds these bytes; its expected version follows. */
    private static final String DATA = "file content\n";
    private static final String DATA_VERSION = "?v=aUsn8CHEhhszc81d28QmlcBW0KQpfS2F4trgQKhOYd8%3D";

    private void writeData() throws IOException {
        Files.writeString(dir.resolve("data.unknown_mime_type"), DATA);
    }

    @Test
    void addStaticAppendVersion() throws IOException { // test_add_static_append_version
        writeData();
        Resource resource = router.addStatic("/st", dir, "static");
        assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("/data.unknown_mime_type", true));
    }

    @Test
    void addStaticAppendVersionSetFromConstructor() throws IOException { // test_add_static_append_version_set_from_constructor
        writeData();
        Resource resource = router.addStatic("/st", dir, StaticOptions.defaults().appendVersion(true).name("static"));
        assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("/data.unknown_mime_type"));
    }

    @Test
    void addStaticAppendVersionOverrideConstructor() throws IOException { // test_add_static_append_version_override_constructor
        writeData();
        Resource resource = router.addStatic("/st", dir, StaticOptions.defaults().appendVersion(true).name("static"));
        assertEquals("/st/data.unknown_mime_type", resource.urlForFile("/data.unknown_mime_type", false));
    }

    @Test
    void addStaticAppendVersionFilenameWithoutSlash() throws IOException { // test_add_static_append_version_filename_without_slash
        writeData();
        Resource resource = router.addStatic("/st", dir, "static");
        assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type", true));
    }

    @Test
    void addStaticAppendVersionNonExistsFile() { // test_add_static_append_version_non_exists_file
        Resource resource = router.addStatic("/st", dir, "static");
        assertEquals("/st/non_exists_file", resource.urlForFile("/non_exists_file", true));
    }

    @Test
    void addStaticAppendVersionNonExistsFileWithoutSlash() { // test_add_static_append_version_non_exists_file_without_slash
        Resource resource = router.addStatic("/st", dir, "static");
        assertEquals("/st/non_exists_file", resource.urlForFile("non_exists_file", true));
    }

    /** A tree with a link {@code root/append_version_symlink} to a directory outside {@code root} that holds the data file. */
    private Path symlinkOutOfRoot() throws IOException {
        Path target = Files.createDirectory(dir.resolve("target"));
        Files.writeString(target.resolve("data.unknown_mime_type"), DATA);
        Path root = Files.createDirectory(dir.resolve("root"));
        createSymlink(root.resolve("append_version_symlink"), target);
        return root;
    }

    /** Files.createSymbolicLink, skipping the test only where the file system refuses links. */
    static void createSymlink(Path link, Path target) throws IOException {
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            org.junit.jupiter.api.Assumptions.abort("this file system refuses symbolic links: " + e);
        }
    }

    @Test
    void addStaticAppendVersionFollowSymlink() throws IOException { // test_add_static_append_version_follow_symlink
        Path root = symlinkOutOfRoot();
        Resource resource = router.addStatic("/st", root, StaticOptions.defaults().followSymlinks(true).appendVersion(true));
        assertEquals("/st/append_version_symlink/data.unknown_mime_type" + DATA_VERSION,
                resource.urlForFile("/append_version_symlink/data.unknown_mime_type"));
    }

    @Test
    void addStaticAppendVersionNotFollowSymlink() throws IOException { // test_add_static_append_version_not_follow_symlink
        Path root = symlinkOutOfRoot();
        Resource resource = router.addStatic("/st", root, StaticOptions.defaults().followSymlinks(false).appendVersion(true));
        assertEquals("/st/append_version_symlink/data.unknown_mime_type",
                resource.urlForFile("/append_version_symlink/data.unknown_mime_type"));
    }

    @Test
    void appendVersionIsRecomputedAndSkipsDirectoriesAndEscapes() throws IOException { // aio4j: a changed file, a new version
        writeData();
        Files.createDirectory(dir.resolve("sub"));
        Resource resource = router.addStatic("/st", dir, StaticOptions.defaults().appendVersion(true));
        assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));
        Files.writeString(dir.resolve("sub/inner.txt"), DATA);
        Resource inner = router.addStatic("/in", dir.resolve("sub"), StaticOptions.defaults().appendVersion(true));
        assertFalse(inner.urlForFile("../data.unknown_mime_type").contains("?"), "a file outside the directory has no version");
        assertEquals("/in/inner.txt" + DATA_VERSION, inner.urlForFile("inner.txt"));
        Files.writeString(dir.resolve("data.unknown_mime_type"), "abc");
        // Python: base64.urlsafe_b64encode(hashlib.sha256(b"abc").digest())
        assertEquals("/st/data.unknown_mime_type?v=ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0%3D",
                resource.urlForFile("data.unknown_mime_type"));
        assertEquals("/st/sub", resource.urlForFile("sub"));
        assertEquals("/st/", resource.urlForFile(""));
        assertEquals("/st/data.unknown_mime_type", resource.urlForFile("//data.unknown_mime_type", false)); // lstrip("/")
    }

    /** Python: base64.urlsafe_b64encode(hashlib.sha256(b"FILE content\n").digest()), the same size as DATA. */
    private static final String UPPER_VERSION = "?v=" + sha256UrlSafe("FILE content\n");

    private static String sha256UrlSafe(String s) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().encodeToString(d).replace("=", "%3D");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** An hour before now: long settled, as a deployed asset is. */
    private static final java.nio.file.attribute.FileTime AN_HOUR_AGO =
            java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);

    /**
     * A static resource whose versions are read by a clock an hour ahead: a file written by the
     * test (its change time now, which no one can set back) is then as settled as a deployed one.
     */
    private Resource settledStatic() {
        Resource resource = router.addStatic("/st", dir, StaticOptions.defaults().appendVersion(true));
        resource.fileVersions().wallClock(() -> System.currentTimeMillis() + 3_600_000);
        return resource;
    }

    @Test
    void appendVersionIsKeptWhileTheFileIsUnchanged() throws IOException { // aio4j-only: aiohttp reads the file at every url_for
        writeData();
        Files.setLastModifiedTime(dir.resolve("data.unknown_mime_type"), AN_HOUR_AGO);
        Resource resource = settledStatic();
        for (int i = 0; i < 100; i++) { // a template naming the asset a hundred times
            assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));
        }
        // another name for the same file shares its version
        assertEquals("/st/./data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("./data.unknown_mime_type"));
        assertEquals(1, resource.fileVersions().hashed(), "read and hashed once; stat'ed at each call");
    }

    @Test
    void appendVersionFollowsAChangedFile() throws IOException { // aio4j-only: what makes a kept version stale
        Path data = dir.resolve("data.unknown_mime_type");
        writeData();
        Files.setLastModifiedTime(data, AN_HOUR_AGO);
        Resource resource = settledStatic();
        assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));

        // a new modification time, same size
        Files.writeString(data, "FILE content\n");
        Files.setLastModifiedTime(data, java.nio.file.attribute.FileTime.fromMillis(AN_HOUR_AGO.toMillis() + 1000));
        assertEquals("/st/data.unknown_mime_type" + UPPER_VERSION, resource.urlForFile("data.unknown_mime_type"));

        // a new size, the modification time put back
        Files.writeString(data, DATA + "more");
        Files.setLastModifiedTime(data, AN_HOUR_AGO);
        assertEquals("/st/data.unknown_mime_type?v=" + sha256UrlSafe(DATA + "more"), resource.urlForFile("data.unknown_mime_type"));

        // replaced by a rename (a deploy): a new file, whatever its size and times
        Path next = dir.resolve("next.tmp");
        Files.writeString(next, "FILE content\n" + "more");
        Files.setLastModifiedTime(next, AN_HOUR_AGO);
        Files.move(next, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals("/st/data.unknown_mime_type?v=" + sha256UrlSafe("FILE content\n" + "more"),
                resource.urlForFile("data.unknown_mime_type"));
        assertEquals(4, resource.fileVersions().hashed());
    }

    @Test
    void appendVersionFollowsARewriteThatPutsTheTimeBack() throws IOException { // aio4j-only: the change time (unix view)
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"),
                "needs the change time of the unix attribute view");
        Path data = dir.resolve("data.unknown_mime_type");
        writeData();
        Files.setLastModifiedTime(data, AN_HOUR_AGO);
        Resource resource = settledStatic();
        assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));
        Object ctime = Files.getAttribute(data, "unix:ctime");
        // same size, same inode, the modification time set back: only the change time moved
        do {
            Files.writeString(data, "FILE content\n");
            Files.setLastModifiedTime(data, AN_HOUR_AGO);
        } while (Files.getAttribute(data, "unix:ctime").equals(ctime)); // the clock's tick may not have passed yet
        assertEquals("/st/data.unknown_mime_type" + UPPER_VERSION, resource.urlForFile("data.unknown_mime_type"));
    }

    @Test
    void appendVersionIsNotKeptWithoutAFileKeyOrChangeTime() throws IOException { // aio4j-only: as Windows stats a file
        Path data = dir.resolve("data.unknown_mime_type");
        writeData();
        Files.setLastModifiedTime(data, AN_HOUR_AGO);
        Resource resource = settledStatic();
        // no unix view, and a fileKey() of null (Windows): size and modification time are all there is
        resource.fileVersions().stamps(f -> {
            FileVersions.Stamp s = FileVersions.stamp(f);
            return s == null ? null : new FileVersions.Stamp(null, s.size(), s.modified(), null);
        });
        for (int i = 0; i < 3; i++) {
            assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));
        }
        assertEquals(3, resource.fileVersions().hashed(), "hashed at each call, as aiohttp");
        assertEquals(0, resource.fileVersions().size());
        // so a file replaced by a rename with the same size and modification time has its own version
        Path next = dir.resolve("next.tmp");
        Files.writeString(next, "FILE content\n");
        Files.setLastModifiedTime(next, AN_HOUR_AGO);
        Files.move(next, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertEquals("/st/data.unknown_mime_type" + UPPER_VERSION, resource.urlForFile("data.unknown_mime_type"));

        // a file key alone (no change time) says a renamed file is new: the version is kept
        resource.fileVersions().stamps(f -> {
            FileVersions.Stamp s = FileVersions.stamp(f);
            return s == null ? null : new FileVersions.Stamp(s.fileKey(), s.size(), s.modified(), null);
        });
        org.junit.jupiter.api.Assumptions.assumeTrue(FileVersions.stamp(data).fileKey() != null, "needs a file key");
        for (int i = 0; i < 3; i++) {
            assertEquals("/st/data.unknown_mime_type" + UPPER_VERSION, resource.urlForFile("data.unknown_mime_type"));
        }
        assertEquals(5, resource.fileVersions().hashed(), "hashed once more, then kept");
    }

    @Test
    void appendVersionOfARecentlyModifiedFileIsNotKept() throws IOException { // aio4j-only: git's "racily clean" rule
        Path data = dir.resolve("data.unknown_mime_type");
        writeData();
        // modified "after" the read, as a file written in the read's own clock tick would look
        Files.setLastModifiedTime(data, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 3_600_000));
        Resource resource = router.addStatic("/st", dir, StaticOptions.defaults().appendVersion(true));
        for (int i = 0; i < 3; i++) {
            assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));
        }
        assertEquals(3, resource.fileVersions().hashed(), "hashed at each call until it settles");
        assertEquals(0, resource.fileVersions().size());
    }

    @Test
    void appendVersionOfARecentlyChangedFileIsNotKept() throws IOException { // aio4j-only: the change time's tick too
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"),
                "needs the change time of the unix attribute view");
        Path data = dir.resolve("data.unknown_mime_type");
        writeData();
        // just written, the modification time put back (a copy keeping times): only the change time is recent,
        // and a rewrite of the same size in its tick would leave the whole stamp as it is
        Files.setLastModifiedTime(data, AN_HOUR_AGO);
        Resource resource = router.addStatic("/st", dir, StaticOptions.defaults().appendVersion(true));
        for (int i = 0; i < 2; i++) {
            assertEquals("/st/data.unknown_mime_type" + DATA_VERSION, resource.urlForFile("data.unknown_mime_type"));
        }
        assertEquals(2, resource.fileVersions().hashed(), "hashed at each call until its change time settles");
        assertEquals(0, resource.fileVersions().size());
    }

    @Test
    void appendVersionSettledRule() { // aio4j-only: FileVersions.settled at exact instants
        FileVersions.Stamp at1000 = new FileVersions.Stamp("k", 1, java.nio.file.attribute.FileTime.fromMillis(1_000), null);
        assertFalse(FileVersions.settled(at1000, 1_000), "read in the same instant it was written");
        assertFalse(FileVersions.settled(at1000, 2_999), "1.999 s later: within FAT's 2 s tick");
        assertTrue(FileVersions.settled(at1000, 3_000), "2 s later");
        java.nio.file.attribute.FileTime t1000 = java.nio.file.attribute.FileTime.fromMillis(1_000);
        FileVersions.Stamp changedAt5000 = new FileVersions.Stamp("k", 1, t1000, java.nio.file.attribute.FileTime.fromMillis(5_000));
        assertFalse(FileVersions.settled(changedAt5000, 6_999), "changed 1.999 s before: a write in its tick keeps the stamp");
        assertTrue(FileVersions.settled(changedAt5000, 7_000), "changed 2 s before");
    }

    @Test
    void appendVersionKeepsAtMostMaxEntriesFiles() throws IOException { // aio4j-only: nothing grows without a bound
        Resource resource = settledStatic();
        for (int i = 0; i <= FileVersions.MAX_ENTRIES; i++) {
            Path f = dir.resolve("f" + i);
            Files.writeString(f, "x");
            Files.setLastModifiedTime(f, AN_HOUR_AGO);
            resource.urlForFile("f" + i);
        }
        assertEquals(FileVersions.MAX_ENTRIES, resource.fileVersions().size());
        resource.urlForFile("f" + FileVersions.MAX_ENTRIES); // the newest is kept
        assertEquals(FileVersions.MAX_ENTRIES + 1, resource.fileVersions().hashed());
        resource.urlForFile("f0"); // the least recently asked for was dropped
        assertEquals(FileVersions.MAX_ENTRIES + 2, resource.fileVersions().hashed());
    }

    @Test
    void urlForFileUnderTheRootPrefix() { // aio4j: add_static("/") drops the trailing slash, so no "//"
        assertEquals("/a/b.txt", router.addStatic("/", dir).urlForFile("a/b.txt"));
    }

    @Test
    void staticOptionsAreChecked() { // aio4j: each setter checks its own argument
        assertThrows(IllegalArgumentException.class, () -> StaticOptions.defaults().chunkSize(0));
        assertThrows(IllegalArgumentException.class, () -> StaticOptions.defaults().name("1bad"));
        StaticOptions o = StaticOptions.defaults().name("s").chunkSize(1024).showIndex(true).followSymlinks(true).appendVersion(true);
        assertEquals("StaticOptions[name=s, chunkSize=1024, showIndex=true, followSymlinks=true, appendVersion=true]", o.toString());
        assertEquals("StaticOptions[defaults]", StaticOptions.defaults().toString());
        assertEquals(o, StaticOptions.defaults().appendVersion(true).followSymlinks(true).showIndex(true).chunkSize(1024).name("s"));
        assertEquals(256 * 1024, StaticOptions.defaults().chunkSize());
        assertFalse(StaticOptions.defaults().showIndex() || StaticOptions.defaults().followSymlinks()
                || StaticOptions.defaults().appendVersion());
        assertNull(StaticOptions.defaults().name(null).name());
        assertSame(o, router.addStatic("/st", dir, o).staticOptions());
        assertThrows(IllegalArgumentException.class, () -> router.addStatic("/st2", dir, StaticOptions.defaults().name("s")));
    }

    @Test
    void webStaticWithOptions() { // web.static(prefix, path, name=..., show_index=...) and routes.static(...)
        StaticOptions o = StaticOptions.defaults().name("files").showIndex(true);
        RouteDef def = Web.staticFiles("/files", dir, o);
        assertEquals("files", def.name());
        router.addRoutes(List.of(def));
        assertSame(o, router.named("files").staticOptions());
        Application other = new Application();
        other.router().addRoutes(new RouteTableDef().staticFiles("/f", dir, StaticOptions.defaults().name("f").appendVersion(true)));
        assertTrue(other.router().named("f").staticOptions().appendVersion());
    }

    @Test
    void chunkSizeReachesTheFileResponse() throws IOException { // chunk_size=: aiohttp's FileResponse(chunk_size=...)
        Files.writeString(dir.resolve("f.txt"), "x");
        router.addStatic("/st", dir, StaticOptions.defaults().chunkSize(4096));
        FileResponse response = Aio.run(() -> {
            Request request = MockedRequest.of("GET", "/st/f.txt").app(app).build();
            try {
                return assertInstanceOf(FileResponse.class, request.matchInfo().handler().handle(request));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(4096, response.chunkSize());
    }

    @Test
    void plainNotMatch() {
        router.addRoute("GET", "/get/path", makeHandler(), "name");
        assertNull(router.named("name").match("/another/path"));
    }

    @Test
    void dynamicNotMatch() {
        router.addRoute("GET", "/get/{name}", makeHandler(), "name");
        assertNull(router.named("name").match("/another/path"));
    }

    @Test
    void staticNotMatch() {
        router.addStatic("/pre", dir, "name");
        assertNull(router.named("name").match("/another/path"));
    }

    @Test
    void dynamicWithTrailingSlash() {
        router.addRoute("GET", "/get/{name}/", makeHandler(), "name");
        assertEquals(Map.of("name", "John"), router.named("name").match("/get/John/"));
    }

    @Test
    void len() { // test_len, test_iter, test_contains: named resources
        router.addRoute("GET", "/get1", makeHandler(), "name1");
        router.addRoute("GET", "/get2", makeHandler(), "name2");
        assertEquals(2, router.resources().size());
        assertEquals("name1", router.named("name1").name());
        assertThrows(IllegalArgumentException.class, () -> router.named("name3"));
    }

    @Test
    void staticRepr() {
        router.addStatic("/get", dir, "name");
        assertTrue(router.named("name").toString().startsWith("<StaticResource 'name' /get"), router.named("name").toString());
    }

    @Test
    void staticAddsSlash() {
        assertEquals("/prefix", router.addStatic("/prefix", dir).canonical());
    }

    @Test
    void staticRemoveTrailingSlash() {
        assertEquals("/prefix", router.addStatic("/prefix/", dir).canonical());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{to:\\d+}|1234|to|1234",
        "{name}.html|test.html|name|test",
        "{fn:\\w+ \\d+}|abc 123|fn|abc 123",
        "{fn:\\w+\\s\\d+}|abc 123|fn|abc 123"})
    void addRouteWithRe(String pattern, String url, String name, String value) {
        router.addRoute("GET", "/handler/" + pattern, makeHandler());
        assertEquals(Map.of(name, value), resolve("GET", "/handler/" + url.replace(" ", "%20")).variables());
    }

    @Test
    void addRouteWithReAndSlashes() {
        router.addRoute("GET", "/handler/{to:[^/]+/?}", makeHandler());
        assertEquals(Map.of("to", "1234/"), resolve("GET", "/handler/1234/").variables());
        router.addRoute("GET", "/handler/{to:.+}", makeHandler());
        assertEquals(Map.of("to", "1234/5/6/7"), resolve("GET", "/handler/1234/5/6/7").variables());
    }

    @Test
    void addRouteWithReNotMatch() {
        router.addRoute("GET", "/handler/{to:\\d+}", makeHandler());
        MatchInfo info = resolve("GET", "/handler/tail");
        assertNull(info.route());
        assertEquals(Map.of(), info.variables());
        assertInstanceOf(HTTPNotFound.class, callHandler(info));
    }

    @Test
    void addRouteWithReIncludingSlashes() {
        router.addRoute("GET", "/handler/{to:.+}/tail", makeHandler());
        assertEquals(Map.of("to", "re/with/slashes"), resolve("GET", "/handler/re/with/slashes/tail").variables());
    }

    @Test
    void addRouteWithInvalidRe() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> router.addRoute("GET", "/handler/{to:+++}", makeHandler()));
        assertTrue(e.getMessage().startsWith("bad regex \"+++\" for {to} in \"/handler/{to:+++}\""), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void routeDynamicWithRegexSpec() {
        Route route = router.addRoute("GET", "/get/{num:^\\d+}", makeHandler(), "name");
        assertEquals("/get/123", route.resource().urlFor("num", "123"));
    }

    @Test
    void routeDynamicWithRegexSpecAndTrailingSlash() {
        Route route = router.addRoute("GET", "/get/{num:^\\d+}/", makeHandler(), "name");
        assertEquals("/get/123/", route.resource().urlFor("num", "123"));
    }

    @Test
    void routeDynamicWithRegex() {
        Route route = router.addRoute("GET", "/{one}/{two:.+}", makeHandler());
        assertEquals("/1/2", route.resource().urlFor("one", "1", "two", "2"));
    }

    @Test
    void routeDynamicQuoting() {
        Route route = router.addRoute("GET", "/pre/{arg}", makeHandler());
        assertEquals("/pre/1%202/%D1%82%D0%B5%D0%BA%D1%81%D1%82%252F",
                route.resource().urlFor("arg", "1 2/\u0442\u0435\u043a\u0441\u0442%2F"));
    }

    @Test
    void regularMatchInfo() {
        router.addRoute("GET", "/get/{name}", makeHandler());
        MatchInfo info = resolve("GET", "/get/john");
        assertEquals(Map.of("name", "john"), info.variables());
        assertTrue(info.toString().startsWith("<MatchInfo {name=john}:"), info.toString());
        assertTrue(info.toString().contains("<Dynamic"), info.toString());
    }

    @Test
    void matchInfoWithPlus() {
        router.addRoute("GET", "/get/{version}", makeHandler());
        assertEquals(Map.of("version", "1.0+test"), resolve("GET", "/get/1.0+test").variables());
    }

    @Test
    void notFoundRepr() {
        assertEquals("<MatchInfoError 404: Not Found>", resolve("POST", "/path/to").toString());
    }

    @Test
    void notAllowedRepr() {
        router.addRoute("GET", "/path/to", makeHandler());
        router.addRoute("POST", "/path/to", makeHandler());
        assertEquals("<MatchInfoError 405: Method Not Allowed>", resolve("PUT", "/path/to").toString());
    }

    @Test
    void dynamicMatchNonAscii() {
        router.addRoute("GET", "/{var}", makeHandler());
        assertEquals(Map.of("var", "\u0440\u0443\u0441 \u0442\u0435\u043a\u0441\u0442"),
                resolve("GET", "/%D1%80%D1%83%D1%81%20%D1%82%D0%B5%D0%BA%D1%81%D1%82").variables());
    }

    @Test
    void dynamicMatchWithStaticPart() {
        router.addRoute("GET", "/{name}.html", makeHandler());
        assertEquals(Map.of("name", "file"), resolve("GET", "/file.html").variables());
    }

    @Test
    void dynamicMatchTwoPart2() {
        router.addRoute("GET", "/{name}.{ext}", makeHandler());
        assertEquals(Map.of("name", "file", "ext", "html"), resolve("GET", "/file.html").variables());
    }

    @Test
    void dynamicMatchUnquotedPath() {
        router.addRoute("GET", "/{path}/{subpath}", makeHandler());
        String resourceId = "my%2Fpath%7Cwith%21some%25strange%24characters";
        assertEquals(Map.of("path", "path", "subpath", "my/path|with!some%strange$characters"),
                resolve("GET", "/path/" + resourceId).variables());
    }

    @Test
    void dynamicMatchDoubleQuotedPath() {
        router.addRoute("GET", "/{path}/{subpath}", makeHandler());
        String resourceId = "my%2Fpath%7Cwith%21some%25strange%24characters";
        String doubleQuoted = resourceId.replace("%", "%25");
        assertEquals(Map.of("path", "path", "subpath", resourceId), resolve("GET", "/path/" + doubleQuoted).variables());
    }

    @Test
    void addRouteNotStartedWithSlash() {
        assertThrows(IllegalArgumentException.class, () -> router.addRoute("GET", "invalid_path", makeHandler()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BAD METHOD", "B@D_METHOD", "[BAD_METHOD]", "{BAD_METHOD}", "(BAD_METHOD)", "B?D_METHOD"})
    void addRouteInvalidMethod(String method) {
        assertThrows(IllegalArgumentException.class, () -> router.addRoute(method, "/path", makeHandler()));
    }

    @Test
    void routesViewLen() {
        fillRoutes();
        assertEquals(4, router.routes().size());
    }

    @Test
    void routesViewIter() {
        assertEquals(fillRoutes(), router.routes());
    }

    @Test
    void routesViewContains() {
        for (Route r : fillRoutes()) {
            assertTrue(router.routes().contains(r));
        }
    }

    @Test
    void routesAreReadOnly() { // test_routes_abc, test_resources_abc: views, not mutable
        fillRoutes();
        assertThrows(UnsupportedOperationException.class, () -> router.resources().clear());
    }

    @Test
    void namedResources() {
        Route route1 = router.addRoute("GET", "/plain", makeHandler(), "route1");
        Route route2 = router.addRoute("GET", "/variable/{name}", makeHandler(), "route2");
        Resource route3 = router.addStatic("/static", dir, "route3");
        assertSame(route1.resource(), router.named("route1"));
        assertSame(route2.resource(), router.named("route2"));
        assertSame(route3, router.named("route3"));
    }

    @Test
    void resourceIter() {
        Resource resource = router.addResource("/path");
        Route r1 = resource.addRoute("GET", makeHandler());
        Route r2 = resource.addRoute("POST", makeHandler());
        assertEquals(List.of(r1, r2), resource.routes());
    }

    @Test
    void resourceRouteMatch() {
        Route route = router.addResource("/path").addRoute("GET", makeHandler());
        assertEquals(Map.of(), route.resource().match("/path"));
    }

    @Test
    void errorOnDoubleRouteAdding() {
        Resource resource = router.addResource("/path");
        resource.addRoute("GET", makeHandler());
        assertThrows(IllegalArgumentException.class, () -> resource.addRoute("GET", makeHandler()));
    }

    @Test
    void errorOnAddingRouteAfterWildcard() {
        Resource resource = router.addResource("/path");
        resource.addRoute("*", makeHandler());
        assertThrows(IllegalArgumentException.class, () -> resource.addRoute("GET", makeHandler()));
    }

    @Test
    void httpExceptionIsNoneWhenResolved() {
        router.addRoute("GET", "/", makeHandler());
        assertNull(resolve("GET", "/").httpException());
    }

    @Test
    void httpExceptionIsNotNoneWhenNotResolved() {
        router.addRoute("GET", "/", makeHandler());
        HTTPException e = resolve("GET", "/abc").httpException();
        assertNotNull(e);
        assertEquals(404, e.status());
    }

    @Test
    void resourcesViewIter() {
        Resource resource1 = router.addResource("/plain");
        Resource resource2 = router.addResource("/variable/{name}");
        assertEquals(List.of(resource1, resource2), router.resources());
    }

    @Test
    void staticRoutePointsToFile() throws IOException {
        Path file = Files.writeString(dir.resolve("here.txt"), "x");
        assertThrows(IllegalArgumentException.class, () -> router.addStatic("/st", file));
    }

    @Test
    void test404ForStaticResource() {
        router.addStatic("/st", dir);
        assertEquals(404, resolve("GET", "/unknown/path").httpException().status());
    }

    @Test
    void test405ForResourceAdapter() {
        router.addStatic("/st", dir);
        HTTPMethodNotAllowed e = assertInstanceOf(HTTPMethodNotAllowed.class, resolve("POST", "/st/abc.py").httpException());
        assertEquals(Set.of("HEAD", "GET"), e.allowedMethods());
    }

    @Test
    void checkAllowedMethodForFoundResource() {
        router.addResource("/").addRoute("GET", makeHandler());
        assertNotNull(resolve("GET", "/").route());
        HTTPMethodNotAllowed e = assertInstanceOf(HTTPMethodNotAllowed.class, resolve("POST", "/").httpException());
        assertEquals(Set.of("GET"), e.allowedMethods());
    }

    @Test
    void urlForInStaticResource() {
        assertEquals("/static/file.txt", router.addStatic("/static", dir).urlForFile("file.txt"));
    }

    @Test
    void urlForInResourceRoute() {
        Route route = router.addRoute("GET", "/get/{name}", makeHandler(), "name");
        assertEquals("/get/John", route.resource().urlFor("name", "John"));
    }

    @Test
    void subappUrlFor() {
        Resource resource = app.addSubapp("/pre", new Application());
        assertThrows(IllegalArgumentException.class, resource::urlFor);
    }

    @Test
    void subappRepr() {
        Resource resource = app.addSubapp("/pre", new Application());
        assertTrue(resource.toString().startsWith("<PrefixedSubAppResource /pre"), resource.toString());
    }

    @ParameterizedTest // aiohttp's second case, the Python keyword "class", is a fine name in Java
    @ValueSource(strings = {"invalid name", "1st", "a..b"})
    void invalidRouteName(String name) {
        assertThrows(IllegalArgumentException.class, () -> router.addGet("/", makeHandler(), name));
    }

    @Test
    void frozenRouter() {
        app.freeze();
        assertThrows(IllegalStateException.class, () -> router.addGet("/", makeHandler()));
    }

    @Test
    void frozenRouterSubapp() {
        Application subapp = new Application();
        subapp.freeze();
        assertThrows(IllegalStateException.class, () -> app.addSubapp("/pre", subapp));
    }

    @Test
    void frozenAppOnSubapp() {
        app.freeze();
        assertThrows(IllegalStateException.class, () -> app.addSubapp("/pre", new Application()));
    }

    @Test
    void dynamicUrlWithNameStartedFromUnderscore() {
        Route route = router.addRoute("GET", "/get/{_name}", makeHandler());
        assertEquals("/get/John", route.resource().urlFor("_name", "John"));
    }

    @Test
    void prefixedSubappEmptyRoute() { // test_prefixed_subapp_empty_route
        Application subapp = new Application();
        Handler handler = makeHandler();
        subapp.router().addGet("", handler);
        app.addSubapp("/s", subapp);
        app.freeze();
        assertSame(handler, resolve("GET", "/s").route().handler());
        assertEquals("<MatchInfoError 404: Not Found>", resolve("GET", "/s/").toString());
        assertEquals("/s", subapp.router().resources().get(0).urlFor());
    }

    @Test
    void convertEmptyPathToSlashOnFreezing() { // test_convert_empty_path_to_slash_on_freezing
        Handler handler = makeHandler();
        Resource resource = router.addGet("", handler).resource();
        Route other = router.addGet("/x", makeHandler());
        assertEquals("", resource.canonical());
        app.freeze();
        assertEquals("/", resource.canonical());
        assertSame(handler, resolve("GET", "/").route().handler());
        assertSame(other, resolve("GET", "/x").route());
        assertEquals("/", resource.urlFor());
    }

    @Test
    void emptyPathOfADomainSubappIsItsRoot() { // aio4j-only: a domain's sub-application is not mounted at a prefix
        Application subapp = new Application();
        Handler handler = makeHandler();
        subapp.router().addGet("", handler);
        app.addDomain("example.com", subapp);
        app.freeze();
        MatchInfo info = Aio.run(() -> MockedRequest.of("GET", "/").header("Host", "example.com").app(app).build().matchInfo());
        assertSame(handler, info.route().handler());
    }

    @Test
    void cannotAddSubappWithEmptyPrefix() {
        assertThrows(IllegalArgumentException.class, () -> app.addSubapp("", new Application()));
    }

    @Test
    void cannotAddSubappWithSlashPrefix() {
        assertThrows(IllegalArgumentException.class, () -> app.addSubapp("/", new Application()));
    }

    @Test
    void plainResourceCanonical() {
        assertEquals("/plain/path", router.addResource("/plain/path").canonical());
    }

    @Test
    void dynamicResourceCanonical() {
        Map<String, String> canonicals = Map.of(
                "/get/{name}", "/get/{name}",
                "/get/{num:^\\d+}", "/get/{num}",
                "/handler/{to:\\d+}", "/handler/{to}",
                "/{one}/{two:.+}", "/{one}/{two}");
        canonicals.forEach((pattern, canonical) -> assertEquals(canonical, router.addResource(pattern).canonical(), pattern));
    }

    @Test
    void staticResourceCanonical() {
        assertEquals("/prefix", router.addStatic("/prefix", dir).canonical());
    }

    @Test
    void prefixedSubappResourceCanonical() {
        assertEquals("/prefix", app.addSubapp("/prefix", new Application()).canonical());
    }

    @Test
    void prefixedSubappOverlap() {
        Application subapp1 = new Application();
        Handler handler1 = makeHandler();
        subapp1.router().addGet("/a", handler1);
        app.addSubapp("/s", subapp1);
        Application subapp2 = new Application();
        Handler handler2 = makeHandler();
        subapp2.router().addGet("/b", handler2);
        app.addSubapp("/ss", subapp2);
        Application subapp3 = new Application();
        Handler handler3 = makeHandler();
        subapp3.router().addGet("/c", handler3);
        app.addSubapp("/s/s", subapp3);
        assertSame(handler1, resolve("GET", "/s/a").route().handler());
        assertSame(handler2, resolve("GET", "/ss/b").route().handler());
        assertSame(handler3, resolve("GET", "/s/s/c").route().handler());
    }

    @Test
    void prefixedSubappRootRoute() {
        Handler handler = makeHandler();
        Application subapp = new Application();
        subapp.router().addGet("/", handler);
        app.addSubapp("/s", subapp);
        assertSame(handler, resolve("GET", "/s/").route().handler());
        assertEquals("<MatchInfoError 404: Not Found>", resolve("GET", "/s").toString());
    }

    @Test
    void subappMatchInfoNamesTheApps() { // test_web_urldispatcher's match_info.apps, without a server
        Application subapp = new Application();
        subapp.router().addGet("/x", makeHandler());
        app.addSubapp("/s", subapp);
        MatchInfo info = resolve("GET", "/s/x");
        assertEquals(List.of(app, subapp), info.apps());
        assertSame(subapp, info.currentApp());
        assertEquals("/s/x", info.route().resource().urlFor());
    }

    @Test
    void absoluteFormWithAnEmptyPathIsTheRoot() { // aio4j-only: an absolute-form target's empty path is "/" (RFC 9110 4.2.3; aiohttp 3.14: "", 404)
        router.addGet("/", makeHandler());
        assertNotNull(resolve("GET", "http://example.com").route());
        assertNotNull(resolve("GET", "http://example.com?q=1").route());
        assertNotNull(resolve("GET", "http://example.com/").route());
        assertFalse(resolve("GET", "http://example.com/x").route() != null);
    }
}

package dev.aio4j.http.web;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the path rules of static files ({@link StaticFiles#realpath}, the port of Python's
 * non-strict {@code os.path.realpath}, and {@link Resource#normpath}, Python's
 * {@code posixpath.normpath}). aio4j-only: aiohttp relies on Python's own functions.
 */
class StaticFilesProperties {
    /*
     * One tree for every try:
     *   root/a/f            a file
     *   root/a/b/           a directory
     *   root/in -> a        a link inside the tree, relative
     *   root/a/b/up -> ../..  a link to root
     *   root/abs -> <root>/a/b, absolute
     *   root/dangling -> nowhere
     * (the loop case is a test of its own: toRealPath fails on it, so it is no oracle)
     */
    private static Path root;

    private static synchronized Path tree() throws IOException {
        if (root == null) {
            Path r = Files.createTempDirectory("static-props").toRealPath();
            Files.createDirectories(r.resolve("a/b"));
            Files.writeString(r.resolve("a/f"), "x");
            try {
                Files.createSymbolicLink(r.resolve("in"), Path.of("a"));
                Files.createSymbolicLink(r.resolve("a/b/up"), Path.of("../.."));
                Files.createSymbolicLink(r.resolve("abs"), r.resolve("a/b"));
                Files.createSymbolicLink(r.resolve("dangling"), Path.of("nowhere"));
            } catch (UnsupportedOperationException | IOException e) {
                // no links on this file system: the properties still compare what exists
            }
            root = r;
        }
        return root;
    }

    @AfterContainer
    static synchronized void removeTree() throws IOException {
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            root = null;
        }
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.of("a", "b", "f", "in", "up", "abs", "dangling", "missing", "..", ".", "").list().ofMaxSize(7);
    }

    @Property(tries = 300)
    void realpathIsTheJdksWhereverThePathExists(@ForAll("names") List<String> names) throws IOException {
        Path start = tree();
        Path p = start.resolve(String.join("/", names));
        Path ours = StaticFiles.realpath(p);
        Path jdk;
        try {
            jdk = p.toRealPath();
        } catch (IOException e) {
            return; // realpath(3) refuses a missing component; Python's non-strict realpath keeps it
        }
        assertEquals(jdk, ours, p.toString());
    }

    @Example
    void realpathStopsAtALoopAndKeepsMissingComponents() throws IOException { // Python 3.13 non-strict realpath
        Path start = tree();
        assertEquals(start.resolve("a/f"), StaticFiles.realpath(start.resolve("missing/../a/f")));
        assertEquals(start.resolve("nowhere"), StaticFiles.realpath(start.resolve("dangling")));
        Path loop = start.resolve("loop");
        try {
            Files.createSymbolicLink(loop, Path.of("loop"));
        } catch (UnsupportedOperationException | IOException e) {
            return;
        }
        try {
            assertEquals(loop, StaticFiles.realpath(loop));
            assertEquals(loop.resolve("x"), StaticFiles.realpath(loop.resolve("x")));
        } finally {
            Files.delete(loop);
        }
    }

    @Provide
    Arbitrary<String> urlPaths() {
        return Arbitraries.of("a", "b", "..", ".", "", "static").list().ofMaxSize(8).map(l -> "/" + String.join("/", l));
    }

    @Property(tries = 500)
    void normpathLeavesNoDotSegmentsAndIsStable(@ForAll("urlPaths") String path) {
        String n = Resource.normpath(path);
        assertEquals(n, Resource.normpath(n), "idempotent");
        assertTrue(n.startsWith("/"), n);
        String rest = n.startsWith("//") ? n.substring(2) : n.substring(1);
        for (String seg : rest.split("/", -1)) {
            assertTrue(rest.isEmpty() || !seg.isEmpty() && !seg.equals(".") && !seg.equals(".."), n + " from " + path);
        }
        // agrees with the JDK's lexical normalisation for a single leading slash
        if (!path.startsWith("//")) {
            assertEquals(Path.of(path).normalize().toString(), n);
        }
    }
}

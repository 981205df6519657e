package dev.aio4j.http.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 3986 reference resolution: every example of section 5.4 against its base
 * {@code http://a/b/c/d;p?q}, and section 5.2.4's own examples of dot-segment removal. Mirrors
 * yarl's tests of {@code URL.join} (aiohttp resolves with yarl); regression for issue 14.
 */
class UriReferenceTest {
    private static final UriReference BASE = UriReference.split("http://a/b/c/d;p?q");

    /** Section 5.4.1 (normal examples); an empty reference is written as {@code <empty>}. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
            "g:h g:h",
            "g http://a/b/c/g",
            "./g http://a/b/c/g",
            "g/ http://a/b/c/g/",
            "/g http://a/g",
            "//g http://g",
            "?y http://a/b/c/d;p?y",
            "g?y http://a/b/c/g?y",
            "#s http://a/b/c/d;p?q#s",
            "g#s http://a/b/c/g#s",
            "g?y#s http://a/b/c/g?y#s",
            ";x http://a/b/c/;x",
            "g;x http://a/b/c/g;x",
            "g;x?y#s http://a/b/c/g;x?y#s",
            "<empty> http://a/b/c/d;p?q",
            ". http://a/b/c/",
            "./ http://a/b/c/",
            ".. http://a/b/",
            "../ http://a/b/",
            "../g http://a/b/g",
            "../.. http://a/",
            "../../ http://a/",
            "../../g http://a/g",
    })
    void normalExamples_issue14(String ref, String expected) {
        assertEquals(expected, BASE.resolve(UriReference.split(ref.equals("<empty>") ? "" : ref)).toString());
    }

    /** Section 5.4.2 (abnormal examples), with the strict parser ({@code http:g} stays as it is). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
            "../../../g http://a/g",
            "../../../../g http://a/g",
            "/./g http://a/g",
            "/../g http://a/g",
            "g. http://a/b/c/g.",
            ".g http://a/b/c/.g",
            "g.. http://a/b/c/g..",
            "..g http://a/b/c/..g",
            "./../g http://a/b/g",
            "./g/. http://a/b/c/g/",
            "g/./h http://a/b/c/g/h",
            "g/../h http://a/b/c/h",
            "g;x=1/./y http://a/b/c/g;x=1/y",
            "g;x=1/../y http://a/b/c/y",
            "g?y/./x http://a/b/c/g?y/./x",
            "g?y/../x http://a/b/c/g?y/../x",
            "g#s/./x http://a/b/c/g#s/./x",
            "g#s/../x http://a/b/c/g#s/../x",
            "http:g http:g",
    })
    void abnormalExamples_issue14(String ref, String expected) {
        assertEquals(expected, BASE.resolve(UriReference.split(ref)).toString());
    }

    @Test
    void removeDotSegmentsExamplesOfSection524() {
        assertEquals("/a/g", UriReference.removeDotSegments("/a/b/c/./../../g"));
        assertEquals("mid/6", UriReference.removeDotSegments("mid/content=5/../6"));
        assertEquals("/a/b", UriReference.removeDotSegments("/./a/./b"));
        assertEquals("/x", UriReference.removeDotSegments("/../../../x"));
        assertEquals("", UriReference.removeDotSegments(""));
    }

    @Test
    @org.junit.jupiter.api.Timeout(60) // a hang guard only; the bound checked is on memory, not time
    void removeDotSegmentsIsLinearInThePathLength() { // aio4j-only: a Link target of 100 KB (stop 30)
        String many = "/a/.".repeat(25_000) + "/../b";
        assertEquals("/a".repeat(24_999) + "/b", UriReference.removeDotSegments(many));
        assertEquals("/x", UriReference.removeDotSegments("/..".repeat(33_000) + "/x"));
        assertEquals("/", UriReference.removeDotSegments("/.".repeat(50_000)));
        // the shrinking-buffer form copied the rest of the path once per segment: 2.5 GB
        // allocated for these 100 KB, where one pass allocates a few times the path's length.
        // The thread's allocation counter is exact and independent of the machine's speed.
        java.util.function.LongSupplier allocatedBytes = allocationCounter();
        allocatedBytes.getAsLong(); // the first reads may allocate (reflection); not counted
        allocatedBytes.getAsLong();
        for (String path : java.util.List.of(many, "/..".repeat(33_000) + "/x", "/.".repeat(50_000), "/ab/./..".repeat(12_500))) {
            long before = allocatedBytes.getAsLong();
            UriReference.removeDotSegments(path);
            long allocated = allocatedBytes.getAsLong() - before;
            assertTrue(allocated < 64L * path.length() + 65_536, allocated + " bytes allocated for a path of " + path.length());
        }
    }

    /**
     * The bytes this thread allocated so far (HotSpot's {@code com.sun.management.ThreadMXBean}),
     * read reflectively: the test classes are compiled into the module, which does not read
     * jdk.management. Skips the test where the JVM has no such counter.
     */
    private static java.util.function.LongSupplier allocationCounter() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            org.junit.jupiter.api.Assumptions.assumeTrue(hotspot.isInstance(bean)
                    && (boolean) hotspot.getMethod("isThreadAllocatedMemoryEnabled").invoke(bean), "no per-thread allocation counter");
            java.lang.reflect.Method read = hotspot.getMethod("getCurrentThreadAllocatedBytes");
            return () -> {
                try {
                    return (long) read.invoke(bean);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            };
        } catch (ReflectiveOperationException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no per-thread allocation counter: " + e);
            throw new AssertionError(e);
        }
    }

    @Test
    void removeDotSegmentsEdgeCases() { // aio4j-only: each rule of 5.2.4 at the end of the input
        assertEquals("/a/", UriReference.removeDotSegments("/a/b/.."));
        assertEquals("/a/b/", UriReference.removeDotSegments("/a/b/."));
        assertEquals("", UriReference.removeDotSegments("."));
        assertEquals("", UriReference.removeDotSegments(".."));
        assertEquals("g", UriReference.removeDotSegments("../g"));
        assertEquals("g", UriReference.removeDotSegments("./g"));
        assertEquals("/", UriReference.removeDotSegments("/.."));
        assertEquals("/...", UriReference.removeDotSegments("/..."));
        assertEquals("a/.b", UriReference.removeDotSegments("a/.b"));
    }

    @Test
    void splitKeepsUndefinedApartFromEmpty() {
        UriReference r = UriReference.split("http://h?");
        assertEquals("", r.query());
        assertEquals("", r.path());
        assertEquals(null, UriReference.split("http://h").query());
        assertEquals("http://h?", r.toString());
    }

    /** RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), ASCII only. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
            "http true", "HTTPS true", "ws true", "svn+ssh true", "a-b.c+1 true", "z9 true",
            "9z false", "+a false", "-a false", ".a false", "a_b false", "a/b false", "a%20 false",
            "é false", "aé false", "a:b false"})
    void isSchemeFollowsSection3_1(String candidate, boolean expected) {
        assertEquals(expected, UriReference.isScheme(candidate, candidate.length()), candidate);
        assertEquals(expected, UriReference.isScheme(candidate + "://host", candidate.length()), "only the prefix counts");
    }

    @Test
    void anEmptySchemeIsNone() {
        assertEquals(false, UriReference.isScheme("://host", 0));
        assertEquals(false, UriReference.isScheme("", 0));
        assertEquals(false, UriReference.isScheme("abc", -1), "indexOf found no separator");
    }
}

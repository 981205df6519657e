package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;

import java.util.Objects;
import java.util.StringJoiner;

/**
 * How a static directory is served: its resource's name, the size of the pieces files are read
 * in, whether a directory answers with a listing, whether symbolic links may lead out of the
 * directory, and whether {@link Resource#urlForFile} adds a version to the URLs it builds.
 * Immutable: every setter returns a changed copy, so one value can be kept in a constant.
 *
 * <pre>{@code
 * StaticOptions opts = StaticOptions.defaults().name("static").showIndex(true).appendVersion(true);
 * Resource res = app.router().addStatic("/static", Path.of("public"), opts);
 * res.urlForFile("app.js");   // "/static/app.js?v=<hash of the file>"
 * }</pre>
 *
 * <p><b>aiohttp:</b> the keyword arguments of {@code router.add_static(prefix, path, *,
 * name=None, expect_handler=None, chunk_size=256*1024, show_index=False, follow_symlinks=False,
 * append_version=False)} and {@code web.static(...)}. <b>Differences:</b> a value passed to
 * {@link UrlDispatcher#addStatic(String, java.nio.file.Path, StaticOptions)},
 * {@link Web#staticFiles(String, java.nio.file.Path, StaticOptions)} and
 * {@link RouteTableDef#staticFiles(String, java.nio.file.Path, StaticOptions)} instead of keywords.
 * Each setter checks its own argument; the name is checked again, for being
 * unique, when the resource is added.
 *
 * <p><b>Threading:</b> immutable, so safe to share between threads and loops.
 *
 * @since 0.2
 */
public final class StaticOptions {
    /** aiohttp's {@code chunk_size} default: 256 KiB. */
    static final int DEFAULT_CHUNK_SIZE = 256 * 1024;
    private static final StaticOptions DEFAULTS = new StaticOptions();

    private String name;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private boolean showIndex;
    private boolean followSymlinks;
    private boolean appendVersion;
    private ExpectHandler expectHandler;

    private StaticOptions() {}

    private StaticOptions(StaticOptions o) {
        name = o.name;
        chunkSize = o.chunkSize;
        showIndex = o.showIndex;
        followSymlinks = o.followSymlinks;
        appendVersion = o.appendVersion;
        expectHandler = o.expectHandler;
    }

    /**
     * Returns aiohttp's defaults: no name, pieces of 256 KiB, no listing (a directory is a 403),
     * no symbolic link out of the directory, no version in the URLs.
     *
     * @return the default options
     */
    public static StaticOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns the resource's name.
     *
     * @return the name, or null
     */
    public String name() {
        return name;
    }

    /**
     * Names the resource, for {@link UrlDispatcher#named(String)}: {@code name=}.
     *
     * @param name identifiers joined by {@code .}, {@code :} or {@code -}, or null for none
     * @return a changed copy
     * @throws IllegalArgumentException if the name is not made of identifiers
     */
    public StaticOptions name(String name) {
        if (name != null) {
            UrlDispatcher.checkName(name);
        }
        StaticOptions c = new StaticOptions(this);
        c.name = name;
        return c;
    }

    /**
     * Returns the size of the pieces a file is read in.
     *
     * @return bytes (256 KiB by default)
     */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Sets the size of the pieces a {@link FileResponse} reads a file in when it cannot use
     * {@code sendfile} (under TLS): {@code chunk_size=}.
     *
     * @param chunkSize bytes, &gt; 0
     * @return a changed copy
     * @throws IllegalArgumentException if {@code chunkSize <= 0}
     */
    public StaticOptions chunkSize(int chunkSize) {
        StaticOptions c = new StaticOptions(this);
        c.chunkSize = Checks.positive(chunkSize, "chunkSize");
        return c;
    }

    /**
     * Returns whether a directory answers with a listing.
     *
     * @return whether the listing is shown
     */
    public boolean showIndex() {
        return showIndex;
    }

    /**
     * Makes a request for a directory answer with an HTML listing of it (names escaped, a
     * directory's name followed by {@code /}, links below the prefix), as aiohttp's
     * {@code show_index=True}; without it a directory is a 403.
     *
     * @param showIndex whether to list directories
     * @return a changed copy
     */
    public StaticOptions showIndex(boolean showIndex) {
        StaticOptions c = new StaticOptions(this);
        c.showIndex = showIndex;
        return c;
    }

    /**
     * Returns whether symbolic links may lead out of the directory.
     *
     * @return whether links are followed out of the directory
     */
    public boolean followSymlinks() {
        return followSymlinks;
    }

    /**
     * Lets symbolic links under the directory point out of it: {@code follow_symlinks=}. By
     * default a path whose real location (every link followed) is outside the directory is a
     * 404, while a link inside the directory that points inside it is followed. With
     * {@code true} the path is checked before links are followed: {@code ..} still cannot leave
     * the directory, a link placed in it can. (aiohttp 4, its master branch, renames the keyword
     * {@code break_symlink_sandbox}; the rule is the same.)
     *
     * @param followSymlinks whether links may lead out
     * @return a changed copy
     */
    public StaticOptions followSymlinks(boolean followSymlinks) {
        StaticOptions c = new StaticOptions(this);
        c.followSymlinks = followSymlinks;
        return c;
    }

    /**
     * Returns whether {@link Resource#urlForFile(String)} adds a version.
     *
     * @return whether URLs carry the file's hash
     */
    public boolean appendVersion() {
        return appendVersion;
    }

    /**
     * Makes {@link Resource#urlForFile(String)} add {@code ?v=} and the URL-safe Base64 of the
     * SHA-256 of the file's bytes (as aiohttp: padded, the {@code =} written {@code %3D}), so a
     * changed file gets a new URL and caches can keep the old one forever: {@code append_version=}.
     * A missing file, a directory, or one the path rules refuse gets no version.
     * {@link Resource#urlForFile(String, boolean)} overrides it per call.
     *
     * <p><b>Cost:</b> {@code urlForFile} is synchronous, as aiohttp's {@code url_for}: it looks
     * the file up and stats it on the calling thread (in a handler, the loop thread). The hash is
     * kept per resource while the file's inode, size and times stay the same, so the whole file is
     * read on the calling thread only the first time and after it changed (aiohttp reads and
     * hashes it at every call; so does aio4j where the file system gives neither a file identity
     * nor a change time, as on Windows); see {@link Resource#urlForFile(String, boolean)}. For a large
     * file, build its URL once at startup.
     *
     * @param appendVersion whether URLs carry the file's hash
     * @return a changed copy
     */
    public StaticOptions appendVersion(boolean appendVersion) {
        StaticOptions c = new StaticOptions(this);
        c.appendVersion = appendVersion;
        return c;
    }

    /**
     * Returns the expect handler of the resource's GET and HEAD routes.
     *
     * @return the expect handler, or null for {@link ExpectHandler#defaultHandler()}
     * @since 0.2
     */
    public ExpectHandler expectHandler() {
        return expectHandler;
    }

    /**
     * Gives the resource's GET and HEAD routes an expect handler of their own, which a request
     * with an {@code Expect} header meets before the file is looked up: {@code expect_handler=}
     * (see {@link ExpectHandler}).
     *
     * @param expectHandler the expect handler, or null for {@link ExpectHandler#defaultHandler()}
     * @return a changed copy
     * @since 0.2
     */
    public StaticOptions expectHandler(ExpectHandler expectHandler) {
        StaticOptions c = new StaticOptions(this);
        c.expectHandler = expectHandler;
        return c;
    }

    /** Equal when every option is, the expect handler by identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StaticOptions s && Objects.equals(name, s.name) && chunkSize == s.chunkSize
                && showIndex == s.showIndex && followSymlinks == s.followSymlinks && appendVersion == s.appendVersion
                && expectHandler == s.expectHandler;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, chunkSize, showIndex, followSymlinks, appendVersion, System.identityHashCode(expectHandler));
    }

    /**
     * The options that differ from {@link #defaults()}, for instance
     * {@code StaticOptions[name=static, showIndex=true]}; {@code StaticOptions[defaults]} for none.
     */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "StaticOptions[", "]").setEmptyValue("StaticOptions[defaults]");
        if (name != null) {
            j.add("name=" + name);
        }
        if (chunkSize != DEFAULT_CHUNK_SIZE) {
            j.add("chunkSize=" + chunkSize);
        }
        if (showIndex) {
            j.add("showIndex=true");
        }
        if (followSymlinks) {
            j.add("followSymlinks=true");
        }
        if (appendVersion) {
            j.add("appendVersion=true");
        }
        if (expectHandler != null) {
            j.add("expectHandler=" + expectHandler);
        }
        return j.toString();
    }
}

package dev.aio4j.http.web;

import dev.aio4j.http.internal.UrlEncoding;
import dev.aio4j.loop.Aio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handler behind {@link UrlDispatcher#addStatic}: maps a URL path to a file inside one
 * directory, lists directories ({@link StaticOptions#showIndex}) and hashes files for
 * {@link StaticOptions#appendVersion}.
 */
final class StaticFiles {
    private StaticFiles() {}

    /*
     * Maintainer notes. aiohttp's StaticResource._resolve_path_to_response in two steps:
     * - where the name leads: without follow_symlinks, Path.resolve() (every link followed, ".."
     *   taken after the link before it, as realpath(3)) and the result must be inside the
     *   directory; with it, the name is first normalised lexically (os.path.normpath) and that must
     *   be inside, then resolved. realpath() below is Python's non-strict posixpath.realpath: a
     *   component that does not exist or cannot be read is kept as it is (so "missing/../f" is
     *   "f", where the JDK's toRealPath would fail), and a link loop stops at the link (which then
     *   answers 404, as Python's stat ELOOP does).
     * - what is there: a directory is the listing or 403; a permission error is 403; a missing
     *   file or a loop is 404; anything but a regular file (socket, FIFO, device) is 403, as
     *   aiohttp's FileResponse answers NOT_ACCEPTABLE with 403.
     * The file is opened by the real path that was checked (FileResponse gets target.file()),
     * not by the request's name; a component swapped for a link between the check and the open
     * (by someone who can write inside the directory) is still followed, as in aiohttp, which
     * opens its resolved path by name too. The JDK has no openat(O_NOFOLLOW) walk to close that.
     * aiohttp recomputes append_version's hash on every url_for ("TODO cache file content");
     * fileVersion() keeps it per resource while the file's stamp (inode, size, times) stays the
     * same (FileVersions), so a template naming many assets stats them instead of reading them.
     */

    /** Where a name led: the real file, and the path the listing shows it under. */
    private record Target(Path file, Path shown) {
    }

    /**
     * The response for {@code filename}: looked up (and a directory listed, or a missing name's
     * pre-compressed sibling looked for by the request's {@code Accept-Encoding}) in the loop's
     * default executor, as aiohttp's {@code _handle} runs {@code _resolve_path_to_response} there:
     * the lookup reads every component's attributes, and a listing reads the whole directory,
     * which for a large one would hold up every other connection of the loop.
     */
    static StreamResponse serve(Resource resource, String filename, Request request) throws IOException {
        String acceptEncoding = FileResponse.acceptEncoding(request); // read here, on the loop
        return Aio.toThread(() -> resolveToResponse(resource, filename, acceptEncoding));
    }

    private static StreamResponse resolveToResponse(Resource resource, String filename, String acceptEncoding) throws IOException {
        Path root = resource.directory();
        StaticOptions options = resource.staticOptions();
        Target target = locate(root, filename, options.followSymlinks());
        if (target == null) {
            throw new HTTPNotFound();
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(target.file(), BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            throw new HTTPForbidden();
        } catch (NoSuchFileException e) {
            // As aiohttp, a pre-compressed sibling the client accepts is served without the
            // original. It is looked for here, so that a name with none is an HTTPNotFound out of
            // the handler, which the middlewares see (FileResponse's own 404 comes at prepare(),
            // after them). FileResponse looks again; a sibling gone since is a 404 there.
            //
            // The root itself missing (the directory removed while the route is up) has no
            // sibling: its DIR.gz would lie beside the root, outside it. The sibling of any other
            // name lies in that name's directory, inside the root.
            if (target.file().equals(root) || FileResponse.sibling(target.file(), acceptEncoding) == null) {
                throw new HTTPNotFound();
            }
            return new FileResponse(target.file(), options.chunkSize());
        } catch (IOException e) { // a link loop, a file used as a directory
            throw new HTTPNotFound();
        }
        if (attrs.isDirectory()) {
            if (!options.showIndex()) {
                throw new HTTPForbidden();
            }
            String html;
            try {
                html = directoryAsHtml(root, target, resource.staticUrlPrefix());
            } catch (AccessDeniedException e) {
                throw new HTTPForbidden();
            }
            return new Response().contentType("text/html").text(html);
        }
        if (!attrs.isRegularFile()) {
            throw new HTTPForbidden();
        }
        return new FileResponse(target.file(), options.chunkSize());
    }

    /**
     * Where {@code filename} (relative, {@code /}-separated) leads under {@code root} (a real
     * path), or null when the name is malformed (absolute, a NUL, a backslash) or leads out of
     * {@code root} by the rule of {@code followSymlinks}.
     */
    private static Target locate(Path root, String filename, boolean followSymlinks) {
        if (filename == null || filename.indexOf('\0') >= 0 || filename.indexOf('\\') >= 0 || filename.startsWith("/")) {
            return null;
        }
        Path unresolved;
        try {
            if (root.getFileSystem().getPath(filename).isAbsolute()) {
                return null; // D:\x or //share on Windows: aiohttp's is_absolute() check
            }
            unresolved = root.resolve(filename);
        } catch (InvalidPathException e) {
            return null;
        }
        if (followSymlinks) {
            Path normalized = unresolved.normalize();
            if (!normalized.startsWith(root)) {
                return null;
            }
            Path real = realpath(normalized);
            return new Target(real, real.startsWith(root) ? real : normalized);
        }
        Path real = realpath(unresolved);
        return real.startsWith(root) ? new Target(real, real) : null;
    }

    /** Marks, on the stack of names still to walk, the end of a link's target. */
    private record LinkEnd(Path link) {
    }

    /** Python's non-strict {@code os.path.realpath} of an absolute path (see the maintainer notes). */
    static Path realpath(Path path) {
        Path resolved = path.getRoot();
        Deque<Object> rest = new ArrayDeque<>();
        pushNames(rest, path);
        Map<Path, Path> seen = new HashMap<>(); // link -> what it resolved to; null while resolving it
        while (!rest.isEmpty()) {
            Object top = rest.pop();
            if (top instanceof LinkEnd end) {
                seen.put(end.link(), resolved);
                continue;
            }
            String name = (String) top;
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                Path parent = resolved.getParent();
                resolved = parent == null ? resolved : parent;
                continue;
            }
            Path next = resolved.resolve(name);
            Path target;
            try {
                if (!Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isSymbolicLink()) {
                    resolved = next;
                    continue;
                }
                if (seen.containsKey(next)) {
                    Path done = seen.get(next);
                    resolved = done != null ? done : next; // null: a loop; stop at the link
                    continue;
                }
                target = Files.readSymbolicLink(next);
            } catch (IOException | UnsupportedOperationException e) {
                resolved = next;
                continue;
            }
            if (target.isAbsolute()) {
                resolved = target.getRoot();
            }
            seen.put(next, null);
            rest.push(new LinkEnd(next));
            pushNames(rest, target);
        }
        return resolved;
    }

    private static void pushNames(Deque<Object> stack, Path path) {
        List<String> names = new ArrayList<>();
        for (Path name : path) {
            names.add(name.toString());
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            stack.push(names.get(i));
        }
    }

    /**
     * aiohttp's {@code _directory_as_html}: the entries sorted by name, each a link below
     * {@code urlPrefix}, a directory's name with a trailing {@code /}, names escaped.
     */
    private static String directoryAsHtml(Path root, Target dir, String urlPrefix) throws IOException {
        String indexOf = "Index of /" + WebServer.escapeHtml(posix(root.relativize(dir.shown())));
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir.file())) {
            for (Path p : stream) {
                entries.add(p);
            }
        }
        entries.sort((a, b) -> compareCodePoints(a.getFileName().toString(), b.getFileName().toString()));
        StringBuilder html = new StringBuilder("<html>\n<head>\n<title>").append(indexOf).append("</title>\n</head>\n<body>\n<h1>")
                .append(indexOf).append("</h1>\n<ul>\n");
        for (int i = 0; i < entries.size(); i++) {
            Path entry = entries.get(i);
            String name = entry.getFileName().toString();
            String rel = posix(root.relativize(dir.shown().resolve(name)));
            // a '%' in a name is quoted, as urlForFile and yarl's URL.build do: "%41" is not "A"
            String href = UrlEncoding.encodePath(urlPrefix) + "/" + UrlEncoding.encodePath(rel.replace("%", "%25"));
            html.append(i == 0 ? "" : "\n").append("<li><a href=\"").append(href).append("\">")
                    .append(WebServer.escapeHtml(Files.isDirectory(entry) ? name + "/" : name)).append("</a></li>");
        }
        return html.append("\n</ul>\n</body>\n</html>").toString();
    }

    /** A relative path with {@code /} separators, {@code .} for the empty path (pathlib's {@code as_posix()}). */
    private static String posix(Path relative) {
        String s = relative.toString();
        if (s.isEmpty()) {
            return ".";
        }
        String sep = relative.getFileSystem().getSeparator();
        return sep.equals("/") ? s : s.replace(sep, "/");
    }

    /** Python's string order (by code point), which {@code sorted()} of sibling paths follows. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * The version {@code urlForFile} appends for {@code filename}, from {@code versions} (see
     * {@link FileVersions#version}); null if the name is not a regular file the path rules let out.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    static String fileVersion(Path root, String filename, boolean followSymlinks, FileVersions versions) {
        Target target = locate(root, filename, followSymlinks);
        return target == null ? null : versions.version(target.file());
    }
}

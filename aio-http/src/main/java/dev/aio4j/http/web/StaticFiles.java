package dev.aio4j.http.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** The handler behind {@link UrlDispatcher#addStatic}: maps a URL path to a file inside one directory. */
final class StaticFiles {
    private StaticFiles() {}

    static StreamResponse serve(Request request, Path root, String filename) throws IOException {
        Path file = resolve(root, filename);
        if (file == null) {
            throw new HTTPNotFound();
        }
        if (Files.isDirectory(file)) {
            throw new HTTPForbidden();
        }
        if (!Files.isRegularFile(file)) {
            throw new HTTPNotFound();
        }
        return new FileResponse(file);
    }

    /**
     * The file {@code filename} names under {@code root} (a real path), or null when the name
     * is malformed or leads outside {@code root}, by dot segments, a backslash or a symbolic link.
     */
    static Path resolve(Path root, String filename) {
        if (filename == null || filename.isEmpty() || filename.indexOf('\0') >= 0 || filename.indexOf('\\') >= 0) {
            return null;
        }
        for (String segment : filename.split("/", -1)) {
            if (segment.equals("..")) {
                return null;
            }
        }
        Path candidate;
        try {
            candidate = root.resolve(filename).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
        if (!candidate.startsWith(root)) {
            return null;
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }
}

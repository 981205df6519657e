package dev.aio4j.http.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The versions {@link Resource#urlForFile} appends for one static resource: the hash of a file,
 * kept while the file stays the same, so building many URLs (a template naming its assets) stats
 * each file instead of reading and hashing it every time.
 *
 * <p>A file is "the same" while its stamp is: its identity ({@code fileKey}: device and inode on
 * Unix, so a file replaced by a rename is new), size, modification time and, where the file
 * system has the {@code unix} view, its change time (which every write moves and no one can set
 * back). Where the stamp has neither the identity nor the change time (Windows, whose
 * {@code fileKey} is null), a file renamed over another with the same size and modification time
 * would look the same, so nothing is kept: the file is read and hashed at each call, as aiohttp
 * does everywhere. A version is kept only when the file did not change while it was read (the stamps before
 * and after agree) and its modification time, and its change time where there is one, were at
 * least {@link #SETTLE_MILLIS} before the read began: a write in the same tick of the file
 * system's clock as the read (FAT keeps 2 s; Linux moves the change time by a coarse tick of some
 * milliseconds) could leave the stamp as it was, so a file that recent is hashed again at each
 * call until it settles (git's "racily clean" rule). The change time counts too because a write
 * that puts the modification time back (a copy that keeps times) is seen by it alone. At most {@link #MAX_ENTRIES} files are kept, the least recently
 * asked for dropped first.
 *
 * <p>Shared by every loop that serves the application: guarded by {@code this}; a hash is computed
 * outside the lock, so two loops asking at once may both compute it.
 */
final class FileVersions {
    /** The most files whose version is kept per static resource. */
    static final int MAX_ENTRIES = 1024;
    /** How long before a read a file must have been last modified for its version to be kept. */
    static final long SETTLE_MILLIS = 2_000;

    /** What says a file is unchanged; {@code changed} is the change time, or null without the unix view. */
    record Stamp(Object fileKey, long size, FileTime modified, Object changed) {
    }

    private record Kept(Stamp stamp, String version) {
    }

    private final Map<Path, Kept> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Kept> eldest) {
            return size() > MAX_ENTRIES;
        }
    };
    /** How many times a file was read and hashed (tests count the reads the cache saved). */
    private long hashed;
    /** The wall clock in milliseconds, as the file system's times; tests move it. */
    private volatile LongSupplier wallClock = System::currentTimeMillis;
    /** How a file is stat'ed: {@link #stamp(Path)}; tests take attributes away, as another file system has none. */
    private volatile Function<Path, Stamp> stamps = FileVersions::stamp;

    /**
     * The version of {@code file} (a located real path): the URL-safe Base64 (padded, as Python's
     * {@code base64.urlsafe_b64encode}) of the SHA-256 of its bytes, with {@code =} written
     * {@code %3D} as yarl writes it in a query value; null if it is not a regular file (or is gone).
     * Blocking: stats the file, and reads it unless its version is kept.
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    String version(Path file) {
        Function<Path, Stamp> stamps = this.stamps;
        Stamp before = stamps.apply(file);
        if (before == null) {
            return null;
        }
        synchronized (this) {
            Kept e = entries.get(file);
            if (e != null && e.stamp().equals(before)) {
                return e.version();
            }
        }
        long readStart = wallClock.getAsLong(); // wall time: the file system's times are wall times
        String version = hash(file);
        Stamp after = stamps.apply(file);
        synchronized (this) {
            hashed++;
            if (identifies(before) && before.equals(after) && settled(before, readStart)) {
                entries.put(file, new Kept(before, version));
            } else {
                entries.remove(file);
            }
        }
        return version;
    }

    /**
     * Whether a file with {@code stamp}, read from {@code readStartMillis} on, was modified (and
     * changed, where the stamp has a change time) long enough before the read that a later write
     * must change its stamp.
     */
    static boolean settled(Stamp stamp, long readStartMillis) {
        long last = stamp.modified().toMillis();
        if (stamp.changed() instanceof FileTime c) {
            last = Math.max(last, c.toMillis());
        }
        return last <= readStartMillis - SETTLE_MILLIS;
    }

    /**
     * Whether {@code stamp} can tell a file replaced by a rename (or rewritten with its size and
     * modification time kept) from the file it replaced: it has the file's identity or its change
     * time. Without either (Windows: no unix view, {@code fileKey()} null) nothing is kept, and the
     * file is hashed at each call, as aiohttp does.
     */
    static boolean identifies(Stamp stamp) {
        return stamp.fileKey() != null || stamp.changed() != null;
    }

    /** Sets how files are stat'ed (tests: a file system without the unix view or a file key). */
    void stamps(Function<Path, Stamp> stat) {
        stamps = stat;
    }

    /** Sets the wall clock the settling rule reads (tests: a file just written cannot have an old change time). */
    void wallClock(LongSupplier millis) {
        wallClock = millis;
    }

    synchronized long hashed() {
        return hashed;
    }

    synchronized int size() {
        return entries.size();
    }

    /** The stamp of a regular file; null for anything else, or if it cannot be read. */
    static Stamp stamp(Path file) {
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                Map<String, Object> a = Files.readAttributes(file, "unix:isRegularFile,size,lastModifiedTime,ctime,dev,ino");
                if (!Boolean.TRUE.equals(a.get("isRegularFile"))) {
                    return null;
                }
                return new Stamp(a.get("dev") + ":" + a.get("ino"), (Long) a.get("size"), (FileTime) a.get("lastModifiedTime"),
                        a.get("ctime"));
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? new Stamp(a.fileKey(), a.size(), a.lastModifiedTime(), null) : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null; // gone, or unreadable: no version, as aiohttp's is_file() answers False
        }
    }

    private static String hash(Path file) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256, which every JDK must have", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha256.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to hash it for appendVersion: " + e.getMessage(), e);
        }
        return Base64.getUrlEncoder().encodeToString(sha256.digest()).replace("=", "%3D");
    }
}

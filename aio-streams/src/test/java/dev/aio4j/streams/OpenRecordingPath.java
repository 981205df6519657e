package dev.aio4j.streams;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Path} standing for a real file whose {@link FileChannel#open} records the thread that
 * opened it, so a test can tell whether a file was opened on a task's own thread (the loop) or in
 * an executor. Nothing but opening a file channel is supported. aio4j test support.
 */
final class OpenRecordingPath {
    private OpenRecordingPath() {}

    /** The threads that opened {@code real} through the path {@link #of} returned, in order. */
    static final class Opens {
        final List<Thread> openers = new CopyOnWriteArrayList<>();
        /** The channels opened, each watched (the threads that took its size, among others). */
        final List<WatchedFileChannel> channels = new CopyOnWriteArrayList<>();
        /** If set, an open waits for it after opening the file (a slow disk), and {@link #holding} is completed first. */
        volatile java.util.concurrent.CompletableFuture<Void> holdOpen;
        final java.util.concurrent.CompletableFuture<Void> holding = new java.util.concurrent.CompletableFuture<>();
        Path path;
    }

    static Opens of(Path real) {
        Opens opens = new Opens();
        FileSystemProvider provider = new Provider(real, opens);
        FileSystem fs = new Fs(provider);
        opens.path = (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] {Path.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFileSystem" -> fs;
                    case "toString" -> "recording:" + real;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return opens;
    }

    private static final class Provider extends FileSystemProvider {
        private final Path real;
        private final Opens opens;

        Provider(Path real, Opens opens) {
            this.real = real;
            this.opens = opens;
        }

        @Override
        public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
                throws IOException {
            opens.openers.add(Thread.currentThread());
            WatchedFileChannel ch = new WatchedFileChannel(FileChannel.open(real, options, attrs));
            opens.channels.add(ch);
            java.util.concurrent.CompletableFuture<Void> hold = opens.holdOpen;
            if (hold != null) {
                opens.holding.complete(null);
                try {
                    hold.get(30, java.util.concurrent.TimeUnit.SECONDS); // a bound for a failing test only
                } catch (Exception e) {
                    throw new IOException("the test never let the open go", e);
                }
            }
            return ch;
        }

        private static UnsupportedOperationException no() {
            return new UnsupportedOperationException("only newFileChannel");
        }

        @Override public String getScheme() { return "recording"; }
        @Override public FileSystem newFileSystem(URI uri, Map<String, ?> env) { throw no(); }
        @Override public FileSystem getFileSystem(URI uri) { throw no(); }
        @Override public Path getPath(URI uri) { throw no(); }
        @Override public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) { throw no(); }
        @Override public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) { throw no(); }
        @Override public void createDirectory(Path dir, FileAttribute<?>... attrs) { throw no(); }
        @Override public void delete(Path path) { throw no(); }
        @Override public void copy(Path source, Path target, CopyOption... options) { throw no(); }
        @Override public void move(Path source, Path target, CopyOption... options) { throw no(); }
        @Override public boolean isSameFile(Path path, Path path2) { throw no(); }
        @Override public boolean isHidden(Path path) { throw no(); }
        @Override public FileStore getFileStore(Path path) { throw no(); }
        @Override public void checkAccess(Path path, AccessMode... modes) { throw no(); }
        @Override public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) { throw no(); }
        @Override public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) { throw no(); }
        @Override public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) { throw no(); }
        @Override public void setAttribute(Path path, String attribute, Object value, LinkOption... options) { throw no(); }
    }

    private static final class Fs extends FileSystem {
        private final FileSystemProvider provider;

        Fs(FileSystemProvider provider) {
            this.provider = provider;
        }

        private static UnsupportedOperationException no() {
            return new UnsupportedOperationException("only provider()");
        }

        @Override public FileSystemProvider provider() { return provider; }
        @Override public void close() { throw no(); }
        @Override public boolean isOpen() { return true; }
        @Override public boolean isReadOnly() { return true; }
        @Override public String getSeparator() { return "/"; }
        @Override public Iterable<Path> getRootDirectories() { throw no(); }
        @Override public Iterable<FileStore> getFileStores() { throw no(); }
        @Override public Set<String> supportedFileAttributeViews() { throw no(); }
        @Override public Path getPath(String first, String... more) { throw no(); }
        @Override public PathMatcher getPathMatcher(String syntaxAndPattern) { throw no(); }
        @Override public UserPrincipalLookupService getUserPrincipalLookupService() { throw no(); }
        @Override public WatchService newWatchService() { throw no(); }
    }
}

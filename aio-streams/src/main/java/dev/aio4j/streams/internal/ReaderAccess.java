package dev.aio4j.streams.internal;

import dev.aio4j.streams.StreamReader;

/**
 * What aio-streams' internals may do to a {@link StreamReader} that its public API does not offer:
 * hand it an array it may keep ({@link #feedOwned}), which saves the copy {@code feedData} makes.
 * {@code StreamReader} installs the implementation when its class initializes (the JDK's
 * "shared secrets" pattern), so nothing of this shows in the public API.
 */
public final class ReaderAccess {
    /** The operations; implemented inside StreamReader. */
    public interface Ops {
        /**
         * {@code feedData} for an array the caller hands over and never touches again.
         *
         * @param reader the reader
         * @param data the bytes, kept by the reader (possibly returned by a read as they are)
         */
        void feedOwned(StreamReader reader, byte[] data);
    }

    private static volatile Ops ops;

    private ReaderAccess() {}

    /**
     * Called once, by StreamReader's static initializer.
     *
     * @param impl the implementation
     * @throws IllegalStateException if called a second time
     */
    public static synchronized void install(Ops impl) {
        if (ops != null) {
            throw new IllegalStateException("ReaderAccess is installed by StreamReader only");
        }
        ops = impl;
    }

    /**
     * {@code reader.feedData(data)} without the copy: {@code data} belongs to the reader from now on.
     *
     * @param reader the reader (its class is initialized, since it exists)
     * @param data the bytes, never touched by the caller again
     */
    public static void feedOwned(StreamReader reader, byte[] data) {
        ops.feedOwned(reader, data);
    }
}

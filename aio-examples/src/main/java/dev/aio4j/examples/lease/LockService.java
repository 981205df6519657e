package dev.aio4j.examples.lease;

import dev.aio4j.loop.Aio;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock service: each line a node sends ({@code "node-name\n"}) asks for the lease; the
 * service grants it ({@code "GRANTED\n"}) if nobody holds it, the asker holds it already, or the
 * holder's lease ran out by the service's clock, and denies it ({@code "DENIED\n"}) otherwise. A
 * grant lasts {@link #LEASE} seconds from the moment the service decides; the service writes the
 * grant down ({@link #PERSIST} seconds, a disk's fsync) before it answers.
 *
 * <p><b>asyncio:</b> none; a Chubby/etcd-style lease in a few lines of stream code (aio4j-only
 * example).
 *
 * <p><b>Threading:</b> loop-confined: serve it from one loop.
 *
 * @since 0.2
 */
public final class LockService {
    /** How long a grant lasts: {@value} s. */
    public static final double LEASE = 3.0;
    /** How long the service takes to write a grant down before it answers: {@value} s. */
    public static final double PERSIST = 0.2;

    /**
     * One grant: {@code node} held the lease, by the service's clock, from {@code from} until
     * {@code until} (exclusive).
     *
     * @param node the node's name
     * @param from when the service granted it
     * @param until when it runs out
     * @since 0.2
     */
    public record Grant(String node, double from, double until) {
        /**
         * Whether this grant covers {@code node} at time {@code t}.
         *
         * @param node a node's name
         * @param t a loop time
         * @return true if {@code node} held the lease at {@code t} by this grant
         */
        public boolean covers(String node, double t) {
            return this.node.equals(node) && from <= t && t < until;
        }
    }

    private final List<Grant> grants = new ArrayList<>();
    private String holder;
    private double until;

    /** A service with nobody holding the lease. */
    public LockService() {
    }

    /**
     * Serves one node's connection: a {@code Streams.startServer} handler.
     *
     * @param reader the node's requests
     * @param writer the answers
     */
    public void serve(StreamReader reader, StreamWriter writer) {
        try {
            for (byte[] line = reader.readline(); line.length > 0; line = reader.readline()) {
                String node = new String(line, StandardCharsets.UTF_8).trim();
                double now = Aio.getRunningLoop().time();
                boolean granted = holder == null || holder.equals(node) || now >= until;
                if (granted) {
                    holder = node;
                    until = now + LEASE;
                    grants.add(new Grant(node, now, until));
                }
                Aio.sleep(PERSIST);
                writer.write((granted ? "GRANTED\n" : "DENIED\n").getBytes(StandardCharsets.UTF_8));
                writer.drain();
            }
        } catch (IOException gone) {
            // the node went away; it will reconnect
        } finally {
            writer.close();
        }
    }

    /**
     * Every grant so far, in order.
     *
     * @return a copy
     */
    public List<Grant> grants() {
        return List.copyOf(grants);
    }
}

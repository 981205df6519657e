package dev.aio4j.examples.lease;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.Task;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.Streams;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A node that competes for the leader lease of a {@link LockService}: it asks for the lease every
 * {@link #HEARTBEAT} seconds on one connection (reconnecting after errors) and, every
 * {@link #WORK_INTERVAL} seconds, does leader work if it believes it holds the lease.
 *
 * <p>How long it believes a grant lasts is the whole point. The service's grant starts when it
 * decides, which is after the node sent its request; a node that dates its lease from when it
 * <em>sent</em> the request ({@link Dating#FROM_REQUEST}) never believes in a lease the service
 * has given away. A node that dates it from when the <em>reply arrived</em>
 * ({@link Dating#FROM_REPLY}, the planted bug) trusts a stale heartbeat: when the network holds
 * the reply, or delays the next request long enough for the lease to lapse, it acts as leader
 * after the service has stopped counting it as one, perhaps while another node leads.
 *
 * <p><b>asyncio:</b> none; the heartbeat loop of a leader election (aio4j-only example).
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.2
 */
public final class LeaseNode {
    /** How often a node asks for the lease: {@value} s. */
    public static final double HEARTBEAT = 1.0;
    /** How often a node that believes it leads does leader work: {@value} s. */
    public static final double WORK_INTERVAL = 0.1;

    /**
     * When a node's lease starts, in its own belief.
     *
     * @since 0.2
     */
    public enum Dating {
        /** From when the request was sent: never later than the service's grant. Correct. */
        FROM_REQUEST,
        /** From when the reply arrived: trusts a stale heartbeat. The planted bug. */
        FROM_REPLY
    }

    private final String name;
    private final Dating dating;
    private final List<Double> work = new ArrayList<>();
    private double validUntil = Double.NEGATIVE_INFINITY;

    /**
     * A node.
     *
     * @param name its name, sent to the service
     * @param dating how it dates its lease
     */
    public LeaseNode(String name, Dating dating) {
        if (name == null || name.isBlank() || name.contains("\n")) {
            throw new IllegalArgumentException("name must be one non-blank line, got " + name);
        }
        this.name = name;
        this.dating = dating;
    }

    /**
     * Heartbeats and works until loop time {@code stopAt}, then closes its connection.
     *
     * @param lockHost the lock service's host
     * @param port its port
     * @param stopAt the loop time to stop at
     */
    public void run(String lockHost, int port, double stopAt) {
        Task<Object> worker = Aio.createTask(() -> {
            while (now() < stopAt) {
                if (now() < validUntil) {
                    work.add(now());
                }
                Aio.sleep(WORK_INTERVAL);
            }
            return null;
        });
        StreamPair lock = null;
        try {
            while (now() < stopAt) {
                try {
                    if (lock == null) {
                        lock = Streams.openConnection(lockHost, port);
                    }
                    double sent = now();
                    lock.writer().write((name + "\n").getBytes(StandardCharsets.UTF_8));
                    byte[] reply = lock.reader().readline();
                    if (reply.length == 0) {
                        throw new EOFException("the lock service closed the connection");
                    }
                    if (new String(reply, StandardCharsets.UTF_8).equals("GRANTED\n")) {
                        validUntil = (dating == Dating.FROM_REQUEST ? sent : now()) + LockService.LEASE;
                    }
                } catch (IOException e) {
                    if (lock != null) {
                        lock.writer().close();
                        lock = null;
                    }
                }
                Aio.sleep(HEARTBEAT);
            }
        } finally {
            if (lock != null) {
                lock.writer().close();
            }
            worker.cancel();
        }
    }

    private static double now() {
        return Aio.getRunningLoop().time();
    }

    /**
     * The node's name.
     *
     * @return it
     */
    public String name() {
        return name;
    }

    /**
     * The loop times at which it did leader work.
     *
     * @return a copy
     */
    public List<Double> work() {
        return List.copyOf(work);
    }
}

package dev.aio4j.examples.payment;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.streams.Server;
import dev.aio4j.streams.StreamPair;
import dev.aio4j.streams.StreamReader;
import dev.aio4j.streams.StreamWriter;
import dev.aio4j.streams.Streams;
import dev.aio4j.test.net.FaultPlan;
import dev.aio4j.test.net.SimNetwork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A payment client and a bank, plain {@code Streams} code that knows nothing of the simulation.
 * The client sends {@code CHARGE 100} to the bank and, on a network error, retries; the bank
 * applies the charge, then answers {@code OK}. If a reset falls between the two, the
 * {@link Client#RETRY retrying client} charges twice; the {@link Client#IDEMPOTENCY_KEY fixed
 * client} sends a key the bank deduplicates. {@link #chargesApplied} runs one payment on a
 * {@link SimNetwork} under a {@link FaultPlan}: the tour's {@code simnet} step sweeps plans with it,
 * {@code DoubleChargeProperties} lets jqwik find and shrink the plan.
 *
 * <p><b>asyncio:</b> none as a library; the client is
 * {@code reader, writer = await asyncio.open_connection("bank", 443)} in a retry loop (aio4j-only
 * example).
 *
 * <p><b>Threading:</b> loop-confined: run it on one loop.
 *
 * @since 0.2
 */
public final class DoubleCharge {
    /** The client's host name on the network: {@value}. */
    public static final String CLIENT = "client";
    /** The bank's host name on the network: {@value}. */
    public static final String BANK = "bank";
    /** The bank's port: {@value}. */
    public static final int PORT = 443;

    /**
     * Which client pays.
     *
     * @since 0.2
     */
    public enum Client {
        /** Retries the bare charge after any network error: the planted bug. */
        RETRY,
        /** Retries the charge with an idempotency key the bank deduplicates. Correct. */
        IDEMPOTENCY_KEY
    }

    private DoubleCharge() {
    }

    /**
     * A network with hosts {@link #CLIENT} and {@link #BANK}, 5 ms apart plus up to
     * {@code jitter} seconds, installed on the running loop.
     *
     * @param seed the network's seed
     * @param jitter the most random latency added to each hop, in seconds
     * @return the installed network
     */
    public static SimNetwork network(long seed, double jitter) {
        SimNetwork net = new SimNetwork(seed);
        net.addHost(CLIENT);
        net.addHost(BANK);
        net.setLatency(0.005, jitter);
        net.install(Aio.getRunningLoop());
        return net;
    }

    /**
     * Runs one payment on {@code net} (as {@link #network} makes it): starts the bank on its host,
     * applies {@code plan}, runs {@code client} on its host until it is paid or gives up (a crash
     * of its host cancels it, which counts as giving up), lets the bank see its connections end,
     * and closes the bank.
     *
     * @param net the network, installed on the running loop
     * @param plan the faults to apply
     * @param client which client pays
     * @return how many times the bank applied the charge
     */
    public static int chargesApplied(SimNetwork net, FaultPlan plan, Client client) {
        int[] applied = {0};
        Set<String> seenKeys = new HashSet<>();
        Server bank = net.spawn(BANK, () -> Streams.startServer((r, w) -> serve(r, w, applied, seenKeys), BANK, PORT))
                .await();
        plan.apply(net);
        try {
            net.spawn(CLIENT, () -> pay(client)).await();
        } catch (CancelledError crashed) {
            // a Crash of the client host cancelled it: it gave up, which is allowed
        }
        Aio.sleep(1); // lets the bank's handlers see the end of their connections
        bank.close();
        bank.waitClosed();
        return applied[0];
    }

    /** The bank: applies "CHARGE amount" (once per key when the request carries one) and answers OK. */
    private static void serve(StreamReader reader, StreamWriter writer, int[] applied, Set<String> seenKeys) {
        try {
            for (byte[] line = reader.readline(); line.length > 0; line = reader.readline()) {
                String request = new String(line, StandardCharsets.UTF_8).trim();
                int k = request.indexOf(" key=");
                if (k < 0 || seenKeys.add(request.substring(k + 5))) {
                    applied[0]++;
                }
                writer.write("OK\n".getBytes(StandardCharsets.UTF_8));
                writer.drain();
            }
        } catch (IOException reset) {
            // the client went away
        } finally {
            writer.close();
        }
    }

    /**
     * The client: sends the charge to {@link #BANK}, retries up to 4 times, 50 ms apart, on a
     * network error (reset, refused, unreachable).
     *
     * @param client which client: with or without an idempotency key
     * @return true if the bank answered OK, false if every attempt failed
     */
    public static boolean pay(Client client) {
        String request = "CHARGE 100" + (client == Client.IDEMPOTENCY_KEY ? " key=order-42" : "") + "\n";
        for (int attempt = 0; attempt < 5; attempt++) {
            StreamPair p = null;
            try {
                p = Streams.openConnection(BANK, PORT);
                p.writer().write(request.getBytes(StandardCharsets.UTF_8));
                byte[] reply = p.reader().readline();
                if (new String(reply, StandardCharsets.UTF_8).equals("OK\n")) {
                    return true;
                }
            } catch (IOException e) {
                // the retry: the bug when the bank applied the charge already and the key is missing
            } finally {
                if (p != null) {
                    p.writer().close();
                }
            }
            Aio.sleep(0.050);
        }
        return false;
    }
}

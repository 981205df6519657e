package dev.aio4j.streams.internal;

/**
 * The one rule for a write a transport drops because it is closing or closed: asyncio's
 * transports count such writes in {@code _conn_lost} and warn from the
 * {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}-th on. Used by the socket, datagram, pipe and TLS
 * transports. (aio-test's simulated datagram endpoint words its warning the same, under its own
 * logger, {@code dev.aio4j.test}.)
 */
final class DroppedWrites {
    private DroppedWrites() {}

    private static final System.Logger LOG = System.getLogger("dev.aio4j.streams");
    /** asyncio's {@code constants.LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
    static final int LOG_THRESHOLD = 5;

    /**
     * Counts one more dropped write and, from the threshold on, logs a WARNING
     * "{what}: {bytes} bytes dropped ({count} {unit} so far): {transport}".
     *
     * @param droppedSoFar the writes dropped before this one
     * @param bytes the size of this one
     * @param what the call and the transport, e.g. "write() on a closing or closed pipe"
     * @param unit what is counted, plural ("writes", "sends")
     * @param transport named in the warning (its toString is built only when the warning is logged)
     * @return {@code droppedSoFar + 1}
     */
    static int drop(int droppedSoFar, int bytes, String what, String unit, Object transport) {
        int dropped = droppedSoFar + 1;
        if (dropped >= LOG_THRESHOLD) {
            LOG.log(System.Logger.Level.WARNING, what + ": " + bytes + " bytes dropped (" + dropped + " " + unit + " so far): "
                    + transport);
        }
        return dropped;
    }
}

package dev.aio4j.streams;

/**
 * What a stream server runs for each connection, as a task of its own.
 *
 * <p><b>asyncio:</b> the {@code client_connected_cb} of {@code asyncio.start_server}.
 * <b>Differences:</b> always run as a task (asyncio also accepts a plain function); it may throw
 * any exception: the server then closes the connection and reports the exception to the loop's
 * exception handler ("Unhandled exception in client_connected_cb").
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ClientConnectedCallback {
    /**
     * Serves one connection.
     *
     * @param reader the connection's reading end
     * @param writer the connection's writing end; close it when done
     * @throws Exception anything; see the class Javadoc
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}

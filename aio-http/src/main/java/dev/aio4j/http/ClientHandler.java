package dev.aio4j.http;

/**
 * The rest of the chain as a {@link ClientMiddleware} sees it: the next middleware, or, after the
 * last one, the session sending the request on a pooled connection and returning the response
 * once its head has arrived.
 *
 * <p>Call it with the {@link ClientRequest} the middleware was given (changed or not), once to pass
 * the request on, several times to send it again (a retry, an answer to an authentication
 * challenge), or not at all to answer without the network. Each call sends the request as it is
 * at that moment: its headers and body then, the same method and URL.
 *
 * <p><b>aiohttp:</b> {@code aiohttp.ClientHandlerType}, the {@code handler} a client middleware
 * awaits. <b>Differences:</b> a functional interface whose {@link #send} suspends the calling
 * task and returns the response.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ClientHandler {
    /**
     * Sends {@code request} through the rest of the chain and returns the response.
     *
     * <p><b>Cancellation:</b> suspends as {@link ClientSession#request} does; cancelled, the
     * connection in use is closed and the cancellation propagates.
     *
     * @param request the request of this hop, as the middleware was given it
     * @return the response, which the caller closes or returns
     * @throws ClientError and its subclasses as {@link ClientSession#request} documents
     */
    ClientResponse send(ClientRequest request);
}

package dev.aio4j.streams;

/**
 * What {@link Streams#createConnection} returns: the transport and the protocol the factory made.
 *
 * <p><b>asyncio:</b> the {@code (transport, protocol)} tuple of {@code loop.create_connection}.
 * <b>Differences:</b> a record.
 *
 * @param transport the connection's transport
 * @param protocol the protocol, already connected
 * @param <P> the protocol type
 * @since 0.1
 */
public record TransportAndProtocol<P extends Protocol>(Transport transport, P protocol) {
}

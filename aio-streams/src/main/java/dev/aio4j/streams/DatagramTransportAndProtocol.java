package dev.aio4j.streams;

/**
 * What {@link Streams#createDatagramEndpoint} returns: the transport and the protocol the factory
 * made.
 *
 * <p><b>asyncio:</b> the {@code (transport, protocol)} tuple of
 * {@code loop.create_datagram_endpoint}. <b>Differences:</b> a record.
 *
 * @param transport the endpoint's transport
 * @param protocol the protocol, already told {@code connectionMade}
 * @param <P> the protocol type
 * @since 0.1
 */
public record DatagramTransportAndProtocol<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {
}

package dev.aio4j.streams;

/**
 * What {@link Streams#openConnection} returns: the reading and writing ends of one connection.
 *
 * <p><b>asyncio:</b> the {@code (reader, writer)} tuple of {@code asyncio.open_connection}.
 * <b>Differences:</b> a record.
 *
 * @param reader the reading end
 * @param writer the writing end
 * @since 0.1
 */
public record StreamPair(StreamReader reader, StreamWriter writer) {
}

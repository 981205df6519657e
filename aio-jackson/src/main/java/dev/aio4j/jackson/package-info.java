/**
 * Jackson for aio-http: {@link dev.aio4j.jackson.JacksonCodec}, the {@code json=} and
 * {@code json()} of aiohttp's client and server, backed by an {@code ObjectMapper}.
 */
package dev.aio4j.jackson;

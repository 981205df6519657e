package dev.aio4j.http;

import java.lang.reflect.Type;

/**
 * Turns values into JSON text and JSON text into values, for request bodies given with
 * {@link RequestOption#json(Object)} and for {@link ClientResponse#json()}. aio-http has no JSON
 * library of its own (its runtime is the JDK alone), so you plug in the one your application
 * uses, once per session with {@link ClientSession.Builder#jsonCodec(JsonCodec)}:
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper();                       // Jackson
 * JsonCodec jackson = new JsonCodec() {
 *     public String encode(Object value) throws Exception { return mapper.writeValueAsString(value); }
 *     public Object decode(String json, Type type) throws Exception { return mapper.readValue(json, mapper.constructType(type)); }
 * };
 * Gson gson = new Gson();                                         // or Gson
 * JsonCodec viaGson = new JsonCodec() {
 *     public String encode(Object value) { return gson.toJson(value); }
 *     public Object decode(String json, Type type) { return gson.fromJson(json, type); }
 * };
 * ClientSession session = ClientSession.builder().jsonCodec(jackson).build();
 * }</pre>
 *
 * <p>A codec's exceptions are wrapped: a failing {@code encode} makes the request throw
 * {@link IllegalArgumentException}, a failing {@code decode} makes {@code json()} throw
 * {@link ClientPayloadError}; the codec's exception is the cause.
 *
 * <p><b>aiohttp:</b> {@code ClientSession(json_serialize=json.dumps)} and the {@code loads=}
 * argument of {@code ClientResponse.json()}. <b>Differences:</b> one interface for both
 * directions; no default (Python has {@code json} in its standard library, the JDK has none).
 *
 * <p><b>Threading:</b> called in the requesting task, on the loop: keep it quick and never block.
 *
 * @since 0.1
 */
public interface JsonCodec {
    /**
     * Serializes a value as JSON text.
     *
     * @param value what {@link RequestOption#json(Object)} was given, possibly {@code null}
     * @return the JSON text (sent as UTF-8)
     * @throws Exception if the value cannot be serialized
     */
    String encode(Object value) throws Exception;

    /**
     * Parses JSON text into a value of {@code type}.
     *
     * @param json the body, decoded as text with its charset (UTF-8 by default)
     * @param type what the caller asked for: {@code Object.class} for {@link ClientResponse#json()}
     *        (maps, lists, strings, numbers, booleans and null, as your library represents them), or
     *        the class or generic type given to {@link ClientResponse#json(Type, String)}
     * @return the value, an instance of {@code type}
     * @throws Exception if the text is not JSON or does not fit {@code type}
     */
    Object decode(String json, Type type) throws Exception;
}

package dev.aio4j.jackson;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aio4j.http.JsonCodec;

import java.lang.reflect.Type;
import java.util.Objects;

/**
 * aio-http's {@link JsonCodec} backed by a Jackson {@link ObjectMapper}: give it to a client
 * session or a web application and {@code json=}, {@code response.json()},
 * {@code request.json()} and {@code Web.jsonResponse} use Jackson.
 *
 * <pre>{@code
 * ClientSession session = ClientSession.builder().jsonCodec(new JacksonCodec()).build();
 * Application app = new Application().jsonCodec(new JacksonCodec());
 * }</pre>
 *
 * <p><b>aiohttp:</b> the {@code json_serialize=} / {@code dumps=} / {@code loads=} arguments
 * (Python's {@code json} module is aiohttp's default). <b>Differences:</b> aio-http has no JSON
 * library of its own; this optional module plugs Jackson in.
 *
 * <p><b>Threading:</b> as thread-safe as its mapper (a configured {@code ObjectMapper} is).
 *
 * @since 0.2
 */
public final class JacksonCodec implements JsonCodec {
    private final ObjectMapper mapper;

    /** A codec over a new {@code ObjectMapper} with Jackson's defaults. */
    public JacksonCodec() {
        this(new ObjectMapper());
    }

    /**
     * A codec over your mapper (its modules, naming strategy and features apply).
     *
     * @param mapper the mapper
     */
    public JacksonCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * Returns the mapper.
     *
     * @return the mapper this codec uses
     */
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public String encode(Object value) throws Exception {
        return mapper.writeValueAsString(value);
    }

    @Override
    public Object decode(String json, Type type) throws Exception {
        JavaType t = mapper.getTypeFactory().constructType(type);
        return mapper.readValue(json, t);
    }

    @Override
    public String toString() {
        return "JacksonCodec[" + mapper.getClass().getSimpleName() + "]";
    }
}

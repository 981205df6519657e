package dev.aio4j.http;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * A test double for {@link JsonCodec}: it knows a fixed table of values and their JSON texts and
 * nothing else, so the tests exercise aio-http's plumbing without a JSON library (and without a
 * JSON parser of our own). Unknown input fails as a real codec would. aio4j-only.
 */
final class CannedJsonCodec implements JsonCodec {
    private final Map<Object, String> texts;

    CannedJsonCodec(Map<Object, String> texts) {
        this.texts = Map.copyOf(texts);
    }

    @Override
    public String encode(Object value) throws Exception {
        String text = texts.get(value);
        if (text == null) {
            throw new java.io.IOException("no canned JSON for " + value);
        }
        return text;
    }

    @Override
    public Object decode(String json, Type type) throws Exception {
        for (Map.Entry<Object, String> e : texts.entrySet()) {
            if (e.getValue().equals(json) && (type == Object.class || ((Class<?>) type).isInstance(e.getKey()))) {
                return e.getKey();
            }
        }
        throw new java.io.IOException("not canned JSON for " + type.getTypeName() + ": " + json);
    }
}

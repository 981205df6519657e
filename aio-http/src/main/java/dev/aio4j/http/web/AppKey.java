package dev.aio4j.http.web;

import dev.aio4j.loop.internal.Checks;

/**
 * A typed key for application state: {@code app.set(DB, pool)} and {@code app.get(DB)} agree on
 * the type at compile time.
 *
 * <pre>{@code
 * static final AppKey<ClientSession> SESSION = AppKey.of("session", ClientSession.class);
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.AppKey("name", T)}. <b>Differences:</b> made with
 * {@link #of}; keys compare by identity, as aiohttp's do, so two keys with the same name are
 * different keys.
 *
 * @param <T> the type of the value stored under this key
 * @since 0.2
 */
public final class AppKey<T> {
    private final String name;
    private final Class<T> type;

    private AppKey(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * Makes a key.
     *
     * @param name a name for messages and {@link #toString()}
     * @param type the type of the value
     * @param <T> the type of the value
     * @return a new key, equal only to itself
     */
    public static <T> AppKey<T> of(String name, Class<T> type) {
        return new AppKey<>(Checks.notNull(name, "name"), Checks.notNull(type, "type"));
    }

    /**
     * Returns the key's name.
     *
     * @return the name given to {@link #of}
     */
    public String name() {
        return name;
    }

    /**
     * Returns the type of the value.
     *
     * @return the type given to {@link #of}
     */
    public Class<T> type() {
        return type;
    }

    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "<AppKey(" + name + ", type=" + type.getSimpleName() + ")>";
    }
}

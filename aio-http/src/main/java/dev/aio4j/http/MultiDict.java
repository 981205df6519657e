package dev.aio4j.http;

import dev.aio4j.loop.internal.Checks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A read-only multi-map whose keys compare case-sensitively and whose entries keep their order:
 * a request's query parameters and form fields.
 *
 * <p><b>aiohttp:</b> {@code multidict.MultiDictProxy} ({@code request.query},
 * {@code await request.post()}). <b>Differences:</b> {@code md[key]} is {@link #get(String)},
 * which returns {@code null} for a missing key instead of raising {@code KeyError};
 * {@code getall} is {@link #getAll(String)}, which returns an empty list instead of raising;
 * build one with {@link #builder()} (it is read-only once built, as the proxy is).
 *
 * <p><b>Threading:</b> immutable, safe to share.
 *
 * @param <V> the value type ({@code String} for a query; {@code Object} for a form, whose file
 *     fields are {@link dev.aio4j.http.web.FileField}s)
 * @since 0.2
 */
public final class MultiDict<V> {
    private static final MultiDict<?> EMPTY = new MultiDict<>(List.of());

    private final List<Map.Entry<String, V>> entries;

    private MultiDict(List<Map.Entry<String, V>> entries) {
        this.entries = entries;
    }

    /**
     * Returns the empty multi-map.
     *
     * @param <V> the value type
     * @return an empty multi-map
     */
    @SuppressWarnings("unchecked")
    public static <V> MultiDict<V> empty() {
        return (MultiDict<V>) EMPTY;
    }

    /**
     * Starts a multi-map.
     *
     * @param <V> the value type
     * @return a builder that adds entries in order
     */
    public static <V> Builder<V> builder() {
        return new Builder<>();
    }

    /**
     * Returns the first value of {@code key}, or null: {@code md.get(key)}.
     *
     * @param key the key, case-sensitive
     * @return the first value, or null if the key is absent
     */
    public V get(String key) {
        for (Map.Entry<String, V> e : entries) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Returns the first value of {@code key}, or {@code defaultValue}.
     *
     * @param key the key
     * @param defaultValue what to return if the key is absent
     * @return the first value or the default
     */
    public V getOrDefault(String key, V defaultValue) {
        V v = get(key);
        return v == null && !containsKey(key) ? defaultValue : v;
    }

    /**
     * Returns every value of {@code key}, in order: {@code md.getall(key, [])}.
     *
     * @param key the key
     * @return the values, possibly empty
     */
    public List<V> getAll(String key) {
        List<V> out = new ArrayList<>(2);
        for (Map.Entry<String, V> e : entries) {
            if (e.getKey().equals(key)) {
                out.add(e.getValue());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Returns whether {@code key} is present: {@code key in md}.
     *
     * @param key the key
     * @return whether at least one entry has it
     */
    public boolean containsKey(String key) {
        for (Map.Entry<String, V> e : entries) {
            if (e.getKey().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns each key once, in first-seen order: {@code md.keys()} without repeats.
     *
     * @return the distinct keys
     */
    public List<String> keys() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Map.Entry<String, V> e : entries) {
            keys.add(e.getKey());
        }
        return List.copyOf(keys);
    }

    /**
     * Returns every entry in order: {@code md.items()}.
     *
     * @return the entries, read-only
     */
    public List<Map.Entry<String, V>> entries() {
        return entries;
    }

    /**
     * Calls {@code action} for every entry in order.
     *
     * @param action receives key and value
     */
    public void forEach(BiConsumer<String, V> action) {
        for (Map.Entry<String, V> e : entries) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    /**
     * Returns the number of entries: {@code len(md)}.
     *
     * @return the entry count, repeats included
     */
    public int size() {
        return entries.size();
    }

    /**
     * Returns whether there are no entries.
     *
     * @return whether the multi-map is empty
     */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiDict<?> m && m.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<MultiDict(");
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(entries.get(i).getKey()).append("': ").append(entries.get(i).getValue());
        }
        return sb.append(")>").toString();
    }

    /**
     * Collects entries for a {@link MultiDict}.
     *
     * @param <V> the value type
     */
    public static final class Builder<V> {
        private final List<Map.Entry<String, V>> entries = new ArrayList<>();

        private Builder() {}

        /**
         * Adds an entry after the others.
         *
         * @param key the key
         * @param value the value
         * @return this builder
         * @throws NullPointerException if either is null
         */
        public Builder<V> add(String key, V value) {
            entries.add(Map.entry(Checks.notNull(key, "key"), Checks.notNull(value, "value")));
            return this;
        }

        /**
         * Builds the read-only multi-map.
         *
         * @return the multi-map
         */
        public MultiDict<V> build() {
            return entries.isEmpty() ? empty() : new MultiDict<>(List.copyOf(entries));
        }
    }
}

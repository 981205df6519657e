package dev.aio4j.http;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * HTTP header fields: a multi-map whose names compare case-insensitively and whose fields keep
 * the order in which they were added.
 *
 * <p><b>aiohttp:</b> {@code multidict.CIMultiDict} (request headers) and
 * {@code CIMultiDictProxy} (the read-only {@code response.headers}). <b>Differences:</b>
 * {@code md[name]} is {@link #get(String)}, which returns {@code null} for a missing name instead
 * of raising {@code KeyError}; {@code getall} is {@link #getAll(String)}, which returns an empty
 * list instead of raising; {@code md[name] = v} is {@link #set}; {@code del md[name]} and
 * {@code popall} are {@link #remove}, which returns how many fields it removed;
 * {@code CIMultiDictProxy} is {@link #readOnlyCopy()}. Names must be RFC 9110 tokens and values
 * may not contain CR, LF or other control characters except HTAB, nor characters outside
 * ISO-8859-1: a header can never smuggle a line break onto the wire. (The one exception: the
 * read-only headers of a received multipart part, {@link MultipartReader.BodyPart#headers()},
 * are decoded as UTF-8, as browsers send file names, and may hold any character but controls.
 * Such a value cannot be sent: {@link #copyOf} and {@link #addAll} check every field again, and
 * whatever writes a head, client or server, checks every field of read-only headers before it
 * writes a byte; modifiable ones hold only checked fields.)
 *
 * <p>How to get one: {@code new Headers()}, {@link #of(String...)}, or from a response. Names
 * keep the spelling they were first added with; {@link #names()} lists each name once.
 *
 * <p><b>Threading:</b> not thread-safe; a loop's tasks may share one freely (only one runs at a
 * time), other threads need their own copy.
 *
 * @since 0.1
 */
public final class Headers {
    /*
     * Maintainer notes: a plain list of (name, value) pairs. Header sets are small (the parser
     * allows at most 100 fields), so linear scans beat a hash index in both time and memory, and
     * keep the insertion order for free. Names are tokens, i.e. ASCII, so equalsIgnoreCase is
     * exactly RFC 9110's case-insensitive comparison.
     */
    private final List<String[]> fields;
    private final boolean readOnly;

    /** Creates an empty, modifiable set of header fields. */
    public Headers() {
        this(new ArrayList<>(), false);
    }

    private Headers(List<String[]> fields, boolean readOnly) {
        this.fields = fields;
        this.readOnly = readOnly;
    }

    /**
     * Creates modifiable headers from alternating names and values.
     *
     * @param namesAndValues {@code name1, value1, name2, value2, ...}
     * @return the new headers, in argument order
     * @throws IllegalArgumentException if the count is odd or a name or value is invalid
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues must have an even length (name, value, ...), got "
                    + namesAndValues.length);
        }
        Headers h = new Headers();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    /**
     * The read-only head of a received multipart part ({@link MultipartReader}): the names are
     * tokens and the values free of control characters but HTAB, as the reader checked; the
     * values were decoded as UTF-8, as browsers send them, so they may hold characters beyond
     * ISO-8859-1.
     */
    static Headers receivedPartHeaders(List<String[]> fields) {
        return new Headers(fields, true);
    }

    /**
     * Returns a modifiable copy of {@code other}. Every field is checked as {@link #add} checks
     * it, so a modifiable {@code Headers} never holds what cannot be sent: copying the head of a
     * received multipart part whose values hold characters beyond ISO-8859-1 (a UTF-8 file name)
     * throws; read such a head with {@link #get}, or keep it read-only with {@link #readOnlyCopy()}.
     *
     * @param other the headers to copy
     * @return a new, modifiable copy
     * @throws IllegalArgumentException naming the first field whose value has a character that
     *         HTTP/1.1 cannot carry
     */
    public static Headers copyOf(Headers other) {
        Checks.notNull(other, "other");
        List<String[]> copy = new ArrayList<>(other.fields.size());
        for (String[] f : other.fields) {
            copy.add(checkedCopy(f));
        }
        return new Headers(copy, false);
    }

    /**
     * Returns a read-only copy: aiohttp's {@code CIMultiDictProxy}. The fields are copied as they
     * are (a received multipart part's head keeps its UTF-8 values).
     *
     * @return a copy whose mutators throw {@link UnsupportedOperationException}
     */
    public Headers readOnlyCopy() {
        List<String[]> copy = new ArrayList<>(fields.size());
        for (String[] f : fields) {
            copy.add(f.clone());
        }
        return new Headers(copy, true);
    }

    /**
     * Returns {@code true} if the mutators of this object throw.
     *
     * @return {@code true} if the mutators of this object throw
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Returns the value of the first field with this name.
     *
     * @param name the field name, in any case
     * @return the first value, or {@code null} if there is none
     */
    public String get(String name) {
        Checks.notNull(name, "name");
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                return f[1];
            }
        }
        return null;
    }

    /**
     * Returns the value of the first field with this name, or a default.
     *
     * @param name the field name, in any case
     * @param defaultValue returned when there is no such field
     * @return the first value, or {@code defaultValue}
     */
    public String getOrDefault(String name, String defaultValue) {
        String v = get(name);
        return v == null ? defaultValue : v;
    }

    /**
     * Returns every value of this name, in order.
     *
     * @param name the field name, in any case
     * @return an unmodifiable list, empty if there is no such field
     */
    public List<String> getAll(String name) {
        Checks.notNull(name, "name");
        List<String> out = new ArrayList<>(2);
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                out.add(f[1]);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Returns whether a field with this name exists.
     *
     * @param name the field name, in any case
     * @return {@code true} if at least one field has this name
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Adds a field after all existing ones, keeping fields of the same name.
     *
     * @param name a token
     * @param value the value; leading and trailing blanks are kept as given
     * @return this object
     * @throws IllegalArgumentException if the name is not a token or the value has a forbidden character
     * @throws UnsupportedOperationException if this object is read-only
     */
    public Headers add(String name, String value) {
        checkWritable();
        fields.add(new String[] {checkName(name), checkValue(name, value)});
        return this;
    }

    /**
     * Sets the only value of a name: the first field of that name gets the value in place, later
     * ones are removed; if there is none, the field is added at the end.
     *
     * @param name a token
     * @param value the value
     * @return this object
     * @throws IllegalArgumentException if the name is not a token or the value has a forbidden character
     * @throws UnsupportedOperationException if this object is read-only
     */
    public Headers set(String name, String value) {
        checkWritable();
        checkName(name);
        checkValue(name, value);
        boolean replaced = false;
        for (int i = 0; i < fields.size(); i++) {
            String[] f = fields.get(i);
            if (f[0].equalsIgnoreCase(name)) {
                if (replaced) {
                    fields.remove(i--);
                } else {
                    f[1] = value;
                    replaced = true;
                }
            }
        }
        if (!replaced) {
            fields.add(new String[] {name, value});
        }
        return this;
    }

    /**
     * Removes every field with this name.
     *
     * @param name the field name, in any case
     * @return how many fields were removed (0 if none)
     * @throws UnsupportedOperationException if this object is read-only
     */
    public int remove(String name) {
        checkWritable();
        Checks.notNull(name, "name");
        int before = fields.size();
        fields.removeIf(f -> f[0].equalsIgnoreCase(name));
        return before - fields.size();
    }

    /**
     * Adds every field of {@code other}, in its order: aiohttp's {@code extend}. Every field is
     * checked first, as {@link #copyOf} checks it; if one fails, nothing is added.
     *
     * @param other fields to append
     * @return this object
     * @throws IllegalArgumentException naming the first field whose value has a character that
     *         HTTP/1.1 cannot carry
     * @throws UnsupportedOperationException if this object is read-only
     */
    public Headers addAll(Headers other) {
        checkWritable();
        Checks.notNull(other, "other");
        List<String[]> more = new ArrayList<>(other.fields.size());
        for (String[] f : other.fields) {
            more.add(checkedCopy(f));
        }
        fields.addAll(more);
        return this;
    }

    /**
     * Returns each name once, in the order of first appearance, spelled as first added.
     *
     * @return an unmodifiable list of names
     */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        outer:
        for (String[] f : fields) {
            for (String n : out) {
                if (n.equalsIgnoreCase(f[0])) {
                    continue outer;
                }
            }
            out.add(f[0]);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Returns every field as a (name, value) entry, in order.
     *
     * @return an unmodifiable snapshot
     */
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> out = new ArrayList<>(fields.size());
        for (String[] f : fields) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(f[0], f[1]));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Calls {@code action} for each field, in order.
     *
     * @param action receives name and value
     */
    public void forEach(BiConsumer<String, String> action) {
        for (String[] f : fields) {
            action.accept(f[0], f[1]);
        }
    }

    /**
     * Returns the number of fields (a name that appears twice counts twice).
     *
     * @return the number of fields (a name that appears twice counts twice)
     */
    public int size() {
        return fields.size();
    }

    /**
     * Returns {@code true} if there are no fields.
     *
     * @return {@code true} if there are no fields
     */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * Two header sets are equal when they hold the same fields in the same order, names compared
     * case-insensitively and values exactly (as multidict compares).
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Headers other) || other.fields.size() != fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            String[] a = fields.get(i);
            String[] b = other.fields.get(i);
            if (!a[0].equalsIgnoreCase(b[0]) || !a[1].equals(b[1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (String[] f : fields) {
            h = 31 * h + f[0].toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + f[1].hashCode();
        }
        return h;
    }

    /**
     * Returns one line such as {@code Headers[Content-Type: text/plain, Set-Cookie: a=1]}.
     *
     * @return one line such as {@code Headers[Content-Type: text/plain, Set-Cookie: a=1]}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(readOnly ? "Headers[read-only; " : "Headers[");
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(fields.get(i)[0]).append(": ").append(fields.get(i)[1]);
        }
        return sb.append(']').toString();
    }

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("these Headers are read-only (a response's headers or a readOnlyCopy()); "
                    + "use Headers.copyOf(...) for a modifiable copy");
        }
    }

    /** A field copied into modifiable headers: checked again, since read-only ones may hold more. */
    private static String[] checkedCopy(String[] f) {
        checkName(f[0]);
        try {
            checkValue(f[0], f[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; modifiable Headers (copyOf, addAll) hold only what "
                    + "HTTP/1.1 can send, and a received multipart part's head is decoded as UTF-8: read it with get(...) "
                    + "or readOnlyCopy(), or encode the value first (RFC 8187 filename*=UTF-8''... for a file name)", e);
        }
        return f.clone();
    }

    private static String checkName(String name) {
        return Checks.token(name, "header name");
    }

    private static String checkValue(String name, String value) {
        Checks.notNull(value, "value of header " + name);
        if (dev.aio4j.http.internal.HeadSerializer.badFieldChar(value) != -1) { // the rule every written head follows
            throw new IllegalArgumentException("value of header " + name
                    + " must contain only HTAB, visible ISO-8859-1 characters and spaces (no CR, LF or other controls), got "
                    + Escaping.quote(value));
        }
        return value;
    }
}

package dev.aio4j.http.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator over pieces pulled one at a time ({@link #fetch()}, which may suspend the task):
 * the response body's {@code iterChunked}/{@code iterAny} and the request bodies made from an
 * {@code InputStream} or a {@code Flow.Publisher}.
 *
 * @param <T> the piece type
 */
public abstract class PullIterator<T> implements Iterator<T> {
    private T next;
    private boolean ended;

    /**
     * Pulls the next piece.
     *
     * @return the piece, or null at the end (after which it is not called again)
     */
    protected abstract T fetch();

    /** What {@link #next()} says when there is nothing more. */
    protected String endMessage() {
        return "no more pieces";
    }

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            next = fetch();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(endMessage());
        }
        T piece = next;
        next = null;
        return piece;
    }
}

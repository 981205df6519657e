package dev.aio4j.loop;

/**
 * A {@link Semaphore} that refuses to be released more times than it was acquired.
 *
 * <p><b>asyncio:</b> {@code asyncio.BoundedSemaphore}. <b>Differences:</b> an extra release
 * throws {@link IllegalStateException} (asyncio raises {@code ValueError}).
 *
 * @since 0.1
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** A bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @param value the permits, &gt;= 0
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back.
     *
     * @throws IllegalStateException if that would exceed the initial number of permits
     */
    @Override
    public void release() {
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times (bound " + bound + "): " + this);
        }
        super.release();
    }
}

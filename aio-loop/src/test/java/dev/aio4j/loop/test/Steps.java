package dev.aio4j.loop.test;

import java.util.ArrayList;
import java.util.List;

/**
 * Ordered-step assertions for tests about interleaving (kotlinx.coroutines' expect/finish):
 * each {@link #expect(int)} must come with the next number, {@link #finish(int)} checks the last.
 *
 * <pre>{@code
 * Steps steps = new Steps();
 * steps.expect(1);
 * Aio.createTask(() -> { steps.expect(3); return null; });
 * steps.expect(2);
 * Aio.sleep(0);
 * steps.finish(4);
 * }</pre>
 */
public final class Steps {
    private int last;
    private final List<String> trail = new ArrayList<>();

    /** Records step {@code n}; fails unless it directly follows the previous one. */
    public synchronized void expect(int n) {
        trail.add(Integer.toString(n));
        if (n != last + 1) {
            throw new AssertionError("expected step " + (last + 1) + " but reached step " + n + "; steps so far: " + trail);
        }
        last = n;
    }

    /** Records the final step {@code n}. */
    public synchronized void finish(int n) {
        expect(n);
    }

    /** Fails: this point must not be reached. */
    public synchronized void expectUnreached() {
        throw new AssertionError("reached a point that must not be reached after step " + last + "; steps so far: " + trail);
    }

    /** The last step reached. */
    public synchronized int last() {
        return last;
    }

    /** Fails unless the last step reached is {@code n}. */
    public synchronized void assertFinished(int n) {
        if (last != n) {
            throw new AssertionError("expected to finish at step " + n + " but the last step was " + last + "; steps: " + trail);
        }
    }
}

package dev.aio4j.http.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rounding of {@link Deadlines#deadline} (aiohttp's {@code ceil(loop.time() + timeout)}), for
 * any start time and limit: a rounded deadline is a whole second, never earlier than the exact
 * one and less than a second later; an unrounded one is exact; no limit is no deadline.
 */
class DeadlinesProperties {
    @Property
    void aRoundedDeadlineIsTheNextWholeSecond(@ForAll @DoubleRange(min = 0, max = 1e9) @Scale(6) double now,
                                              @ForAll @DoubleRange(min = 0.001, max = 1e6) @Scale(6) double seconds) {
        double exact = now + seconds;
        double rounded = Deadlines.deadline(now, seconds, true);
        assertEquals(Math.rint(rounded), rounded, "a whole second");
        assertTrue(rounded >= exact && rounded < exact + 1, rounded + " for " + exact);
        assertEquals(exact, Deadlines.deadline(now, seconds, false));
        assertEquals(Double.POSITIVE_INFINITY, Deadlines.deadline(now, Double.POSITIVE_INFINITY, true));
    }
}

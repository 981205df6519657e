package dev.aio4j.examples.taskgroup;

import dev.aio4j.examples.StdoutCapture;
import dev.aio4j.examples.taskgroup.FailFastFetch.Resource;
import dev.aio4j.loop.ExceptionGroup;
import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@link FailFastFetch}: on a virtual clock for exact times and order, and its main with a tiny unit. */
@Timeout(30)
class FailFastFetchTest {

    @Test
    void oneFailureCancelsTheOtherFetchesAtOnce_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        FailFastFetch.Outcome o = Loops.runVirtual(() -> FailFastFetch.run(FailFastFetch.RESOURCES, 0.25, lines::add));

        assertEquals(0.25, o.elapsedSeconds(), 1e-9, "the group ends when inventory fails, not after the 1.0 s fetch");
        assertEquals(List.of("users", "orders", "prices"), o.cancelled());
        assertEquals(Map.of(), o.results());
        ExceptionGroup eg = o.error();
        assertEquals(1, eg.exceptions().size());
        IOException io = assertInstanceOf(IOException.class, eg.exceptions().get(0));
        assertEquals("inventory: HTTP 503 Service Unavailable", io.getMessage());
        assertSame(io, eg.getSuppressed()[0], "each sub-exception is also a suppressed exception");
        assertEquals(List.of(io), eg.subgroup(IOException.class));
        assertEquals(List.of(
                "fetching users (0.5 s)",
                "fetching orders (0.75 s)",
                "fetching inventory (0.25 s)",
                "fetching prices (1.0 s)",
                "inventory failed",
                "users cancelled after 0.25 s of 0.50 s",
                "orders cancelled after 0.25 s of 0.75 s",
                "prices cancelled after 0.25 s of 1.00 s",
                "the task group failed after 0.25 s: dev.aio4j.loop.ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)",
                "  +-- 1: java.io.IOException: inventory: HTTP 503 Service Unavailable",
                "  cancelled: users, orders, prices"), lines);
    }

    @Test
    void failuresAtTheSameInstantAllArriveInTheGroup_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        List<Resource> resources = List.of(
                Resource.ok("users", 1),
                Resource.failing("inventory", 2, "HTTP 503 Service Unavailable"),
                Resource.failing("prices", 2, "connection reset"),
                Resource.ok("orders", 3));
        FailFastFetch.Outcome o = Loops.runVirtual(() -> FailFastFetch.run(resources, 0.25, lines::add));

        assertEquals(0.5, o.elapsedSeconds(), 1e-9);
        assertEquals(List.of("orders"), o.cancelled(), "users was already done; orders was still running");
        assertEquals(List.of("inventory: HTTP 503 Service Unavailable", "prices: connection reset"),
                o.error().exceptions().stream().map(Throwable::getMessage).toList());
        assertEquals(List.of(
                "fetching users (0.25 s)",
                "fetching inventory (0.5 s)",
                "fetching prices (0.5 s)",
                "fetching orders (0.75 s)",
                "users done",
                "inventory failed",
                "prices failed",
                "orders cancelled after 0.50 s of 0.75 s",
                "the task group failed after 0.50 s: dev.aio4j.loop.ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)",
                "  +-- 1: java.io.IOException: inventory: HTTP 503 Service Unavailable",
                "  +-- 2: java.io.IOException: prices: connection reset",
                "  cancelled: orders"), lines);
    }

    @Test
    void withoutAFailureTheGroupWaitsForTheSlowestFetch_onVirtualClock() {
        List<String> lines = new ArrayList<>();
        List<Resource> resources = List.of(Resource.ok("users", 2), Resource.ok("orders", 3), Resource.ok("prices", 4));
        FailFastFetch.Outcome o = Loops.runVirtual(() -> FailFastFetch.run(resources, 0.25, lines::add));

        assertNull(o.error());
        assertEquals(1.0, o.elapsedSeconds(), 1e-9);
        assertEquals(List.of(), o.cancelled());
        assertEquals(List.of("users", "orders", "prices"), List.copyOf(o.results().keySet()), "results keep the given order");
        assertEquals("all 3 fetched in 1.00 s: [users: ok, orders: ok, prices: ok]", lines.get(lines.size() - 1));
    }

    @Test
    void mainPrintsTheExceptionGroupAndTheCancelledFetches() throws Exception {
        List<String> lines = StdoutCapture.lines(() -> FailFastFetch.main(new String[0]),
                FailFastFetch.SECONDS_PROPERTY, "0.02");

        assertEquals(List.of("fetching users (0.04 s)", "fetching orders (0.06 s)", "fetching inventory (0.02 s)",
                "fetching prices (0.08 s)", "inventory failed"), lines.subList(0, 5));
        assertTrue(lines.contains("  +-- 1: java.io.IOException: inventory: HTTP 503 Service Unavailable"), lines::toString);
        assertTrue(lines.contains("  cancelled: users, orders, prices"), lines::toString);
        Pattern failed = Pattern.compile("the task group failed after (\\d+\\.\\d\\d) s: dev\\.aio4j\\.loop\\.ExceptionGroup: "
                + "unhandled errors in a TaskGroup \\(1 sub-exception\\)");
        assertTrue(lines.stream().anyMatch(l -> failed.matcher(l).matches()), lines::toString);
        Matcher took = Pattern.compile("Took (\\d+\\.\\d\\d) seconds").matcher(lines.get(lines.size() - 1));
        assertTrue(took.matches(), lines::toString);
        // A lower bound only: the group cannot end before inventory fails.
        assertTrue(Double.parseDouble(took.group(1)) >= 0.01, took.group(1));
    }

    @Test
    void badSecondsPropertyIsRejectedWithItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StdoutCapture.lines(FailFastFetch::secondsFromProperty, FailFastFetch.SECONDS_PROPERTY, "fast"));
        assertEquals("-Dfetch.seconds must be a finite number of seconds >= 0, got fast", e.getMessage());
    }
}

package dev.aio4j.loop.test;

import dev.aio4j.loop.Coroutine;
import dev.aio4j.loop.EventLoop;
import dev.aio4j.loop.Runner;
import dev.aio4j.loop.VirtualClock;

/** Runs coroutines on loops with a virtual clock, so tests about time are instant. */
public final class Loops {
    private Loops() {}

    /** A new loop whose clock jumps to the next timer when idle. */
    public static EventLoop virtualLoop() {
        return EventLoop.create(VirtualClock.autoJump());
    }

    /** {@code Aio.run(main)} on a virtual-clock loop. */
    public static <T> T runVirtual(Coroutine<T> main) {
        try (Runner r = Runner.withLoopFactory(Loops::virtualLoop)) {
            return r.run(main);
        }
    }

    /** {@code Aio.run(main)} on a virtual-clock loop, with every report going to {@code handler}. */
    public static <T> T runVirtual(RecordingExceptionHandler handler, Coroutine<T> main) {
        try (Runner r = Runner.withLoopFactory(() -> {
            EventLoop l = virtualLoop();
            l.setExceptionHandler(handler);
            return l;
        })) {
            return r.run(main);
        }
    }
}

package dev.aio4j.loop.internal.sched;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Task bodies run on virtual threads whose scheduler is this object: their continuations run
 * on the loop's own platform thread, so a hand-off is a continuation mount (about 100-200 ns)
 * rather than a trip through a thread pool.
 *
 * <p>Needs the package-private JDK constructor {@code ThreadBuilders.VirtualThreadBuilder(Executor)},
 * reachable with {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Detected once; never required.
 */
final class CarrierScheduler implements Scheduler, Executor {
    static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final MethodHandle BUILDER;
    private static final String UNAVAILABLE;

    static {
        MethodHandle mh = null;
        String why = null;
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            var ctor = c.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            mh = MethodHandles.lookup().unreflectConstructor(ctor)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            // Probe once: start a virtual thread on a throwaway executor and run it inline.
            Runnable[] slot = new Runnable[1];
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) mh.invokeExact((Executor) r -> slot[0] = r);
            boolean[] ran = new boolean[1];
            b.unstarted(() -> ran[0] = true).start();
            if (slot[0] == null) {
                throw new IllegalStateException("the virtual thread did not use the given scheduler");
            }
            if (!Thread.currentThread().isVirtual()) {
                slot[0].run();
                if (!ran[0]) {
                    throw new IllegalStateException("the probe virtual thread did not run");
                }
            }
        } catch (Throwable e) {
            mh = null;
            why = e.toString();
        }
        BUILDER = mh;
        UNAVAILABLE = why;
    }

    /** Whether the calling thread holds any object monitor (is inside a synchronized block). */
    static boolean holdsMonitors() {
        ThreadMXBean mx = ThreadBean.MX;
        if (!mx.isObjectMonitorUsageSupported()) {
            return true; // cannot tell: take the safe path
        }
        ThreadInfo[] info = mx.getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false);
        return info.length == 0 || info[0] == null || info[0].getLockedMonitors().length > 0;
    }

    /** The platform's ThreadMXBean, looked up once (the lookup cost as much as the check, on every run). */
    private static final class ThreadBean {
        static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    }

    static boolean available() {
        return BUILDER != null;
    }

    static String unavailableReason() {
        return UNAVAILABLE;
    }

    private final Thread.Builder.OfVirtual builder;
    /** The platform thread running the loop body, or null while the loop is not running. */
    private volatile Thread loopThread;
    /** A continuation submitted by the loop thread itself (the resume path): no allocation. */
    private Runnable inline;
    /** Continuations submitted by other threads (JDK timers, unparks from foreign threads). */
    private final ConcurrentLinkedQueue<Runnable> foreign = new ConcurrentLinkedQueue<>();
    private volatile Runnable wakeup;

    CarrierScheduler() {
        try {
            this.builder = (Thread.Builder.OfVirtual) BUILDER.invokeExact((Executor) this);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create the carrier scheduler", e);
        }
    }

    @Override
    public String name() {
        return "carrier";
    }

    @Override
    public Fiber newFiber(Runnable body, String name) {
        return new CarrierFiber(builder.name(name).unstarted(body), this);
    }

    @Override
    public void execute(Runnable continuation) {
        if (Thread.currentThread() == loopThread && inline == null) {
            inline = continuation;
            return;
        }
        foreign.add(continuation);
        Thread lt = loopThread;
        if (lt != null) {
            LockSupport.unpark(lt);
        }
        Runnable w = wakeup;
        if (w != null) {
            w.run();
        }
    }

    @Override
    public void runLoop(Runnable loopBody) {
        if (Thread.currentThread().isVirtual() || holdsMonitors()) {
            // A virtual thread cannot carry other virtual threads, and a carrier must not hold
            // monitors while virtual threads are mounted on it (HotSpot's carriers never do; with
            // the caller inside a synchronized block, its monitor could be left owned by a task's
            // virtual thread). Run the loop on a fresh platform thread instead.
            Schedulers.runOnNewThread(Thread.ofPlatform().name("aio4j-loop").daemon(true), () -> runLoop(loopBody));
            return;
        }
        Thread previous = loopThread;
        loopThread = Thread.currentThread();
        try {
            loopBody.run();
        } finally {
            loopThread = previous;
        }
    }

    @Override
    public boolean onLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public void drainForeign() {
        Runnable r = inline;
        if (r != null) {
            inline = null;
            r.run();
        }
        while ((r = foreign.poll()) != null) {
            r.run();
        }
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Runs continuations on this (the loop) thread until {@code fiber} gives the baton back. */
    void runUntilYield(CarrierFiber fiber, boolean measure) {
        fiber.blockedNanos = 0;
        boolean interrupted = false;
        for (;;) {
            Runnable r = inline;
            if (r != null) {
                inline = null;
                r.run();
            } else if ((r = foreign.poll()) != null) {
                r.run();
            } else if (fiber.taskTurn) {
                // The body is parked inside a JDK call (sleep, lock, I/O): the loop waits for it,
                // exactly as asyncio's loop waits for a blocking call.
                long t0 = measure ? System.nanoTime() : 0;
                LockSupport.park(this);
                if (measure) {
                    fiber.blockedNanos += System.nanoTime() - t0;
                }
                if (Thread.interrupted()) {
                    interrupted = true; // park would return at once and this would spin: keep it for later
                }
                continue;
            }
            if (!fiber.taskTurn) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
        }
    }

    static final class CarrierFiber extends Fiber {
        private final CarrierScheduler scheduler;

        CarrierFiber(Thread thread, CarrierScheduler scheduler) {
            super(thread);
            this.scheduler = scheduler;
        }

        @Override
        public void resume(boolean measureBlocking) {
            setTurn(true);
            startOrUnpark();
            scheduler.runUntilYield(this, measureBlocking);
        }

        @Override
        public void yieldToLoop() {
            setTurn(false);
            boolean interrupted = false;
            do {
                LockSupport.park(this);
                if (!taskTurn && Thread.interrupted()) {
                    // An interrupted virtual thread's park returns at once: this would spin on the
                    // loop's own thread and nothing else could run. Keep the interrupt for the body.
                    interrupted = true;
                }
            } while (!taskTurn);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void exit() {
            setTurn(false);
        }
    }
}

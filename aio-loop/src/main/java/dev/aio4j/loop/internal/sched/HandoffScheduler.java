package dev.aio4j.loop.internal.sched;

import dev.aio4j.loop.internal.Throwables;

import java.util.concurrent.locks.LockSupport;

/**
 * The portable scheduler: task bodies run on virtual threads of the JDK's default scheduler and
 * the baton passes with park/unpark. Needs no JVM flag.
 *
 * <p><b>Baton passing.</b> The loop's code has no thread of its own: it runs on whichever thread
 * holds the baton. A task that awaits does not wake a loop thread; its own thread runs the rest
 * of the loop's iteration (and further ones) until the ready queue yields another task's step,
 * and then hands the baton straight to that task (one hand-off per task switch instead of two,
 * and none when the next step is its own). The thread that called {@code runForever} (the
 * runner) starts the loop, passes the baton at the first task step, and gets it back when the
 * run ends. A body whose thread runs loop code sees the loop's thread-locals meanwhile (no
 * current task, the loop's context), as a loop callback must.
 *
 * <p>The classic protocol stays for what cannot pass: a step run from inside another step or a
 * callback (eager tasks, {@code close()} unwinding tasks) or in debug mode (which measures how
 * long a step blocks): the resuming thread waits in {@link Fiber#resume} until the body yields
 * back to it. Which protocol a body follows when it yields is decided by how it was resumed.
 */
final class HandoffScheduler implements Scheduler {
    /** The thread running loop code now (the runner or a driving task thread); for onLoopThread(). */
    private volatile Thread loopThread;
    /** Who runs loop code now: the runner or a task's fiber. The baton holder's only. */
    private Driver driving;
    private final Runner runner = new Runner();
    private LoopDriver loop;

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public Fiber newFiber(Runnable body, String name) {
        return new HandoffFiber(Thread.ofVirtual().name(name).unstarted(body), this);
    }

    @Override
    public void runLoop(Runnable loopBody) {
        if (!Thread.currentThread().isVirtual()) {
            // Keep platform threads out of the switch path: the runner is a virtual thread too.
            Schedulers.runOnNewThread(Thread.ofVirtual().name("aio4j-loop"), () -> runLoop(loopBody));
            return;
        }
        Thread previous = loopThread;
        Driver previousDriving = driving;
        Thread previousRunner = runner.thread;
        Thread me = Thread.currentThread();
        loopThread = me;
        runner.thread = me;
        driving = runner;
        try {
            loopBody.run();
        } finally {
            loopThread = previous;
            driving = previousDriving;
            runner.thread = previousRunner;
        }
    }

    @Override
    public boolean onLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public void drainForeign() {
        // Task threads are ordinary virtual threads: stray wake-ups need no help from the loop.
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        // The selector's own wakeup() reaches a loop blocked in select(); nothing else blocks here.
    }

    @Override
    public boolean passesBaton() {
        return true;
    }

    @Override
    public void setDriver(LoopDriver driver) {
        this.loop = driver;
    }

    @Override
    public boolean onRunner() {
        return Thread.currentThread() == runner.thread;
    }

    @Override
    public void runOnRunner(Runnable job) {
        Runner r = runner;
        if (Thread.currentThread() == r.thread) {
            job.run();
            return;
        }
        // The runner is parked in awaitTurn() (only the baton holder calls this, and the runner
        // does not hold it), or in a classic resume() of this very body: either way it runs the
        // job and wakes this thread.
        r.requester = Thread.currentThread();
        r.job = job;
        LockSupport.unpark(r.thread);
        boolean interrupted = false;
        while (r.job != null) {
            LockSupport.park(r);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = r.jobFailure;
        if (f != null) {
            r.jobFailure = null;
            Throwables.throwIfUnchecked(f);
            throw new IllegalStateException(f);
        }
    }

    @Override
    public void passToRunner() {
        Driver me = driving;
        Runner r = runner;
        r.turn = true;
        LockSupport.unpark(r.thread);
        me.awaitTurn();
    }

    /** The calling task thread runs loop code until it passes the baton and gets it back (or its body ended). */
    private void drive(HandoffFiber me) {
        driving = me;
        loopThread = me.thread;
        LoopDriver l = loop;
        l.enterLoopRole(me);
        l.drive();
        if (!me.exiting) {
            l.leaveLoopRole(me);
        }
    }

    /** A thread that can run loop code and wait for its next turn. */
    private interface Driver {
        /** Parks until this driver holds the baton again (returns at once for an ended body). */
        void awaitTurn();
    }

    /**
     * The thread that called runForever: starts the loop, gets the baton back at the run's end,
     * and meanwhile runs the jobs of {@link #runOnRunner}.
     */
    private static final class Runner implements Driver {
        volatile boolean turn;
        Thread thread;
        /** A job from runOnRunner; cleared (volatile write) when done. */
        volatile Runnable job;
        Thread requester;
        Throwable jobFailure;

        /**
         * Runs the job a task thread left with runOnRunner, if any, and wakes that thread. Called
         * wherever the runner parks: in awaitTurn, and in a classic resume() it waits in (a body
         * it resumed may create an eager task, whose fiber must be made here).
         */
        void runPendingJob() {
            Runnable j = job;
            if (j != null) {
                try {
                    j.run();
                } catch (Throwable e) {
                    jobFailure = e;
                }
                Thread r = requester;
                requester = null;
                job = null;
                LockSupport.unpark(r);
            }
        }

        @Override
        public void awaitTurn() {
            boolean interrupted = false;
            while (!turn) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true; // would make park return at once: keep it for later
                }
                runPendingJob();
            }
            turn = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class HandoffFiber extends Fiber implements Driver {
        private final HandoffScheduler scheduler;
        /**
         * Classic protocol: the thread waiting in resume() for this body to yield. Null when the
         * body was resumed by baton passing: it then runs the loop itself when it yields.
         */
        private Thread resumer;
        /** The body has ended and its thread runs loop code one last time. */
        boolean exiting;

        HandoffFiber(Thread thread, HandoffScheduler scheduler) {
            super(thread);
            this.scheduler = scheduler;
        }

        @Override
        public void resume(boolean measureBlocking) {
            Thread me = Thread.currentThread();
            if (me == thread) {
                throw new IllegalStateException("internal error: a task's thread cannot wait for its own body");
            }
            resumer = me;
            blockedNanos = 0;
            setTurn(true);
            startOrUnpark();
            boolean interrupted = false;
            // The runner waiting here must still serve runOnRunner: the body may create an eager
            // task, whose fiber only the runner makes (without this, both would wait forever).
            Runner jobs = me == scheduler.runner.thread ? scheduler.runner : null;
            if (!measureBlocking) {
                while (taskTurn) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        interrupted = true;
                    }
                    if (jobs != null) {
                        jobs.runPendingJob();
                    }
                }
            } else {
                while (taskTurn) {
                    long t0 = System.nanoTime();
                    LockSupport.parkNanos(this, 1_000_000L);
                    if (Thread.interrupted()) {
                        interrupted = true;
                    }
                    if (jobs != null) {
                        jobs.runPendingJob();
                    }
                    Thread.State s = thread.getState();
                    if (taskTurn && (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED)) {
                        blockedNanos += System.nanoTime() - t0;
                    }
                }
            }
            if (interrupted) {
                me.interrupt();
            }
        }

        @Override
        public void passBaton() {
            HandoffScheduler s = scheduler;
            Driver me = s.driving;
            resumer = null;
            setTurn(true);
            if (me == this) {
                return; // the body whose thread runs the loop is next: no hand-off at all
            }
            startOrUnpark();
            me.awaitTurn();
            if (me == s.runner) {
                // The runner holds the baton again (the run ended, or it takes the loop back):
                // the loop's code runs here now. (A body that ended must touch nothing here.)
                s.driving = me;
                s.loopThread = Thread.currentThread();
            }
        }

        @Override
        public boolean resumesNested() {
            return true;
        }

        @Override
        public void yieldToLoop() {
            Thread r = resumer;
            if (r == null) {
                setTurn(false);
                scheduler.drive(this);
                return;
            }
            setTurn(false);
            LockSupport.unpark(r);
            awaitTurn();
        }

        @Override
        public void exit() {
            Thread r = resumer;
            if (r == null) {
                exiting = true;
                setTurn(false);
                scheduler.drive(this);
                return;
            }
            setTurn(false);
            LockSupport.unpark(r);
        }

        @Override
        public void awaitTurn() {
            if (exiting) {
                return; // the body has ended: its thread leaves once it has passed the baton on
            }
            boolean interrupted = false;
            while (!taskTurn) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true; // would make park return at once: keep it for the body
                }
            }
            if (interrupted) {
                thread.interrupt();
            }
        }
    }
}

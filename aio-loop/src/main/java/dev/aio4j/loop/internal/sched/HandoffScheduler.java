package dev.aio4j.loop.internal.sched;

import java.util.concurrent.locks.LockSupport;

/**
 * The portable scheduler: the loop body itself runs on a virtual thread and hands the baton to
 * task virtual threads with park/unpark on the JDK's default virtual-thread scheduler. Needs no
 * JVM flag; a hand-off costs a few hundred nanoseconds instead of about one hundred.
 */
final class HandoffScheduler implements Scheduler {
    private volatile Thread loopThread;

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
            // Keep platform threads out of the switch path: the loop runs on a virtual thread too.
            Schedulers.runOnNewThread(Thread.ofVirtual().name("aio4j-loop"), () -> runLoop(loopBody));
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
        // Task threads are ordinary virtual threads: stray wake-ups need no help from the loop.
    }

    @Override
    public void setWakeup(Runnable wakeup) {
        // The selector's own wakeup() reaches a loop blocked in select(); nothing else blocks here.
    }

    static final class HandoffFiber extends Fiber {
        private final HandoffScheduler scheduler;
        private Thread loop;

        HandoffFiber(Thread thread, HandoffScheduler scheduler) {
            super(thread);
            this.scheduler = scheduler;
        }

        @Override
        public void resume(boolean measureBlocking) {
            loop = scheduler.loopThread;
            blockedNanos = 0;
            taskTurn = true;
            if (!started) {
                started = true;
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
            if (!measureBlocking) {
                while (taskTurn) {
                    LockSupport.park(this);
                }
                return;
            }
            while (taskTurn) {
                long t0 = System.nanoTime();
                LockSupport.parkNanos(this, 1_000_000L);
                Thread.State s = thread.getState();
                if (taskTurn && (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED)) {
                    blockedNanos += System.nanoTime() - t0;
                }
            }
        }

        @Override
        public void yieldToLoop() {
            taskTurn = false;
            LockSupport.unpark(loop);
            do {
                LockSupport.park(this);
            } while (!taskTurn);
        }

        @Override
        public void exit() {
            taskTurn = false;
            LockSupport.unpark(loop);
        }
    }
}

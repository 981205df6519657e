package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suspension model of docs/architecture.md (the baton rule), checked under whichever scheduler back-end this JVM runs
 * (surefire runs the suite once per back-end). aio4j-only: asyncio gets this from being
 * single-threaded.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SchedulerContractTest {

    @Test
    void theSuiteRunsTheSchedulerItWasAskedFor() {
        String wanted = System.getProperty("aio4j.scheduler");
        try (EventLoop loop = EventLoop.create()) {
            if ("carrier".equals(wanted) || "portable".equals(wanted)) {
                assertEquals(wanted, loop.schedulerName());
            } else {
                assertTrue(List.of("carrier", "portable").contains(loop.schedulerName()));
            }
        }
    }

    @Test
    void taskBodiesRunOnTheirOwnVirtualThreads() {
        List<Thread> threads = Aio.run(() -> {
            Task<Thread> a = Aio.createTask(Thread::currentThread);
            Task<Thread> b = Aio.createTask(Thread::currentThread);
            return List.of(Thread.currentThread(), a.await(), b.await());
        });
        assertTrue(threads.stream().allMatch(Thread::isVirtual), threads.toString());
        assertEquals(3, threads.stream().distinct().count());
    }

    @Test
    void exactlyOneBodyRunsAtATimeEvenWhenBodiesBlockInJdkCalls() {
        Object monitor = new Object();
        ReentrantLock jucLock = new ReentrantLock();
        int[] inside = {0};
        int[] maxInside = {0};
        int[] sections = {0};
        Aio.run(() -> {
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int kind = i % 4;
                tasks.add(Aio.createTask(() -> {
                    for (int round = 0; round < 6; round++) {
                        inside[0]++;
                        maxInside[0] = Math.max(maxInside[0], inside[0]);
                        switch (kind) {
                            case 0 -> Thread.sleep(1);
                            case 1 -> LockSupport.parkNanos(200_000);
                            case 2 -> {
                                synchronized (monitor) {
                                    monitor.wait(1);
                                }
                            }
                            default -> {
                                jucLock.lock();
                                try {
                                    Thread.yield();
                                } finally {
                                    jucLock.unlock();
                                }
                            }
                        }
                        sections[0]++;
                        inside[0]--;
                        Aio.sleep(0);
                    }
                    return null;
                }));
            }
            Aio.gather(tasks).await();
            return null;
        });
        assertEquals(1, maxInside[0], "two task bodies ran at once");
        assertEquals(48, sections[0]);
    }

    @Test
    void aTaskBlockedInThreadSleepBlocksItsLoop() {
        List<String> order = new ArrayList<>();
        Aio.run(() -> {
            Task<Object> sleeper = Aio.createTask(() -> {
                order.add("sleeper: before Thread.sleep");
                Thread.sleep(30);
                order.add("sleeper: after Thread.sleep");
                return null;
            });
            Task<Object> other = Aio.createTask(() -> {
                order.add("other runs");
                return null;
            });
            Aio.getRunningLoop().callSoon(() -> order.add("callback runs"));
            Aio.gather(sleeper, other).await();
            return null;
        });
        assertEquals(List.of("sleeper: before Thread.sleep", "sleeper: after Thread.sleep", "other runs", "callback runs"), order);
    }

    @Test
    void threadsafeCallbacksWaitForATaskBlockedOnAForeignLock() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            lock.lock();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        held.await();
        List<String> order = new ArrayList<>();
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Task<Object> blocked = Aio.createTask(() -> {
                order.add("task waits for the lock");
                // Another thread posts a callback, then lets the lock go: the callback must not
                // run while this body still holds the baton.
                Thread.ofPlatform().start(() -> {
                    loop.callSoonThreadsafe(() -> order.add("threadsafe callback"));
                    release.countDown();
                });
                lock.lock();
                try {
                    order.add("task got the lock");
                } finally {
                    lock.unlock();
                }
                return null;
            });
            blocked.await();
            Aio.sleep(0);
            return null;
        });
        holder.join();
        assertEquals(List.of("task waits for the lock", "task got the lock", "threadsafe callback"), order);
    }

    @Test
    void hoursOfVirtualSleepCostNothing() {
        // 100 tasks sleeping up to 23 virtual hours; the class-level @Timeout is the only clock check.
        double[] now = new double[1];
        Loops.runVirtual(() -> {
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = i;
                tasks.add(Aio.createTask(() -> {
                    Aio.sleep(3600.0 * (n % 24));
                    return null;
                }));
            }
            Aio.gather(tasks).await();
            now[0] = TestClocks.elapsed(Aio.getRunningLoop());
            return null;
        });
        assertEquals(3600.0 * 23, now[0]);
    }

    @Test
    void aTaskThatCancelsItselfThenSleepsIsCancelledAtOnce() {
        // aio4j-only regression: the pending cancel must cancel the sleep, not wait it out.
        double[] at = {-1};
        Loops.runVirtual(() -> {
            Task<Object> t = Aio.createTask(() -> {
                Aio.currentTask().cancel("self");
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    at[0] = TestClocks.elapsed(Aio.getRunningLoop());
                    assertEquals("self", e.getMessage());
                    throw e;
                }
                return null;
            });
            try {
                t.await();
            } catch (CancelledError expected) {
                // the task is cancelled
            }
            assertTrue(t.cancelled());
            return null;
        });
        assertEquals(0.0, at[0]);
    }

    @Test
    void threadsafeCallbacksAndTaskStepsShareOneFifo_issue2() {
        // asyncio appends call_soon_threadsafe and call_soon (incl. a task's first step) to one
        // ready queue; a task created after a threadsafe callback must not overtake it.
        List<String> order = new ArrayList<>();
        Loops.runVirtual(() -> {
            EventLoop loop = Aio.getRunningLoop();
            loop.callSoonThreadsafe(() -> order.add("threadsafe"));
            Task<Boolean> t = Aio.createTask(() -> order.add("task"));
            Future<Void> f = loop.createFuture();
            loop.callSoonThreadsafe(() -> order.add("threadsafe 2"));
            f.addDoneCallback(x -> order.add("done-callback"));
            f.setResult(null);
            t.await();
            Aio.sleep(0);
            return null;
        });
        assertEquals(List.of("threadsafe", "task", "threadsafe 2", "done-callback"), order);
    }

    @Test
    void anInterruptedTaskThreadWaitsForItsTurnAndKeepsItsInterrupt() {
        // An interrupt makes park() return at once: a park loop that did not clear it would spin
        // (with the carrier back-end, on the loop's own thread, which then never ran anything else).
        boolean[] seen = new boolean[2];
        Aio.run(() -> {
            Future<String> gate = Aio.getRunningLoop().createFuture();
            Thread[] waiter = new Thread[1];
            Task<Boolean> a = Aio.createTask(() -> {
                waiter[0] = Thread.currentThread();
                gate.await();
                return Thread.interrupted();
            });
            Aio.sleep(0); // a parks in gate.await()
            waiter[0].interrupt();
            for (int i = 0; i < 5; i++) {
                Aio.sleep(0); // other turns go on while a is interrupted but not resumed
            }
            seen[0] = a.done();
            gate.setResult("go");
            seen[1] = a.await();
            return null;
        });
        assertEquals(false, seen[0], "the interrupted task must not run before its future is done");
        assertEquals(true, seen[1], "the task must still see its interrupt when it resumes");
    }

    @Test
    void loopCallbacksSeeNoCurrentTaskWhicheverThreadRunsThem() {
        // The portable back-end runs the loop's code on the thread of the task that awaited last;
        // a callback must still see the loop's view: no current task, a running loop.
        List<Object> seen = new ArrayList<>();
        Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            Task<Void> a = Aio.createTask(() -> {
                loop.callSoon(() -> {
                    seen.add(String.valueOf(Aio.currentTask()));
                    seen.add(Aio.getRunningLoop() == loop);
                });
                Aio.sleep(0);
                seen.add(Aio.currentTask() != null);
                return null;
            });
            a.await();
            return null;
        });
        assertEquals(List.of("null", true, true), seen);
    }

    @Test
    void debugModeSwitchedOnAndOffInsideATaskKeepsTheLoopGoing() {
        // Debug mode measures steps the classic way; a task's thread that runs the loop's code
        // (portable back-end) must hand the loop back rather than wait for its own body.
        int total = Aio.run(() -> {
            EventLoop loop = Aio.getRunningLoop();
            loop.setDebug(true);
            Aio.sleep(0);
            Task<Integer> child = Aio.createTask(() -> {
                Aio.sleep(0);
                return 1;
            });
            int sum = child.await();
            loop.setDebug(false);
            Aio.sleep(0);
            Task<Integer> other = Aio.createTask(() -> {
                Aio.getRunningLoop().setDebug(true);
                Aio.sleep(0);
                return 2;
            });
            Aio.sleep(0);
            sum += other.await();
            Aio.sleep(0);
            return sum;
        });
        assertEquals(3, total);
    }
}

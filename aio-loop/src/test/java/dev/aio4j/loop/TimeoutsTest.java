package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops.Body;
import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.Steps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.aio4j.loop.test.Loops.inLoop;
import static dev.aio4j.loop.test.Loops.at;
import static dev.aio4j.loop.test.Loops.now;
import static dev.aio4j.loop.test.Loops.sinceStart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mirrors {@code Lib/test/test_asyncio/test_timeouts.py} ({@code TimeoutTests}) for
 * {@link Aio#timeout} and {@link Aio#timeoutAt}. On the virtual clock every deadline is checked
 * exactly: a timeout fires at its deadline, never before.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TimeoutsTest {

    static int cancelling() {
        return Aio.currentTask().cancelling();
    }

    @Test
    void timeoutBasic() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.timeout(0.01, t -> {
                cm[0] = t;
                Aio.sleep(10);
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(0.01, now(), "the timeout fires exactly at its deadline");
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals("timed out after 0.010 seconds (deadline " + at(0.01) + " in loop time)", e.getMessage());
            assertEquals(0, cancelling());
        });
    }

    @Test
    void timeoutAtBasic() throws Exception {
        inLoop(() -> {
            double deadline = now() + 0.01;
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(TimeoutError.class, () -> Aio.timeoutAt(at(deadline), t -> {
                cm[0] = t;
                Aio.sleep(10);
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(deadline, sinceStart(cm[0].when()));
            assertEquals(deadline, now());
        });
    }

    @Test
    void nestedTimeouts() throws Exception {
        inLoop(() -> {
            double deadline = now() + 0.01;
            boolean[] cancelled = {false};
            dev.aio4j.loop.Timeout[] cms = new dev.aio4j.loop.Timeout[2];
            assertThrows(TimeoutError.class, () -> Aio.timeoutAt(at(deadline), cm1 -> {
                cms[0] = cm1;
                // only the outermost block raises TimeoutError
                try {
                    return Aio.timeoutAt(at(deadline), cm2 -> {
                        cms[1] = cm2;
                        Aio.sleep(10);
                        return null;
                    });
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
            }));
            assertTrue(cancelled[0]);
            assertTrue(cms[0].expired());
            assertTrue(cms[1].expired());
            assertEquals(0, cancelling());
        });
    }

    @Test
    void waiterCancelled() throws Exception {
        inLoop(() -> {
            boolean[] cancelled = {false};
            assertThrows(TimeoutError.class, () -> Aio.timeout(0.01, () -> {
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
                return null;
            }));
            assertTrue(cancelled[0]);
        });
    }

    @Test
    void timeoutNotCalled() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            String r = Aio.timeout(10, t -> {
                cm[0] = t;
                Aio.sleep(0.01);
                return "done";
            });
            assertEquals("done", r);
            assertFalse(cm[0].expired());
            assertEquals(10.0, sinceStart(cm[0].when()));
            assertTrue(sinceStart(cm[0].when()) > now());
            assertEquals(0.01, now());
        });
    }

    @Test
    void timeoutDisabled() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            Aio.timeout(Double.POSITIVE_INFINITY, t -> {
                cm[0] = t;
                Aio.sleep(1e6);
                return null;
            });
            assertFalse(cm[0].expired());
            assertEquals(Double.POSITIVE_INFINITY, sinceStart(cm[0].when()));
        });
    }

    @Test
    void timeoutAtDisabled() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            Aio.timeoutAt(Double.POSITIVE_INFINITY, t -> {
                cm[0] = t;
                Aio.sleep(0.01);
                return null;
            });
            assertFalse(cm[0].expired());
            assertEquals(Double.POSITIVE_INFINITY, sinceStart(cm[0].when()));
        });
    }

    @Test
    void timeoutZero() throws Exception {
        inLoop(() -> {
            double t0 = now();
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(TimeoutError.class, () -> Aio.timeout(0, t -> {
                cm[0] = t;
                Aio.sleep(10);
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(t0, sinceStart(cm[0].when()));
            assertEquals(t0, now(), "a zero timeout expires without time passing");
        });
    }

    @Test
    void timeoutZeroSleepZero() throws Exception {
        inLoop(() -> {
            double t0 = now();
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(TimeoutError.class, () -> Aio.timeout(0, t -> {
                cm[0] = t;
                Aio.sleep(0);
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(t0, sinceStart(cm[0].when()));
            assertEquals(t0, now());
        });
    }

    @Test
    void timeoutInThePastSleepZero() throws Exception {
        inLoop(() -> {
            double t0 = now();
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(TimeoutError.class, () -> Aio.timeout(-11, t -> {
                cm[0] = t;
                Aio.sleep(0);
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(t0 - 11, sinceStart(cm[0].when()));
        });
    }

    @Test
    void foreignExceptionPassed() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            IllegalArgumentException boom = new IllegalArgumentException("key");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aio.timeout(0.01, t -> {
                cm[0] = t;
                throw boom;
            }));
            assertSame(boom, e);
            assertFalse(cm[0].expired());
        });
    }

    @Test
    void foreignExceptionOnTimeout() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(ArithmeticException.class, () -> Aio.timeout(0.01, t -> {
                cm[0] = t;
                try {
                    Aio.sleep(1);
                } finally {
                    int zero = 0;
                    int unused = 1 / zero;
                }
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(0, cancelling(), "the expired timeout withdrew its cancellation");
        });
    }

    @Test
    void checkedExceptionPassesThroughUnchanged() throws Exception { // aio4j-only: the body runs inline, like a direct call
        inLoop(() -> {
            IOException io = new IOException("disk");
            Throwable e = assertThrows(IOException.class, () -> Aio.timeout(1, () -> {
                throw io;
            }));
            assertSame(io, e);
            Throwable viaWaitFor = assertThrows(IOException.class, () -> Aio.waitFor(() -> {
                throw io;
            }, 1.0));
            assertSame(io, viaWaitFor);
        });
    }

    @Test
    void foreignCancelDoesntTimeoutIfNotExpired() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(CancelledError.class, () -> Aio.timeout(10, t -> {
                cm[0] = t;
                Aio.currentTask().cancel();
                Aio.sleep(10);
                return null;
            }));
            assertFalse(cm[0].expired());
            assertEquals(0.0, now());
            Aio.currentTask().uncancel();
        });
    }

    @Test
    void outerTaskIsNotCancelled() throws Exception {
        inLoop(() -> {
            Task<Object> task = Aio.createTask(() -> {
                assertThrows(TimeoutError.class, () -> Aio.timeout(0.001, () -> Aio.sleep(10, null)));
                return null;
            });
            task.await();
            assertFalse(task.cancelled());
            assertTrue(task.done());
            assertEquals(0, task.cancelling());
        });
    }

    @Test
    void nestedTimeoutsConcurrent() throws Exception {
        // the loop is "busy" past the outer deadline before the inner block awaits
        inLoop(() -> {
            List<String> innerSaw = new ArrayList<>();
            assertThrows(TimeoutError.class, () -> Aio.timeout(0.002, () -> {
                try {
                    return Aio.timeout(0.1, () -> {
                        Aio.getRunningLoop().virtualClock().advance(0.01); // crunch numbers
                        Aio.sleep(1);
                        return null;
                    });
                } catch (RuntimeException e) {
                    innerSaw.add(e.getClass().getSimpleName());
                    throw e;
                }
            }));
            assertEquals(List.of("CancelledError"), innerSaw, "the inner block did not expire: it must pass the cancel on");
            assertEquals(0.01, now());
        });
    }

    @Test
    void nestedTimeoutsLoopBusy() throws Exception {
        inLoop(() -> {
            double t0 = now();
            assertThrows(TimeoutError.class, () -> Aio.timeout(0.1, () -> { // (1)
                try {
                    Aio.timeout(0.01, () -> { // (2)
                        Aio.getRunningLoop().virtualClock().advance(0.1); // both deadlines pass
                        Aio.sleep(1);
                        return null;
                    });
                } catch (TimeoutError e) {
                    // (2) could only claim the timeout if (1) had not expired too
                }
                Aio.sleep(10);
                return null;
            }));
            double t1 = now();
            assertTrue(t0 <= t1 && t1 <= t0 + 1, "t1=" + t1);
            assertEquals(0, cancelling());
        });
    }

    @Test
    void reschedule() throws Exception {
        inLoop(() -> {
            Future<dev.aio4j.loop.Timeout> fut = Aio.getRunningLoop().createFuture();
            double deadline1 = now() + 10;
            double deadline2 = deadline1 + 20;
            Task<Object> task = Aio.createTask(() -> Aio.timeoutAt(at(deadline1), cm -> {
                fut.setResult(cm);
                Aio.sleep(50);
                return null;
            }));
            dev.aio4j.loop.Timeout cm = fut.await();
            assertEquals(deadline1, sinceStart(cm.when()));
            cm.reschedule(at(deadline2));
            assertEquals(deadline2, sinceStart(cm.when()));
            cm.reschedule(Double.POSITIVE_INFINITY);
            assertEquals(Double.POSITIVE_INFINITY, sinceStart(cm.when()));
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(cm.expired());
        });
    }

    @Test
    void rescheduleLater() throws Exception { // aio4j-only
        inLoop(() -> {
            assertThrows(TimeoutError.class, () -> Aio.timeout(1, cm -> {
                Aio.sleep(0.5);
                cm.reschedule(at(now() + 1));
                assertEquals(1.5, sinceStart(cm.when()));
                Aio.sleep(0.9);
                assertFalse(cm.expired(), "the old deadline (1.0) must not fire");
                Aio.sleep(10);
                return null;
            }));
            assertEquals(1.5, now());
        });
    }

    @Test
    void rescheduleEarlier() throws Exception { // aio4j-only
        inLoop(() -> {
            assertThrows(TimeoutError.class, () -> Aio.timeout(10, cm -> {
                cm.reschedule(at(2));
                Aio.sleep(100);
                return null;
            }));
            assertEquals(2.0, now());
        });
    }

    @Test
    void rescheduleIntoThePast() throws Exception { // aio4j-only: expires on the next iteration, no time passes
        inLoop(() -> {
            Aio.sleep(5);
            Steps steps = new Steps();
            assertThrows(TimeoutError.class, () -> Aio.timeout(10, cm -> {
                steps.expect(1);
                cm.reschedule(at(1));
                assertFalse(cm.expired());
                try {
                    Aio.sleep(0);
                } catch (CancelledError e) {
                    steps.expect(2);
                    throw e;
                }
                steps.expectUnreached();
                return null;
            }));
            steps.finish(3);
            assertEquals(5.0, now());
        });
    }

    @Test
    void rescheduleToInfinityDisables() throws Exception { // aio4j-only
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            String r = Aio.timeout(1, t -> {
                cm[0] = t;
                t.reschedule(Double.POSITIVE_INFINITY);
                Aio.sleep(100);
                return "finished";
            });
            assertEquals("finished", r);
            assertFalse(cm[0].expired());
            assertEquals(100.0, now());
        });
    }

    @Test
    void rescheduleNaNRefused() throws Exception { // aio4j-only
        inLoop(() -> Aio.timeout(1, cm -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cm.reschedule(Double.NaN));
            assertEquals("when must be a loop time or +Infinity, got NaN", e.getMessage());
            assertEquals(1.0, sinceStart(cm.when()));
            return null;
        }));
    }

    @Test
    void rescheduleAfterExpiryRefused() throws Exception { // aio4j-only
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(TimeoutError.class, () -> Aio.timeout(1, t -> {
                cm[0] = t;
                try {
                    Aio.sleep(2);
                } catch (CancelledError e) {
                    IllegalStateException ise = assertThrows(IllegalStateException.class, () -> t.reschedule(at(5)));
                    assertEquals("Cannot change state of expiring Timeout", ise.getMessage());
                    throw e;
                }
                return null;
            }));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm[0].reschedule(at(5)));
            assertEquals("Cannot change state of expired Timeout", e.getMessage());
        });
    }

    @Test
    void reprActive() throws Exception {
        inLoop(() -> Aio.timeout(10, cm -> {
            assertEquals("Timeout[entered, when=" + at(10.0) + "]", cm.toString());
            return null;
        }));
    }

    @Test
    void reprExpired() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            assertThrows(TimeoutError.class, () -> Aio.timeout(0.01, t -> {
                cm[0] = t;
                Aio.sleep(10);
                return null;
            }));
            assertEquals("Timeout[expired, when=" + at(0.01) + "]", cm[0].toString());
        });
    }

    @Test
    void reprFinished() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            Aio.timeout(10, t -> {
                cm[0] = t;
                Aio.sleep(0);
                return null;
            });
            assertEquals("Timeout[exited, when=" + at(10.0) + "]", cm[0].toString());
        });
    }

    @Test
    void reprDisabled() throws Exception {
        inLoop(() -> Aio.timeout(Double.POSITIVE_INFINITY, cm -> {
            assertEquals("Timeout[entered, when=Infinity]", cm.toString());
            return null;
        }));
    }

    @Test
    void nestedTimeoutInFinally() throws Exception {
        inLoop(() -> {
            assertThrows(TimeoutError.class, () -> Aio.timeout(0.01, () -> {
                try {
                    Aio.sleep(1);
                } finally {
                    assertThrows(TimeoutError.class, () -> Aio.timeout(0.01, () -> Aio.sleep(10, null)));
                }
                return null;
            }));
            assertEquals(0.02, now(), 1e-12);
            assertEquals(0, cancelling());
        });
    }

    @Test
    void timeoutAfterCancellation() throws Exception {
        inLoop(() -> {
            try {
                Aio.currentTask().cancel();
                Aio.sleep(1); // work that is cancelled
            } catch (CancelledError e) {
                // swallowed, without uncancel(): cancelling() stays 1
            } finally {
                assertEquals(1, cancelling());
                assertThrows(TimeoutError.class, () -> Aio.timeout(0.0, () -> Aio.sleep(1, null)));
                assertEquals(1, cancelling());
            }
            Aio.currentTask().uncancel();
        });
    }

    @Test
    void cancelInTimeoutAfterCancellation() throws Exception {
        inLoop(() -> {
            try {
                Aio.currentTask().cancel();
                Aio.sleep(1);
            } catch (CancelledError e) {
                // swallowed
            } finally {
                assertThrows(CancelledError.class, () -> Aio.timeout(1.0, () -> {
                    Aio.currentTask().cancel();
                    Aio.sleep(2);
                    return null;
                }));
            }
            assertEquals(2, cancelling());
            Aio.currentTask().uncancel();
            Aio.currentTask().uncancel();
        });
    }

    @Test
    void timeoutExceptionCause() throws Exception {
        inLoop(() -> {
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.timeout(0, () -> Aio.sleep(1, null)));
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void timeoutDoubleEnter() throws Exception {
        // the block form cannot re-enter a Timeout; the guard is checked through the package-private entry
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            Aio.timeout(0.01, t -> {
                cm[0] = t;
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.run(x -> null));
                assertEquals("Timeout has already been entered", e.getMessage());
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm[0].run(x -> null));
            assertEquals("Timeout has already been entered", e.getMessage());
        });
    }

    @Test
    void timeoutFinished() throws Exception {
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            Aio.timeout(0.01, t -> {
                cm[0] = t;
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm[0].reschedule(at(0.02)));
            assertEquals("Cannot change state of exited Timeout", e.getMessage());
        });
    }

    @Test
    void timeoutNotEntered() {
        dev.aio4j.loop.Timeout cm = new dev.aio4j.loop.Timeout(0.01);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.reschedule(0.02));
        assertEquals("Timeout has not been entered", e.getMessage());
        assertEquals("Timeout[created, when=0.01]", cm.toString());
    }

    @Test
    void timeoutWithoutTask() throws Exception {
        inLoop(() -> {
            Future<Throwable> seen = Aio.getRunningLoop().createFuture();
            Aio.getRunningLoop().callSoon(() -> {
                try {
                    Aio.timeout(0.01, () -> null);
                    seen.setResult(null);
                } catch (RuntimeException e) {
                    seen.setResult(e);
                }
            });
            Throwable e = seen.await();
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().startsWith("Aio.timeout() called outside a task"), e.getMessage());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Aio.timeout(1, () -> null));
        assertTrue(e.getMessage().startsWith("no running event loop"), e.getMessage());
    }

    // ------------------------------------------------------------------ aio4j-only

    @Test
    void firesExactlyAtTheDeadlineNeverBefore() throws Exception { // aio4j-only
        inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            dev.aio4j.loop.Timeout[] cm = {null};
            List<String> probes = new ArrayList<>();
            loop.callAt(at(2.999999), () -> probes.add("just before: expired=" + cm[0].expired()));
            double[] cancelledAt = {-1};
            assertThrows(TimeoutError.class, () -> Aio.timeout(3, t -> {
                cm[0] = t;
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    cancelledAt[0] = now();
                    throw e;
                }
                return null;
            }));
            assertEquals(List.of("just before: expired=false"), probes);
            assertEquals(3.0, cancelledAt[0]);
            assertEquals(3.0, now());
        });
    }

    @Test
    void bodyFinishingInTimeReturnsItsValue() throws Exception { // aio4j-only
        inLoop(() -> {
            assertEquals(42, Aio.timeout(1, () -> Aio.sleep(0.999, 42)));
            assertEquals(42, Aio.timeout(Duration.ofMillis(1000), () -> 42));
            // the cancelled timer never fires later
            Aio.sleep(10);
            assertEquals(0, cancelling());
        });
    }

    @Test
    void innerFiresOnlyInnerConverts() throws Exception { // aio4j-only
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] outer = {null};
            String r = Aio.timeout(10, o -> {
                outer[0] = o;
                TimeoutError inner = assertThrows(TimeoutError.class, () -> Aio.timeout(1, () -> Aio.sleep(5, null)));
                assertInstanceOf(CancelledError.class, inner.getCause());
                assertEquals(1.0, now());
                assertEquals(0, cancelling());
                Aio.sleep(1); // the outer block goes on undisturbed
                return "outer done";
            });
            assertEquals("outer done", r);
            assertFalse(outer[0].expired());
            assertEquals(2.0, now());
        });
    }

    @Test
    void outerFiresOuterConverts() throws Exception { // aio4j-only
        inLoop(() -> {
            List<String> innerSaw = new ArrayList<>();
            dev.aio4j.loop.Timeout[] inner = {null};
            TimeoutError e = assertThrows(TimeoutError.class, () -> Aio.timeout(1, () -> {
                try {
                    return Aio.timeout(10, i -> {
                        inner[0] = i;
                        return Aio.sleep(5, null);
                    });
                } catch (RuntimeException err) {
                    innerSaw.add(err.getClass().getSimpleName());
                    throw err;
                }
            }));
            assertEquals(List.of("CancelledError"), innerSaw);
            assertFalse(inner[0].expired());
            assertEquals("timed out after 1.000 seconds (deadline " + at(1.0) + " in loop time)", e.getMessage());
            assertEquals(1.0, now());
            assertEquals(0, cancelling());
        });
    }

    @Test
    void outerCancelStaysCancelledError() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<Object> t = Aio.createTask(() -> Aio.timeout(10, () -> Aio.sleep(100, null)));
            Aio.sleep(1);
            t.cancel("from outside");
            CancelledError e = assertThrows(CancelledError.class, t::await);
            assertEquals("from outside", e.getMessage());
            assertTrue(t.cancelled());
        });
    }

    @Test
    void outerCancelAtTheDeadlineStaysCancelledError() throws Exception { // aio4j-only: both at once, the outer cancel wins
        inLoop(() -> {
            EventLoop loop = Aio.getRunningLoop();
            for (boolean cancelFirst : new boolean[] {true, false}) {
                double deadline = now() + 1;
                @SuppressWarnings("unchecked")
                Task<Object>[] t = new Task[1];
                if (cancelFirst) {
                    loop.callAt(at(deadline), () -> t[0].cancel());
                }
                t[0] = Aio.createTask(() -> Aio.timeoutAt(at(deadline), cm -> Aio.sleep(100, null)));
                Aio.sleep(0); // enter the block (its timer is scheduled now)
                if (!cancelFirst) {
                    loop.callAt(at(deadline), () -> t[0].cancel());
                }
                assertThrows(CancelledError.class, t[0]::await, "cancelFirst=" + cancelFirst);
                assertTrue(t[0].cancelled());
                assertEquals(deadline, now());
            }
        });
    }

    @Test
    void cancellingRestoredAfterExpiry() throws Exception { // aio4j-only
        inLoop(() -> {
            Task<?> me = Aio.currentTask();
            assertEquals(0, me.cancelling());
            for (int i = 0; i < 3; i++) {
                assertThrows(TimeoutError.class, () -> Aio.timeout(0.5, () -> {
                    try {
                        return Aio.sleep(1, null);
                    } finally {
                        assertEquals(1, me.cancelling(), "inside the expired block the cancel is pending");
                    }
                }));
                assertEquals(0, me.cancelling());
            }
            // and no stray cancellation is left to hit the next await
            Aio.sleep(1);
            assertEquals(2.5, now());
        });
    }

    @Test
    void timeoutSwallowedByBody() throws Exception { // aio4j-only: a body that swallows the cancel returns normally
        inLoop(() -> {
            dev.aio4j.loop.Timeout[] cm = {null};
            String r = Aio.timeout(1, t -> {
                cm[0] = t;
                try {
                    Aio.sleep(10);
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "slept";
            });
            assertEquals("swallowed", r);
            assertTrue(cm[0].expired());
            assertEquals(0, cancelling());
        });
    }

    @Test
    void invalidDelayRefused() throws Exception { // aio4j-only
        inLoop(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Aio.timeout(Double.NaN, () -> null));
            assertEquals("delay must be a number of seconds or +Infinity for none, got NaN", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Aio.timeoutAt(Double.NEGATIVE_INFINITY, t -> null));
            assertEquals("when must be a number of seconds or +Infinity for none, got -Infinity", e.getMessage());
            NullPointerException npe = assertThrows(NullPointerException.class,
                    () -> Aio.timeout(1, (Coroutine<Object>) null));
            assertEquals("body must not be null", npe.getMessage());
        });
    }
}

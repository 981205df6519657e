package dev.aio4j.loop;

import dev.aio4j.loop.test.Loops;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12's acceptance test for the exception model: every block the caller waits for declares
 * the checked exception its lambda throws, so an ordinary {@code catch (IOException e)} compiles
 * around it and receives the original object (Python's {@code except OSError}); a body without
 * checked exceptions needs no {@code throws} at all. Most of these checks are made by the
 * compiler: if a signature stopped declaring {@code E}, this file would not compile ("exception
 * IOException is never thrown in body of corresponding try statement"), and if it declared
 * {@code Exception} instead, the methods below without a {@code throws} clause would not.
 */
class CheckedExceptionsTest {

    /** A stand-in for {@code Streams.openConnection} on a closed port. */
    static String refusedConnect(ConnectException e) throws ConnectException {
        Aio.sleep(0);
        throw e;
    }

    static String readConfig(String text) throws IOException {
        Aio.sleep(0);
        if (text == null) {
            throw new FileNotFoundException("config.toml");
        }
        return text;
    }

    // ------------------------------------------------------------- no checked exception: no throws

    @Test
    void bodiesWithoutCheckedExceptionsNeedNoThrowsClause() { // note: this method declares nothing
        assertEquals(42, Aio.run(() -> 42));
        Aio.run(() -> Aio.sleep(0));
        assertEquals("ok", Loops.runVirtual(() -> Aio.waitFor(() -> Aio.sleep(1, "ok"), 5.0)));
        assertEquals("t", Loops.runVirtual(() -> Aio.timeout(5.0, () -> "t")));
        assertEquals("b", Loops.runVirtual(() -> Aio.timeout(5.0, cm -> "b")));
        assertEquals("at", Loops.runVirtual(() -> Aio.timeoutAt(Double.POSITIVE_INFINITY, () -> "at")));
        assertEquals(7, Loops.runVirtual(() -> Aio.toThread(() -> 7)));
        try (EventLoop loop = EventLoop.create()) {
            assertEquals("u", loop.runUntilComplete(() -> "u"));
        }
        try (Runner runner = new Runner()) {
            assertEquals("r", runner.run(() -> "r"));
        }
    }

    // -------------------------------------------------- catch (IOException e) around each of them

    @Test
    void aioRunThrowsTheBodysCheckedExceptionItself() {
        try {
            Aio.run(() -> readConfig(null));
            fail("expected FileNotFoundException");
        } catch (IOException e) { // except OSError:
            assertEquals(FileNotFoundException.class, e.getClass());
            assertEquals("config.toml", e.getMessage());
        }
        try {
            Aio.run(() -> {
                readConfig(null); // a void body
            });
            fail("expected FileNotFoundException");
        } catch (IOException e) {
            assertEquals("config.toml", e.getMessage());
        }
    }

    @Test
    void waitForThrowsTheBodysCheckedExceptionItself() {
        ConnectException refused = new ConnectException("Connection refused");
        AtomicReference<IOException> caught = new AtomicReference<>();
        Loops.runVirtual(() -> {
            try {
                Aio.waitFor(() -> refusedConnect(refused), 1.0);
            } catch (IOException e) {
                caught.set(e);
            }
            return null;
        });
        assertSame(refused, caught.get());
        // the same through the Duration and void forms
        Loops.runVirtual(() -> {
            try {
                Aio.waitFor(() -> {
                    refusedConnect(refused);
                }, java.time.Duration.ofSeconds(1));
                fail("expected ConnectException");
            } catch (ConnectException e) {
                assertSame(refused, e);
            }
            return null;
        });
    }

    @Test
    void waitForWithZeroTimeoutStillDeclaresTheBodysType() throws IOException {
        // timeout <= 0 runs the body as a task cancelled at once: it never runs, so TimeoutError
        assertThrows(TimeoutError.class, () -> Loops.runVirtual(() -> Aio.waitFor(() -> readConfig(null), 0)));
    }

    @Test
    void timeoutAndTimeoutAtThrowTheBodysCheckedExceptionItself() {
        Loops.runVirtual(() -> {
            try {
                Aio.timeout(5.0, () -> readConfig(null));
                fail("expected FileNotFoundException");
            } catch (IOException e) {
                assertEquals("config.toml", e.getMessage());
            }
            try {
                Aio.timeout(5.0, cm -> {
                    cm.reschedule(cm.when() + 1);
                    return readConfig(null);
                });
                fail("expected FileNotFoundException");
            } catch (IOException e) {
                assertEquals("config.toml", e.getMessage());
            }
            try {
                Aio.timeoutAt(Aio.getRunningLoop().time() + 5, () -> {
                    readConfig(null);
                });
                fail("expected FileNotFoundException");
            } catch (IOException e) {
                assertEquals("config.toml", e.getMessage());
            }
            // the deadline still wins over a body that would fail later
            assertThrows(TimeoutError.class, () -> Aio.timeout(1.0, () -> {
                Aio.sleep(2);
                return readConfig(null);
            }));
            return null;
        });
    }

    @Test
    void toThreadThrowsTheFunctionsCheckedExceptionItself() {
        IOException io = new IOException("disk");
        Loops.runVirtual(() -> {
            try {
                Aio.toThread(() -> {
                    throw io;
                });
                fail("expected IOException");
            } catch (IOException e) {
                assertSame(io, e);
            }
            return null;
        });
    }

    @Test
    void runUntilCompleteAndRunnerRunThrowTheBodysCheckedExceptionItself() {
        try (EventLoop loop = EventLoop.create()) {
            try {
                loop.runUntilComplete(() -> readConfig(null));
                fail("expected FileNotFoundException");
            } catch (IOException e) {
                assertEquals("config.toml", e.getMessage());
            }
        }
        try (Runner runner = new Runner()) {
            try {
                runner.run(() -> {
                    readConfig(null);
                });
                fail("expected FileNotFoundException");
            } catch (IOException e) {
                assertEquals("config.toml", e.getMessage());
            }
            try {
                runner.run(() -> readConfig(null), Context.copyContext());
                fail("expected FileNotFoundException");
            } catch (IOException e) {
                assertEquals("config.toml", e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------- tasks: awaitChecked

    @Test
    void awaitCheckedThrowsAnExceptionOfTheNamedTypeItself() {
        ConnectException refused = new ConnectException("refused");
        Loops.runVirtual(() -> {
            Task<String> t = Aio.createTask(() -> refusedConnect(refused));
            try {
                t.awaitChecked(IOException.class);
                fail("expected ConnectException");
            } catch (IOException e) {
                assertSame(refused, e);
            }
            // await() keeps CompletableFuture.join()'s rule: a checked exception arrives wrapped
            CompletionException wrapped = assertThrows(CompletionException.class, t::await);
            assertSame(refused, wrapped.getCause());
            return null;
        });
    }

    @Test
    void awaitCheckedWrapsOtherCheckedExceptionsAndPassesUncheckedOnes() throws IOException {
        Loops.runVirtual(() -> {
            Task<String> io = Aio.createTask(() -> readConfig(null));
            // a checked exception of another type than the named one: wrapped, as await() does
            CompletionException other = assertThrows(CompletionException.class,
                    () -> io.awaitChecked(InterruptedException.class));
            assertEquals(FileNotFoundException.class, other.getCause().getClass());
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> unchecked = Aio.createTask(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, () -> unchecked.awaitChecked(IOException.class)));
            Task<String> ok = Aio.createTask(() -> readConfig("x=1"));
            assertEquals("x=1", ok.awaitChecked(IOException.class));
            Task<String> cancelled = Aio.createTask(() -> readConfig("never"));
            cancelled.cancel();
            assertThrows(CancelledError.class, () -> cancelled.awaitChecked(IOException.class));
            assertThrows(NullPointerException.class, () -> ok.awaitChecked(null));
            return null;
        });
    }

    @Test
    void awaitCheckedSuspendsUntilDoneAndMarksTheExceptionRetrieved() {
        IOException late = new IOException("late");
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Loops.runVirtual(handler, () -> {
            Task<String> t = Aio.createTask(() -> {
                Aio.sleep(3);
                throw late;
            });
            double start = Aio.getRunningLoop().time();
            IOException e = assertThrows(IOException.class, () -> t.awaitChecked(IOException.class));
            assertSame(late, e);
            assertEquals(3.0, Aio.getRunningLoop().time() - start, 1e-9);
            return null;
        });
        // awaitChecked retrieved the exception: nothing is reported as never retrieved
        handler.assertNothingReported();
    }
}

package dev.aio4j.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SelectorEventLoop.releaseChannel (LoopAccess.releaseChannel): the selectNow() that flushes the
 * released channel's key drops whatever readiness it saw of the other channels; the selector is
 * level-triggered, so their callbacks still run. aio4j-only (asyncio closes its sockets itself).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReleaseChannelTest {

    private static void otherChannelsStayReady(EventLoop loop) throws Exception {
        Pipe released = Pipe.open();
        Pipe pipe = Pipe.open();
        try (DatagramChannel udp = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open();
                Pipe.SinkChannel releasedSink = released.sink(); Pipe.SinkChannel sink = pipe.sink();
                Pipe.SourceChannel source = pipe.source()) {
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            udp.configureBlocking(false);
            released.source().configureBlocking(false);
            source.configureBlocking(false);
            List<String> got = new ArrayList<>();
            Future<Void> done = loop.createFuture();
            Runnable check = () -> {
                if (got.contains("pipe") && got.contains("udp") && !done.done()) {
                    done.setResult(null);
                }
            };
            loop.addReader(released.source(), () -> { });
            loop.addReader(source, () -> {
                got.add("pipe");
                loop.removeReader(source);
                check.run();
            });
            loop.addReader(udp, () -> {
                got.add("udp");
                loop.removeReader(udp);
                check.run();
            });
            // Both readable before the release's selectNow(), which sees and drops that readiness.
            sink.write(ByteBuffer.wrap(new byte[] {1}));
            sender.send(ByteBuffer.wrap(new byte[] {1}), udp.getLocalAddress());
            loop.callSoon(() -> {
                loop.releaseChannel(released.source());
                try {
                    released.source().close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                assertFalse(released.source().isRegistered(), "the key was flushed at once");
            });
            loop.runUntilComplete(done);
            assertTrue(got.contains("pipe") && got.contains("udp"), got.toString());
        }
    }

    @Test
    void otherChannelsReadinessSurvivesTheFlush() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            otherChannelsStayReady(loop);
        }
    }

    @Test
    void otherChannelsReadinessSurvivesTheFlushUnderASchedule() throws Exception {
        // A schedule collects the selected-key set, which the flush must leave empty.
        try (EventLoop loop = EventLoop.create(VirtualClock.autoJump(), Schedule.seeded(7))) {
            otherChannelsStayReady(loop);
        }
    }

    @Test
    void reRegisteringUnderAScheduleLeavesNoStaleSelectedKey() throws Exception {
        // Readiness.add flushes a cancelled key with selectNow() before registering its channel
        // again. Under a schedule the loop dispatches the whole selected-key set after its select:
        // a key that flush put there (a channel readable then, drained by its reader since) must
        // not be dispatched again with its stale readiness.
        try (EventLoop loop = EventLoop.create(VirtualClock.autoJump(), Schedule.seeded(7))) {
            Pipe x = Pipe.open();
            Pipe y = Pipe.open();
            try (Pipe.SourceChannel xs = x.source(); Pipe.SinkChannel xw = x.sink();
                    Pipe.SourceChannel ys = y.source(); Pipe.SinkChannel yw = y.sink()) {
                xs.configureBlocking(false);
                ys.configureBlocking(false);
                List<Integer> reads = new ArrayList<>();
                loop.addReader(xs, () -> {
                    try {
                        reads.add(xs.read(ByteBuffer.allocate(16)));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                loop.addReader(ys, () -> { });
                xw.write(ByteBuffer.wrap(new byte[] {1}));
                loop.callSoon(() -> { // runs before x's reader, in the iteration whose poll saw x
                    loop.removeReader(ys);
                    loop.addReader(ys, () -> { }); // the cancelled key is flushed: selectNow()
                });
                loop.callLater(1.0, loop::stop);
                loop.runForever();
                assertEquals(List.of(1), reads, "x's reader ran once, for its one byte");
            }
        }
    }

    @Test
    void fromAnotherThreadWhileTheLoopRunsIsRefused() throws Exception {
        // Its selectNow() would wait for the loop's select to return (forever, on an idle loop)
        // and its reader/writer removal would race the loop: refused as removeReader() is.
        try (EventLoop loop = EventLoop.create()) {
            Pipe pipe = Pipe.open();
            try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
                source.configureBlocking(false);
                loop.addReader(source, () -> { });
                Object[] outcome = new Object[1];
                Thread other = new Thread(() -> {
                    try {
                        loop.releaseChannel(source);
                        outcome[0] = "released";
                    } catch (IllegalStateException e) {
                        outcome[0] = e;
                    }
                    loop.callSoonThreadsafe(loop::stop);
                });
                loop.callSoon(other::start); // the loop runs from here on, until the thread stops it
                loop.runForever();
                other.join();
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome[0]);
                assertTrue(e.getMessage().contains("releaseChannel"), e.getMessage());
                assertTrue(source.isRegistered(), "nothing was released");
            }
        }
    }
}

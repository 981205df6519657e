package dev.aio4j.streams;

import dev.aio4j.loop.Aio;
import dev.aio4j.loop.CancelledError;
import dev.aio4j.loop.Future;
import dev.aio4j.loop.Task;
import dev.aio4j.loop.test.RecordingExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mirrors Lib/test/test_asyncio/test_server.py, with the JDK's blocking sockets as clients. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String jdkRoundTrip(int port, String line) throws IOException {
        try (Socket s = new Socket(Net.LOOPBACK, port)) {
            s.getOutputStream().write(b(line));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * asyncio's Server.close() runs on the loop's thread (BaseEventLoop._check_thread in debug
     * mode); aio4j refuses it from another thread while the loop runs, before it changes anything:
     * the refused server still listens, accepts and serves, and a later close() on the loop works.
     */
    @Test
    void closeFromAnotherThreadIsRefusedAndLeavesTheServerOpen() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, Net.HOST, 0);
            int port = srv.port();
            IllegalStateException e = Aio.toThread(() -> assertThrows(IllegalStateException.class, srv::close));
            assertTrue(e.getMessage().contains("Server.close()"), e.getMessage());
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
            assertTrue(srv.isServing(), "refused: still serving");
            assertEquals(1, srv.sockets().size(), "refused: still listening");
            assertTrue(srv.sockets().get(0).isOpen());
            assertEquals("still\n", Aio.toThread(() -> jdkRoundTrip(port, "still\n")), "refused: still accepting");
            srv.close();
            srv.waitClosed();
            assertFalse(srv.isServing());
            assertEquals(List.of(), srv.sockets());
            assertThrows(java.net.ConnectException.class, () -> Aio.toThread(() -> jdkRoundTrip(port, "x\n")));
        });
    }

    @Test
    void startServer1() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, Net.HOST, 0);
            assertTrue(srv.isServing());
            assertEquals(1, srv.sockets().size());
            InetSocketAddress addr = (InetSocketAddress) srv.addresses().get(0);
            assertEquals(Net.LOOPBACK, addr.getAddress());
            int port = srv.port();
            assertEquals("hello\n", Aio.toThread(() -> jdkRoundTrip(port, "hello\n")));
            srv.close();
            assertFalse(srv.isServing());
            assertEquals(List.of(), srv.sockets());
            srv.close(); // idempotent
            srv.waitClosed();
            srv.waitClosed(); // returns at once once closed
            // refused: the listener is closed (toThread throws the function's IOException itself)
            assertThrows(java.net.ConnectException.class, () -> Aio.toThread(() -> jdkRoundTrip(port, "x\n")));
            return null;
        });
    }

    private static void assertRefused(int port, String when) {
        java.net.ConnectException e = assertThrows(java.net.ConnectException.class, () -> {
            try (Socket s = new Socket(Net.LOOPBACK, port)) {
                s.setSoTimeout(2000); // not reached unless the closed server still accepted the connection
                s.getInputStream().read();
            }
        }, when);
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
    }

    @Test
    void connectRightAfterCloseIsRefused_issue13() throws Exception {
        // asyncio closes the listening socket in close(); NIO used to keep it open (accepting into
        // the backlog, then resetting) until the loop's next select.
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> w.close(), Net.HOST, 0);
            int port = srv.port();
            srv.close();
            assertRefused(port, "connect from the same task, no loop iteration after close()"); // blocking, on loopback
            srv.waitClosed();
            return null;
        });
        try (dev.aio4j.loop.EventLoop loop = dev.aio4j.loop.EventLoop.create()) {
            Server srv = loop.runUntilComplete(() -> Streams.startServer((r, w) -> w.close(), Net.HOST, 0));
            int port = srv.port();
            srv.close(); // the loop is not running
            assertRefused(port, "connect while the loop is not running");
            loop.runUntilComplete(() -> {
                srv.waitClosed();
                return null;
            });
        }
    }

    @Test
    void serveForeverEndsByCancellationAndClosesTheServer() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> w.close(), Net.HOST, 0);
            Task<Object> serving = Aio.createTask(() -> {
                srv.serveForever();
                return null;
            });
            Aio.sleep(0.01);
            IllegalStateException twice = assertThrows(IllegalStateException.class, srv::serveForever);
            assertTrue(twice.getMessage().startsWith("serveForever() is already running on Server["), twice.getMessage());
            serving.cancel();
            assertThrows(CancelledError.class, serving::await);
            assertFalse(srv.isServing());
            IllegalStateException closed = assertThrows(IllegalStateException.class, srv::serveForever);
            assertTrue(closed.getMessage().startsWith("serveForever() on a closed server"), closed.getMessage());
            return null;
        });
    }

    @Test
    void closeEndsServeForever() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.createServer(RecordingProtocol::new, Net.HOST, 0);
            Task<Object> serving = Aio.createTask(() -> {
                srv.serveForever();
                return null;
            });
            Aio.sleep(0.01);
            srv.close();
            assertThrows(CancelledError.class, serving::await);
            return null;
        });
    }

    @Test
    void waitClosedWaitsForConnectionsAndCloseClients() throws Exception {
        Aio.run(() -> {
            List<String> order = new java.util.ArrayList<>();
            Server srv = Streams.startServer((r, w) -> {
                r.read(-1); // until the client half-closes or closeClients() ends it
                order.add("handler done");
            }, Net.HOST, 0);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            Aio.sleep(0.02);
            srv.close();
            Task<Object> waiter = Aio.createTask(() -> {
                srv.waitClosed();
                order.add("waitClosed returned");
                return null;
            });
            Aio.sleep(0.05);
            assertFalse(waiter.done(), "a connection is still open: waitClosed() waits (Python 3.12)");
            srv.closeClients();
            waiter.await();
            assertEquals(0, c.reader().read(-1).length);
            c.writer().close();
            assertTrue(order.contains("waitClosed returned"));
            return null;
        });
    }

    @Test
    void abortClients() throws Exception {
        Aio.run(() -> {
            List<StreamWriter> writers = new java.util.ArrayList<>();
            long[] written = {0};
            Future<Void> buffered = Aio.getRunningLoop().createFuture();
            Server srv = Streams.startServer((r, w) -> {
                writers.add(w);
                byte[] chunk = new byte[64 * 1024];
                // Nobody reads: the kernel's buffers fill, then 1 MiB waits in the transport's.
                while (w.transport().getWriteBufferSize() < (1 << 20)) {
                    w.write(chunk);
                    written[0] += chunk.length;
                }
                buffered.setResult(null);
                r.read(-1);
            }, Net.HOST, 0);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            buffered.await();
            srv.close();
            srv.abortClients();
            Transport serverSide = writers.get(0).transport();
            assertTrue(serverSide.isClosing());
            assertEquals(0, serverSide.getWriteBufferSize(), "abort() drops the buffer at once, as close() would not");
            Aio.waitFor(() -> {
                srv.waitClosed(); // every connection ended without the client reading a byte
                return null;
            }, 5.0);
            assertTrue(srv.toString().endsWith("connections=0]"), srv.toString());
            long got = Aio.waitFor(() -> {
                long n = 0;
                try {
                    byte[] block;
                    while ((block = c.reader().read(1 << 20)).length > 0) {
                        n += block.length;
                    }
                } catch (IOException reset) {
                    // a reset is an abort too
                }
                return n;
            }, 10.0);
            assertTrue(got < written[0], "the client got " + got + " of " + written[0]
                    + " bytes: what the transport had buffered was dropped, and the connection ended");
            c.writer().close();
            return null;
        });
    }

    @Test
    void handlerExceptionIsReportedAndTheConnectionClosed() throws Exception {
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            Server srv = Streams.startServer((r, w) -> {
                throw new IllegalStateException("handler failed");
            }, Net.HOST, 0);
            StreamPair c = Streams.openConnection(Net.HOST, srv.port());
            assertEquals(0, c.reader().read(-1).length, "the server closed the connection");
            c.writer().close();
            srv.close();
            srv.waitClosed();
            return null;
        });
        assertEquals(1, handler.contexts().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Unhandled exception in client_connected_cb"));
        assertEquals("handler failed", handler.contexts().get(0).exception().getMessage());
    }

    @Test
    void bindToAPortInUse() throws Exception {
        Aio.run(() -> {
            Server a = Streams.createServer(RecordingProtocol::new, Net.HOST, 0);
            java.net.BindException e = assertThrows(java.net.BindException.class,
                    () -> Streams.createServer(RecordingProtocol::new, Net.HOST, a.port()));
            assertTrue(e.getMessage().startsWith("error while attempting to bind on address"), e.getMessage());
            a.close();
            return null;
        });
    }

    @Test
    void reusePortLetsTwoServersShareOnePort() throws Exception { // CPython: test_create_server_reuse_port
        Aio.run(() -> {
            Server a = Streams.startServer((r, w) -> {
                w.write(("a:" + new String(r.readline(), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                w.close();
            }, Net.HOST, 0, null, StreamReader.DEFAULT_LIMIT, true);
            Server b = Streams.startServer((r, w) -> {
                w.write(("b:" + new String(r.readline(), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                w.close();
            }, Net.HOST, a.port(), null, StreamReader.DEFAULT_LIMIT, true);
            assertEquals(a.port(), b.port());
            String answer = Aio.toThread(() -> jdkRoundTrip(a.port(), "hi\n"));
            assertTrue(answer.equals("a:hi\n") || answer.equals("b:hi\n"), answer);
            b.close();
            // the other listener still serves the port
            assertEquals("a:again\n", Aio.toThread(() -> jdkRoundTrip(a.port(), "again\n")));
            a.close();
            return null;
        });
    }

    @Test
    void withoutReusePortTheSecondBindFails() throws Exception {
        Aio.run(() -> {
            Server a = Streams.createServer(RecordingProtocol::new, Net.HOST, 0, null, 16, true);
            assertThrows(java.net.BindException.class,
                    () -> Streams.createServer(RecordingProtocol::new, Net.HOST, a.port(), null, 16, false));
            assertThrows(IllegalArgumentException.class,
                    () -> Streams.createServer(RecordingProtocol::new, Net.HOST, 0, null, 0, false));
            a.close();
            return null;
        });
    }

    @Test
    void createServerOnABoundSocket() throws Exception { // CPython: test_create_server_sock
        java.nio.channels.ServerSocketChannel sock = java.nio.channels.ServerSocketChannel.open();
        sock.bind(new InetSocketAddress(Net.LOOPBACK, 0));
        int port = ((InetSocketAddress) sock.getLocalAddress()).getPort();
        Aio.run(() -> {
            Server srv = Streams.createServer(() -> new Protocol() {
                private Transport t;

                @Override
                public void connectionMade(Transport transport) {
                    t = transport;
                }

                @Override
                public void dataReceived(byte[] data) {
                    t.write(data);
                    t.close();
                }
            }, sock, (javax.net.ssl.SSLContext) null);
            assertEquals(port, srv.port());
            assertEquals("ping\n", Aio.toThread(() -> jdkRoundTrip(port, "ping\n")));
            srv.close();
            assertFalse(sock.isOpen(), "the server owns the socket and closes it");
            java.nio.channels.ServerSocketChannel closed = java.nio.channels.ServerSocketChannel.open();
            closed.close();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Streams.createServer(RecordingProtocol::new, closed, (javax.net.ssl.SSLContext) null));
            assertEquals("sock must be an open ServerSocketChannel, got a closed one: " + closed, e.getMessage());
            return null;
        });
    }

    @Test
    void createServerOnAnUnboundSocketListensOnTheWildcardAddressAndAnEphemeralPort() throws Exception {
        // aio4j-only (CPython has no test of it): asyncio's Server._start_serving calls
        // sock.listen(backlog), and on Linux listen() binds an unbound TCP socket to the wildcard
        // address and an ephemeral port. The JDK listens only through bind(): bind(null, backlog)
        // does the same, with the backlog of the options (a bound socket listens already).
        try (java.nio.channels.ServerSocketChannel sock = java.nio.channels.ServerSocketChannel.open()) {
            Aio.run(() -> {
                Server srv = Streams.startServer((r, w) -> {
                    w.write(r.readline());
                    w.close();
                }, sock, ServerOptions.defaults().backlog(5));
                InetSocketAddress bound = (InetSocketAddress) sock.getLocalAddress();
                assertTrue(bound.getAddress().isAnyLocalAddress(), "the wildcard address: " + bound);
                assertTrue(bound.getPort() > 0, "an ephemeral port: " + bound);
                assertEquals(bound.getPort(), srv.port());
                assertEquals("ok\n", Aio.toThread(() -> jdkRoundTrip(srv.port(), "ok\n")));
                srv.close();
                return null;
            });
            assertFalse(sock.isOpen(), "the server owned it once it served");
        }
    }

    @Test
    void createServerOnAnUnboundUnixSocketIsRefused() throws Exception {
        // aio4j-only: Linux's listen() on an unbound Unix domain socket fails with EINVAL (no
        // automatic address, unlike TCP), so asyncio's sock.listen(backlog) raises; the JDK would
        // bind it to a temporary path instead. Refused, saying what to do; the socket stays the caller's.
        try (java.nio.channels.ServerSocketChannel unix = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            Aio.run(() -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Streams.createServer(RecordingProtocol::new, unix, ServerOptions.defaults()));
                assertEquals("sock is an unbound Unix domain ServerSocketChannel, which cannot listen (Linux's listen() fails "
                        + "with EINVAL, as asyncio's sock.listen() does); bind it to a path first: " + unix, e.getMessage());
                assertTrue(unix.isOpen());
                assertEquals(null, unix.getLocalAddress());
                return null;
            });
        }
    }

    @Test
    void createServerAddrInUse() throws Exception { // CPython: test_events.py test_create_server_addr_in_use
        java.nio.channels.ServerSocketChannel sock = java.nio.channels.ServerSocketChannel.open();
        sock.bind(new InetSocketAddress(Net.LOOPBACK, 0));
        Aio.run(() -> {
            Server srv = Streams.createServer(RecordingProtocol::new, sock, ServerOptions.defaults());
            java.net.BindException e = assertThrows(java.net.BindException.class,
                    () -> Streams.createServer(RecordingProtocol::new, Net.HOST, srv.port()));
            assertTrue(e.getMessage().startsWith("error while attempting to bind on address "), e.getMessage());
            assertTrue(e.getMessage().contains(":" + srv.port()), e.getMessage());
            srv.close();
            return null;
        });
    }

    @Test
    void createServerSockBacklogAndReusePort() throws Exception {
        // aio4j-only: with sock=, asyncio's Server._start_serving calls sock.listen(backlog) and
        // create_server ignores reuse_port. A bound ServerSocketChannel listens already, with the
        // backlog its bind got, and the JDK has no call to change it; SO_REUSEPORT counts only
        // before the bind. So asyncio's default backlog is taken, and anything that could not be
        // applied is refused, saying where it goes, and the socket stays the caller's.
        try (java.nio.channels.ServerSocketChannel sock = java.nio.channels.ServerSocketChannel.open()) {
            sock.bind(new InetSocketAddress(Net.LOOPBACK, 0), 5);
            Aio.run(() -> {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Streams.createServer(RecordingProtocol::new, sock, ServerOptions.defaults().backlog(5)));
                assertEquals("backlog cannot be applied to a socket passed as sock: a bound ServerSocketChannel listens "
                        + "already and the JDK cannot change its backlog (asyncio calls sock.listen(backlog) here); pass it "
                        + "to sock.bind(address, backlog) instead; got backlog=5", e.getMessage());
                e = assertThrows(IllegalArgumentException.class,
                        () -> Streams.startServer((r, w) -> w.close(), sock, ServerOptions.defaults().reusePort(true)));
                assertEquals("reusePort cannot be applied to a socket passed as sock: SO_REUSEPORT counts only when set "
                        + "before the bind (asyncio ignores reuse_port here); call "
                        + "sock.setOption(StandardSocketOptions.SO_REUSEPORT, true) before binding it", e.getMessage());
                assertTrue(sock.isOpen(), "a refused socket stays the caller's");
                Server srv = Streams.startServer((r, w) -> {
                    w.write(r.readline());
                    w.close();
                }, sock, ServerOptions.defaults().backlog(ServerOptions.defaults().backlog()));
                assertEquals("ok\n", Aio.toThread(() -> jdkRoundTrip(srv.port(), "ok\n")));
                srv.close();
                return null;
            });
            assertFalse(sock.isOpen(), "the server owned it once it served");
        }
    }

    @Test
    void manyClientsAtOnce() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                byte[] line;
                while ((line = r.readline()).length > 0) {
                    w.write(line);
                    w.drain();
                }
                w.close();
            }, Net.HOST, 0);
            List<Task<String>> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int id = i;
                clients.add(Aio.createTask(() -> {
                    StreamPair c = Streams.openConnection(Net.HOST, srv.port());
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < 20; k++) {
                        c.writer().write(b(id + ":" + k + "\n"));
                        sb.append(new String(c.reader().readline(), StandardCharsets.US_ASCII));
                    }
                    c.writer().close();
                    return sb.toString();
                }));
            }
            for (int i = 0; i < 50; i++) {
                StringBuilder want = new StringBuilder();
                for (int k = 0; k < 20; k++) {
                    want.append(i).append(':').append(k).append('\n');
                }
                assertEquals(want.toString(), clients.get(i).await());
            }
            srv.close();
            srv.waitClosed();
            return null;
        });
    }

    @Test
    void serverToString() throws Exception {
        Aio.run(() -> {
            Server srv = Streams.createServer(RecordingProtocol::new, Net.HOST, 0);
            assertEquals("Server[serving, addresses=[/127.0.0.1:" + srv.port() + "], connections=0]", srv.toString());
            srv.close();
            assertTrue(srv.toString().startsWith("Server[closed"), srv.toString());
            return null;
        });
    }

    @Test
    void jdkClientNeverReadsAndServerStillCloses() throws Exception {
        // A peer that never reads: the server's close must not hang (abortClients ends it).
        Aio.run(() -> {
            Server srv = Streams.startServer((r, w) -> {
                while (true) {
                    w.write(new byte[64 * 1024]);
                    w.drain();
                }
            }, Net.HOST, 0);
            Socket s = Aio.toThread(() -> new Socket(Net.LOOPBACK, srv.port()));
            Aio.sleep(0.1);
            srv.close();
            srv.abortClients();
            srv.waitClosed();
            InputStream in = s.getInputStream();
            Aio.toThread(() -> {
                try {
                    in.readAllBytes();
                } catch (IOException expected) {
                    // reset
                }
                s.close();
                return null;
            });
            return null;
        });
    }

    @Test
    void protocolFactoryFailingOnAcceptIsReportedAndTheServerGoesOn() throws Exception {
        // aio4j-only: a factory that throws loses that one connection, reported, nothing else.
        RecordingExceptionHandler handler = new RecordingExceptionHandler();
        Aio.run(() -> {
            Aio.getRunningLoop().setExceptionHandler(handler);
            int[] made = {0};
            Server srv = Streams.createServer(() -> {
                if (made[0]++ == 0) {
                    throw new IllegalStateException("no protocol for you");
                }
                return new RecordingProtocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                        transport.write(data);
                        transport.close();
                    }
                };
            }, Net.HOST, 0);
            assertSame(Aio.getRunningLoop(), srv.getLoop());
            srv.startServing(); // serving already: nothing changes
            int port = srv.port();
            String first = Aio.toThread(() -> {
                try (Socket s = new Socket(Net.LOOPBACK, port)) {
                    return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                } catch (IOException reset) {
                    return "reset";
                }
            });
            assertTrue(first.equals("") || first.equals("reset"), first);
            assertEquals("again", Aio.toThread(() -> jdkRoundTrip(port, "again")));
            srv.close();
            srv.waitClosed();
            return null;
        });
        assertEquals(1, handler.messages().size(), handler.messages().toString());
        assertTrue(handler.messages().get(0).startsWith("Error setting up a connection accepted by Server[serving"),
                handler.messages().get(0));
        assertEquals("no protocol for you", handler.contexts().get(0).exception().getMessage());
    }

    @Test
    void aUnixServerHasNoPort() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("aio4j-srv");
        try {
            Aio.run(() -> {
                Server srv = Streams.createUnixServer(RecordingProtocol::new, dir.resolve("s.sock"));
                IllegalStateException e = assertThrows(IllegalStateException.class, srv::port);
                assertTrue(e.getMessage().startsWith("the server has no TCP address: Server[serving"), e.getMessage());
                srv.close();
                return null;
            });
        } finally {
            java.nio.file.Files.deleteIfExists(dir.resolve("s.sock"));
            java.nio.file.Files.delete(dir);
        }
    }
}

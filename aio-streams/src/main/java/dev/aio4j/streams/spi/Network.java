package dev.aio4j.streams.spi;

import dev.aio4j.loop.EventLoop;
import dev.aio4j.streams.DatagramProtocol;
import dev.aio4j.streams.DatagramTransport;
import dev.aio4j.streams.Protocol;
import dev.aio4j.streams.Transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The network that {@link dev.aio4j.streams.Streams} connects, listens and resolves names on, for
 * one event loop: the seam under {@code createConnection}, {@code openConnection},
 * {@code createServer} and {@code startServer}, (through {@link #connectUnix} and
 * {@link #listenUnix}) under {@code createUnixConnection}, {@code openUnixConnection},
 * {@code createUnixServer} and {@code startUnixServer}, and (through {@link #datagramEndpoint})
 * under {@code createDatagramEndpoint}.
 *
 * <p><b>asyncio:</b> none as one type (aio4j-only). Its three methods play the parts of the event
 * loop's {@code getaddrinfo}, the socket half of {@code create_connection} (connect one resolved
 * address and attach a protocol) and the socket half of {@code create_server} (listen on one
 * address and hand each accepted connection to the server); its three default methods, the socket
 * halves of {@code create_unix_connection}, {@code create_unix_server} and
 * {@code create_datagram_endpoint} (bind and connect one resolved pair of addresses). What
 * asyncio users would do by subclassing the loop or patching {@code socket}, aio4j does by installing a network with
 * {@link dev.aio4j.streams.Streams#useNetwork}. The idea is tokio turmoil's: the same user code
 * runs on real sockets or on a simulated network.
 *
 * <h2>What stays above the seam</h2>
 * Everything that is not a socket: trying each resolved address in turn (in the order
 * {@code interleave} and {@code happyEyeballsDelay} give, as on real sockets; for datagram
 * endpoints, resolving both addresses through {@link #getaddrinfo} and pairing them by address
 * family), TLS (an {@code SSLContext} passed to {@code Streams} wraps whatever {@link Transport} the network
 * makes, so TLS runs over a simulated connection too), the {@link dev.aio4j.streams.Server}
 * object and its bookkeeping ({@code closeClients}, {@code waitClosed}), stream readers and
 * writers, and {@code Streams.startTls}/{@code StreamWriter.startTls}, which upgrades a plain
 * connection a network made as it upgrades a socket (the transport must support
 * {@code setProtocol}, {@code pauseReading} and {@code resumeReading}).
 *
 * <p>Not through the seam, and why:
 * <ul>
 *   <li>servers on a socket the caller bound ({@code createServer(sock=...)}): the caller made a
 *   real {@code ServerSocketChannel}, so there is nothing left to route; a test that wants the
 *   simulated network starts its server on a host and port instead;</li>
 *   <li>Unix domain servers on a socket the caller bound, for the same reason. Unix domain
 *   sockets on a path do go through the seam ({@link #connectUnix}, {@link #listenUnix}); a
 *   network that does not override those two methods gets their defaults, real Unix sockets, so
 *   it behaves as before they existed (UDP endpoints, which go through {@link #datagramEndpoint},
 *   likewise stay real in a network that does not override it, names included: only a network
 *   that overrides it resolves UDP endpoints' names);</li>
 *   <li>options about real sockets, which a network does not get: {@code happyEyeballsDelay}
 *   orders the addresses as on real sockets (families interleaved), but they are tried one after
 *   another, not raced (a network's {@link #connect} attaches the protocol, so a losing attempt
 *   could not be dropped unseen; a network whose names resolve to one address, as aio-test's
 *   {@code SimNetwork}'s do, behaves the same either way); a TCP server's {@code reusePort} is not
 *   passed to {@link #listen}, so the network alone decides whether a port takes a second
 *   listener ({@code SimNetwork} refuses it with "Address already in use", {@code reusePort} or
 *   not; a datagram endpoint's {@code reusePort} is passed) ({@code localAddr} of a connect is refused instead: it would bind a socket the network does
 *   not have);</li>
 *   <li>{@code sendfile}: a transport that is not an NIO socket makes
 *   {@code StreamWriter.sendfile} fall back to reading and writing, as asyncio does.</li>
 * </ul>
 *
 * <h2>How to get one</h2>
 * The real one is implicit: a loop without an installed network uses NIO sockets, at the cost of
 * one null check per connect, listen or datagram endpoint while no loop has a network (a
 * synchronized map lookup while some loop has one). aio-test's {@code dev.aio4j.test.net.SimNetwork} is a deterministic simulated
 * network driven by the loop's (virtual) clock.
 *
 * <h2>How to implement one</h2>
 * Every method is called on the loop's thread, from a task (so it may suspend by awaiting
 * futures of that loop). Transports made by a network follow the {@link Transport} contract:
 * {@code connectionMade} first, then {@code dataReceived}/{@code eofReceived}, then exactly one
 * {@code connectionLost}, every call on the loop's thread and none of them re-entrant from
 * {@code write}. Datagram transports follow the {@link DatagramTransport} contract:
 * {@code connectionMade} first, then {@code datagramReceived}/{@code errorReceived}, then exactly
 * one {@code connectionLost}.
 *
 * <p><b>Threading:</b> loop-confined.
 *
 * @since 0.2
 */
public interface Network {
    /**
     * Resolves {@code host} to the addresses to try, in order: the loop's {@code getaddrinfo}.
     *
     * <p><b>Cancellation:</b> may suspend; if the task is cancelled nothing remains.
     *
     * @param loop the loop asking
     * @param host a host name or an IP literal
     * @param port the port to put in each address
     * @return at least one address
     * @throws java.net.UnknownHostException if the name does not resolve
     * @throws IOException for other failures
     */
    List<InetSocketAddress> getaddrinfo(EventLoop loop, String host, int port) throws IOException;

    /**
     * Connects to one resolved address and attaches {@code protocol}; returns once
     * {@code protocol.connectionMade(transport)} has run.
     *
     * <p><b>Cancellation:</b> suspends until the connection is made or refused. If the task is
     * cancelled the half-made connection is aborted and {@code protocol} is never called.
     *
     * @param loop the loop asking
     * @param address where to connect
     * @param protocol the protocol to attach (the application's, or aio-streams's TLS layer)
     * @return the connected transport
     * @throws java.net.ConnectException if nothing listens at {@code address}
     * @throws IOException for other failures (an unreachable host)
     */
    Transport connect(EventLoop loop, InetSocketAddress address, Protocol protocol) throws IOException;

    /**
     * Listens on one address and calls {@code acceptor} for each connection that arrives, until
     * the listener is closed. Port 0 means any free port ({@link Listener#address()} tells which).
     * An address whose host is the wildcard ({@code 0.0.0.0}) means "every address of this
     * machine".
     *
     * @param loop the loop asking
     * @param address where to listen
     * @param backlog the most connections that may wait to be accepted
     * @param acceptor what to do with each connection
     * @return the listener
     * @throws java.net.BindException if the address is in use or not local
     * @throws IOException for other failures
     */
    Listener listen(EventLoop loop, InetSocketAddress address, int backlog, Acceptor acceptor) throws IOException;

    /**
     * Connects to the Unix domain socket at {@code path} (asyncio's socket half of
     * {@code create_unix_connection}) and attaches {@code protocol}; returns once
     * {@code protocol.connectionMade(transport)} has run. The default connects a real Unix domain
     * socket, as aio-streams does without a network, so a network that simulates only TCP keeps
     * real Unix sockets.
     *
     * <p><b>Cancellation:</b> as {@link #connect}.
     *
     * @param loop the loop asking
     * @param path the socket's file-system path
     * @param protocol the protocol to attach (the application's, or aio-streams's TLS layer)
     * @return the connected transport; its {@code peername} is a
     *     {@link java.net.UnixDomainSocketAddress}
     * @throws java.net.ConnectException if the path exists but nothing listens there ("Connection
     *     refused")
     * @throws java.net.SocketException if there is no socket at the path ("No such file or
     *     directory"), as the JDK's Unix socket reports it
     * @throws IOException for other failures
     * @since 0.2
     */
    default Transport connectUnix(EventLoop loop, java.nio.file.Path path, Protocol protocol) throws IOException {
        return dev.aio4j.streams.internal.Connector.realUnixConnection(loop, path, protocol);
    }

    /**
     * Listens on the Unix domain socket at {@code path} (asyncio's socket half of
     * {@code create_unix_server}) and calls {@code acceptor} for each connection, until the
     * listener is closed; closing it removes the path, so later connects fail as for a missing
     * file. The default listens on a real Unix domain socket: a stale socket file at the path is
     * removed first, as aio-streams does without a network.
     *
     * @param loop the loop asking
     * @param path the socket's file-system path
     * @param backlog the most connections that may wait to be accepted
     * @param acceptor what to do with each connection
     * @return the listener; its {@link Listener#address()} is null (a path is no
     *     {@code InetSocketAddress}): the server reports {@code path}
     * @throws IOException if the path is in use (by a listener, or a file that is not a
     *     socket) or cannot be created; aio-streams turns it into a {@link java.net.BindException}
     * @since 0.2
     */
    default Listener listenUnix(EventLoop loop, java.nio.file.Path path, int backlog, Acceptor acceptor) throws IOException {
        return dev.aio4j.streams.internal.ServerCore.realUnixListener(loop, path, backlog, acceptor);
    }

    /**
     * Makes a UDP endpoint for one resolved pair of addresses (asyncio's socket half of
     * {@code create_datagram_endpoint}): binds {@code local} (port 0: any free port; the wildcard
     * address: every address of this machine; null: a free port, as the first send or connect
     * would take), connects to {@code remote} if given (the endpoint then sends only to it and
     * receives only from it), attaches {@code protocol} and returns once
     * {@code protocol.connectionMade(transport)} has run. The default makes a real
     * {@link java.nio.channels.DatagramChannel}, as aio-streams does without a network, so a
     * network that simulates only streams keeps real UDP.
     *
     * <p><b>Names:</b> only a network whose class overrides this method resolves the names
     * given to {@code createDatagramEndpoint} ({@link #getaddrinfo}); for a network that does
     * not, UDP is left wholly alone, its names resolved as without a network, so a network that
     * maps names to addresses of its own does not hand those addresses to real sockets.
     *
     * <p><b>Cancellation:</b> suspends until {@code connectionMade} ran. If the task is cancelled
     * the endpoint is closed: before {@code connectionMade} ran, {@code protocol} is never
     * called; after it (the cancel came while the call was returning), the endpoint is aborted
     * and {@code protocol.connectionLost(null)} follows, as for any endpoint that closes.
     *
     * @param loop the loop asking
     * @param local the address to bind, or null
     * @param remote the peer to connect to, or null (not both null)
     * @param reusePort {@code SO_REUSEPORT}: several endpoints may bind the same address
     * @param allowBroadcast {@code SO_BROADCAST}: datagrams may go to broadcast addresses
     * @param protocol the protocol to attach
     * @return the endpoint's transport
     * @throws java.net.BindException if {@code local} is in use or not local
     * @throws IllegalArgumentException if both addresses are null, or {@code reusePort} is not
     *     supported on this platform
     * @throws IOException for other failures
     * @since 0.2
     */
    default DatagramTransport datagramEndpoint(EventLoop loop, InetSocketAddress local, InetSocketAddress remote, boolean reusePort,
                                               boolean allowBroadcast, DatagramProtocol protocol) throws IOException {
        return dev.aio4j.streams.internal.DatagramEndpoints.realEndpoint(loop, local, remote, reusePort, allowBroadcast, protocol);
    }

    /**
     * A listening endpoint made by {@link #listen}: asyncio's listening socket of a server.
     * aio4j-only.
     *
     * @since 0.2
     */
    interface Listener {
        /**
         * The address listened on, with the port chosen if 0 was asked.
         *
         * @return the bound address; null for a listener made by {@link #listenUnix}
         */
        InetSocketAddress address();

        /** Stops listening: later connects to this address are refused. Idempotent. */
        void close();
    }

    /**
     * What a server does with each connection a {@link Listener} accepts. aio4j-only.
     *
     * @since 0.2
     */
    interface Acceptor {
        /**
         * A connection was accepted: returns the protocol to attach, whose
         * {@code connectionMade(transport)} the network calls next.
         *
         * @param transport the new connection's transport, not yet reported to any protocol
         * @return the protocol for it
         * @throws RuntimeException if no protocol can be made; the network then aborts the
         *     connection
         */
        Protocol accepted(Transport transport);

        /**
         * The connection ended: called once, after its protocol's {@code connectionLost}; only
         * for connections that {@link #accepted} returned a protocol for.
         *
         * @param transport the transport {@link #accepted} was given
         */
        void finished(Transport transport);
    }
}

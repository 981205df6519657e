package dev.aio4j.http.internal;

import dev.aio4j.http.BadHttpMessage;
import dev.aio4j.http.ClientHttpProxyError;
import dev.aio4j.http.ClientOSError;
import dev.aio4j.http.ClientResponseError;
import dev.aio4j.http.Headers;
import dev.aio4j.http.RequestInfo;
import dev.aio4j.streams.StreamPair;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Asks an HTTP proxy for a tunnel (RFC 9110 section 9.3.6): writes
 * {@code CONNECT host:port HTTP/1.1} with {@code Host} and the proxy's fields
 * ({@code Proxy-Authorization} among them), then reads the answer with the strict
 * {@link ResponseParser}. A 200 answer leaves the socket ready for TLS with the origin; any other,
 * another 2xx too (RFC 9110 section 9.3.6 calls every 2xx a tunnel, aiohttp opens one for 200
 * only), is a {@link ClientHttpProxyError}. aiohttp's {@code TCPConnector._create_proxy_connection}.
 */
final class ProxyTunnel {
    /** Reads of the proxy's answer, in bytes; the answer is bounded by the parser's limits. */
    private static final int READ_SIZE = 8192;

    private ProxyTunnel() {}

    /** The {@code host:port} of {@code key}'s origin: the {@code CONNECT}'s target and {@code Host}. */
    private static String authority(PoolKey key) {
        return (key.host().indexOf(':') >= 0 ? "[" + key.host() + "]" : key.host()) + ":" + key.port();
    }

    /** The {@code CONNECT}'s header fields: {@code Host} first, then the proxy's fields. */
    private static Headers connectFields(PoolKey key) {
        Headers fields = key.proxy().proxyFields();
        fields.remove("Host");
        Headers all = Headers.of("Host", authority(key));
        all.addAll(fields);
        return all;
    }

    /** The {@code CONNECT} head for {@code key}'s origin. */
    static byte[] connectHead(PoolKey key) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("CONNECT ").append(authority(key)).append(" HTTP/1.1\r\n");
        connectFields(key).forEach((name, value) -> HeadSerializer.appendField(sb, name, value, "CONNECT"));
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The {@code CONNECT} as an error's {@link RequestInfo}: aiohttp's {@code proxy_resp.request_info},
     * whose URL is the request's that needed the tunnel ({@code proxy_req.url = req.url}), whose method
     * is {@code CONNECT} and whose headers are the fields sent to the proxy. The real URL is the
     * request's too, fragment kept (aiohttp's is the proxy's URL, left over from making the
     * {@code CONNECT} request out of one for the proxy).
     */
    static RequestInfo connectInfo(PoolKey key, URI url) {
        return new RequestInfo(Urls.withoutFragment(url), "CONNECT", connectFields(key), url);
    }

    /**
     * Opens the tunnel on {@code pair}, a fresh connection to {@code key}'s proxy. May suspend.
     *
     * <p>Cancellation: may suspend while writing and reading; the caller closes the socket.
     *
     * @throws ClientHttpProxyError if the proxy answers with a status other than 200
     * @throws ClientResponseError (400) if the answer is not valid HTTP/1.1, or has bytes after a 200 head
     * @throws ClientOSError if the socket fails or the proxy closes it before answering
     */
    static void connect(StreamPair pair, PoolKey key, URI url, List<URI> history) {
        ResponseHead[] head = new ResponseHead[1];
        ResponseParser parser = new ResponseParser(ParserLimits.DEFAULT, new ResponseParser.Listener() {
            @Override
            public void head(ResponseHead h) {
                head[0] = h;
            }

            @Override
            public void body(byte[] data, int offset, int length) {}

            @Override
            public void complete() {}
        });
        parser.start("CONNECT");
        try {
            pair.writer().write(connectHead(key));
            pair.writer().drain();
            while (head[0] == null) {
                byte[] chunk = pair.reader().read(READ_SIZE);
                if (chunk.length == 0) {
                    parser.feedEof();
                    break;
                }
                int n = parser.feed(chunk);
                if (head[0] != null && head[0].status() == 200 && (n < chunk.length || !parser.done())) {
                    throw new ClientResponseError(connectInfo(key, url), 400, "the proxy sent bytes after its 200 answer to CONNECT",
                            history, head[0].headers(), null);
                }
            }
        } catch (BadHttpMessage e) {
            if (e.kind() == BadHttpMessage.Kind.INCOMPLETE) {
                throw new ClientOSError("the proxy " + key.proxy() + " closed the connection before answering CONNECT", url,
                        new IOException(e.getMessage(), e));
            }
            // aiohttp: proxy_resp.start raises ClientResponseError(proxy_resp.request_info, ...) from the parser's error
            throw new ClientResponseError(connectInfo(key, url), 400, "the proxy's answer to CONNECT is not valid HTTP/1.1: "
                    + e.getMessage(), history, null, e);
        } catch (IOException e) {
            throw new ClientOSError("the proxy " + key.proxy() + " failed during CONNECT", url, e);
        }
        ResponseHead h = head[0];
        if (h == null) {
            throw new ClientOSError("the proxy " + key.proxy() + " closed the connection before answering CONNECT", url,
                    new IOException("end of stream"));
        }
        if (h.status() != 200) { // aiohttp: `if resp.status != 200: raise ClientHttpProxyError(...)`
            throw new ClientHttpProxyError(connectInfo(key, url), h.status(), h.reason(), "http://" + key.proxy().authority(), history,
                    h.headers());
        }
    }
}

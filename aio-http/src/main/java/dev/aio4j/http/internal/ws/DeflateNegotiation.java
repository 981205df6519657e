package dev.aio4j.http.internal.ws;

import dev.aio4j.loop.internal.Checks;
import dev.aio4j.loop.internal.Escaping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The permessage-deflate negotiation of RFC 7692 section 7.1, on the {@code Sec-WebSocket-Extensions}
 * header: the server picks the first offer it can honour ({@link #negotiate}), the client makes its
 * offer ({@link #clientOffer}) and checks the server's answer ({@link #acceptResponse}).
 *
 * <p><b>Window sizes.</b> {@link java.util.zip.Inflater} decompresses any window up to 15 bits, so
 * this end always honours a limit on the peer's window by just inflating. {@link java.util.zip.Deflater}
 * cannot be given a window size (it always has 32 KiB), so a limit of N &lt; 15 bits on this end's
 * own window is honoured by {@link PerMessageDeflate} compressing in chunks whose back-references are
 * bounded by a preset dictionary of at most 2^N bytes (see its notes): every value 8 to 15 is
 * accepted. Hence: a server accepts {@code server_max_window_bits=N} (8-15) and echoes it; it accepts
 * {@code client_max_window_bits} in an offer but does not ask for a smaller client window (it needs
 * no memory saving). A client offers {@code client_max_window_bits} (no value: the server may pick)
 * and, when asked to, {@code server_max_window_bits=N}; it honours the {@code client_max_window_bits=M}
 * of a response and checks that a {@code server_max_window_bits} it asked for is answered with at most
 * what it asked for (RFC 7692 section 7.1.2.1).
 *
 * <p><b>Context takeover.</b> {@code server_no_context_takeover} and
 * {@code client_no_context_takeover} are honoured by resetting the compressor or decompressor after
 * each message; a server echoes them when offered, and may ask for server_no_context_takeover itself.
 */
public final class DeflateNegotiation {
    /** The extension's name. */
    public static final String NAME = "permessage-deflate";

    /** The only window size {@link java.util.zip.Deflater} compresses with. */
    static final int DEFLATER_WINDOW_BITS = 15;

    private DeflateNegotiation() {}

    /**
     * What both ends agreed on.
     *
     * @param serverNoContextTakeover the server resets its compressor after each message
     * @param clientNoContextTakeover the client resets its compressor after each message
     * @param serverMaxWindowBits the server's compression window, 8 to 15 bits
     * @param clientMaxWindowBits the client's compression window, 8 to 15 bits
     * @param responseHeader the {@code Sec-WebSocket-Extensions} value of the server's response
     */
    public record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
            int clientMaxWindowBits, String responseHeader) {
        /**
         * An agreement with 15-bit windows both ways.
         *
         * @param serverNoContextTakeover the server resets its compressor after each message
         * @param clientNoContextTakeover the client resets its compressor after each message
         * @param responseHeader the {@code Sec-WebSocket-Extensions} value of the server's response
         */
        public Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, String responseHeader) {
            this(serverNoContextTakeover, clientNoContextTakeover, DEFLATER_WINDOW_BITS, DEFLATER_WINDOW_BITS, responseHeader);
        }

        /**
         * Returns the codec for one end: its compressor follows its own no_context_takeover flag, its
         * decompressor the peer's.
         *
         * @param role which end
         * @param level the deflate level, 0-9 or -1 for the default
         * @return a new codec
         */
        public PerMessageDeflate codec(Role role, int level) {
            boolean server = Checks.notNull(role, "role") == Role.SERVER;
            return server ? new PerMessageDeflate(serverNoContextTakeover, clientNoContextTakeover, level, serverMaxWindowBits)
                    : new PerMessageDeflate(clientNoContextTakeover, serverNoContextTakeover, level, clientMaxWindowBits);
        }
    }

    /** One element of an extension list: a name and its parameters (value {@code null} when absent). */
    record Extension(String name, List<String[]> params) {}

    /**
     * Server side: accepts the first permessage-deflate offer in the request that this end can honour.
     *
     * @param offers the request's {@code Sec-WebSocket-Extensions} values (several header lines allowed);
     *        {@code null} or empty when absent
     * @param serverNoContextTakeover ask for server_no_context_takeover even if not offered (saves the
     *        server's compression window between messages)
     * @return the agreement, or {@code null} to decline the extension (no offer, only offers with
     *         parameters this end cannot honour, or a malformed header)
     */
    public static Agreement negotiate(List<String> offers, boolean serverNoContextTakeover) {
        if (offers == null) {
            return null;
        }
        List<Extension> extensions = new ArrayList<>();
        try {
            for (String value : offers) {
                extensions.addAll(parse(value));
            }
        } catch (IllegalArgumentException malformed) {
            return null; // a header we cannot read is an offer we cannot accept
        }
        for (Extension e : extensions) {
            if (e.name().equalsIgnoreCase(NAME)) {
                Agreement a = accept(e, serverNoContextTakeover);
                if (a != null) {
                    return a;
                }
            }
        }
        return null;
    }

    private static Agreement accept(Extension offer, boolean serverNoContextTakeover) {
        boolean snct = false;
        boolean cnct = false;
        int smwb = -1;
        boolean cmwb = false;
        for (String[] p : offer.params()) {
            String name = p[0].toLowerCase(Locale.ROOT);
            String value = p[1];
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (snct || value != null) {
                        return null;
                    }
                    snct = true;
                }
                case "client_no_context_takeover" -> {
                    if (cnct || value != null) {
                        return null;
                    }
                    cnct = true;
                }
                case "server_max_window_bits" -> {
                    // Any 8 to 15: PerMessageDeflate bounds its back-references to the window asked for.
                    if (smwb > 0 || windowBits(value) < 0) {
                        return null;
                    }
                    smwb = windowBits(value);
                }
                case "client_max_window_bits" -> {
                    if (cmwb || value != null && windowBits(value) < 0) {
                        return null;
                    }
                    cmwb = true; // the Inflater takes any client window; no need to ask for less
                }
                default -> {
                    return null; // an unknown parameter makes the offer invalid (RFC 7692 section 7.1)
                }
            }
        }
        boolean serverReset = snct || serverNoContextTakeover;
        StringBuilder response = new StringBuilder(NAME);
        if (serverReset) {
            response.append("; server_no_context_takeover");
        }
        if (cnct) {
            response.append("; client_no_context_takeover");
        }
        if (smwb > 0) {
            response.append("; server_max_window_bits=").append(smwb);
        }
        return new Agreement(serverReset, cnct, smwb > 0 ? smwb : DEFLATER_WINDOW_BITS, DEFLATER_WINDOW_BITS,
                response.toString());
    }

    /** The value of a *_max_window_bits parameter: 8 to 15, or -1 when absent or invalid. */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        if (value.charAt(0) == '0') {
            return -1; // RFC 7692 section 7.1.2: 1*DIGIT without leading zeros
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : -1;
    }

    /**
     * Client side: the offer to send.
     *
     * @param clientNoContextTakeover promise to reset this client's compressor after each message
     * @param serverNoContextTakeover ask the server to reset its compressor after each message
     * @return the {@code Sec-WebSocket-Extensions} value
     */
    public static String clientOffer(boolean clientNoContextTakeover, boolean serverNoContextTakeover) {
        return clientOffer(clientNoContextTakeover, serverNoContextTakeover, DEFLATER_WINDOW_BITS);
    }

    /**
     * Client side: the offer to send, as aiohttp's {@code ws_ext_gen} makes it: always
     * {@code client_max_window_bits} without a value (the server may limit this client's window, which
     * it honours), and {@code server_max_window_bits=N} when asking the server for a smaller window.
     *
     * @param clientNoContextTakeover promise to reset this client's compressor after each message
     * @param serverNoContextTakeover ask the server to reset its compressor after each message
     * @param serverMaxWindowBits 8 to 15: the largest window the server may compress with
     * @return the {@code Sec-WebSocket-Extensions} value
     */
    public static String clientOffer(boolean clientNoContextTakeover, boolean serverNoContextTakeover,
            int serverMaxWindowBits) {
        checkWindowBits(serverMaxWindowBits, "serverMaxWindowBits");
        return NAME + "; client_max_window_bits" + (clientNoContextTakeover ? "; client_no_context_takeover" : "")
                + (serverNoContextTakeover ? "; server_no_context_takeover" : "")
                + (serverMaxWindowBits < DEFLATER_WINDOW_BITS ? "; server_max_window_bits=" + serverMaxWindowBits : "");
    }

    /**
     * Checks a window size given by the caller.
     *
     * @param bits the value
     * @param what its name, for the message
     * @return {@code bits}
     * @throws IllegalArgumentException if it is not 8 to 15
     */
    public static int checkWindowBits(int bits, String what) {
        if (bits < 8 || bits > 15) {
            throw new IllegalArgumentException(what + " must be 8 to 15 (RFC 7692 section 7.1.2), got " + bits);
        }
        return bits;
    }

    /**
     * Client side: checks the server's answer to an offer made with {@link #clientOffer}.
     *
     * @param response the response's {@code Sec-WebSocket-Extensions} values; {@code null} or empty
     *        when absent
     * @param clientNoContextTakeover what the offer promised
     * @return the agreement, or {@code null} if the server declined the extension
     * @throws WebSocketHandshakeError if the response names an extension that was not offered,
     *         accepts permessage-deflate twice, or has a parameter that is unknown, repeated,
     *         malformed or not allowed in this answer (client_max_window_bits, which the offer did
     *         not carry)
     */
    public static Agreement acceptResponse(List<String> response, boolean clientNoContextTakeover) {
        return acceptResponse(response, clientNoContextTakeover, DEFLATER_WINDOW_BITS);
    }

    /**
     * Client side: checks the server's answer to an offer made with
     * {@link #clientOffer(boolean, boolean, int)}.
     *
     * @param response the response's {@code Sec-WebSocket-Extensions} values; {@code null} or empty
     *        when absent
     * @param clientNoContextTakeover what the offer promised
     * @param offeredServerMaxWindowBits the server_max_window_bits offered, 15 when none was
     * @return the agreement, or {@code null} if the server declined the extension
     * @throws WebSocketHandshakeError if the response names an extension that was not offered,
     *         accepts permessage-deflate twice, has a parameter that is unknown, repeated or
     *         malformed, or answers a server_max_window_bits offer without it or with a larger value
     */
    public static Agreement acceptResponse(List<String> response, boolean clientNoContextTakeover,
            int offeredServerMaxWindowBits) {
        checkWindowBits(offeredServerMaxWindowBits, "offeredServerMaxWindowBits");
        if (response == null || response.isEmpty()) {
            return null;
        }
        List<Extension> extensions = new ArrayList<>();
        for (String value : response) {
            try {
                extensions.addAll(parse(value));
            } catch (IllegalArgumentException e) {
                throw new WebSocketHandshakeError("malformed Sec-WebSocket-Extensions in the response: " + e.getMessage());
            }
        }
        if (extensions.isEmpty()) {
            return null;
        }
        if (extensions.size() > 1 || !extensions.get(0).name().equalsIgnoreCase(NAME)) {
            throw new WebSocketHandshakeError("Sec-WebSocket-Extensions in the response must be " + NAME
                    + " alone, the only extension offered, got " + Escaping.quote(String.join(", ", response)));
        }
        boolean snct = false;
        boolean cnct = clientNoContextTakeover;
        boolean seenCnct = false;
        int smwb = -1;
        int cmwb = -1;
        for (String[] p : extensions.get(0).params()) {
            String name = p[0].toLowerCase(Locale.ROOT);
            String value = p[1];
            boolean ok = switch (name) {
                case "server_no_context_takeover" -> !snct && value == null && (snct = true);
                case "client_no_context_takeover" -> !seenCnct && value == null && (seenCnct = cnct = true);
                // In a response both carry a value (RFC 7692 sections 7.1.2.1 and 7.1.2.2).
                case "server_max_window_bits" -> smwb < 0 && (smwb = windowBits(value)) > 0;
                case "client_max_window_bits" -> cmwb < 0 && (cmwb = windowBits(value)) > 0;
                default -> false;
            };
            if (!ok) {
                throw new WebSocketHandshakeError("the server's " + NAME + " response has a parameter that is unknown,"
                        + " repeated or malformed (window bits must be 8 to 15): "
                        + Escaping.quote(p[0] + (value == null ? "" : "=" + value)));
            }
        }
        if (offeredServerMaxWindowBits < DEFLATER_WINDOW_BITS && (smwb < 0 || smwb > offeredServerMaxWindowBits)) {
            throw new WebSocketHandshakeError("the server's " + NAME + " response must answer server_max_window_bits="
                    + offeredServerMaxWindowBits + " with server_max_window_bits of at most that, got "
                    + Escaping.quote(String.join(", ", response)));
        }
        return new Agreement(snct, cnct, smwb > 0 ? smwb : DEFLATER_WINDOW_BITS, cmwb > 0 ? cmwb : DEFLATER_WINDOW_BITS,
                String.join(", ", response));
    }

    /**
     * Parses an extension list (RFC 6455 section 9.1): {@code name *( ";" param [ "=" value ] )},
     * comma-separated, values tokens or quoted strings (unquoted here).
     *
     * @throws IllegalArgumentException if the value does not follow the grammar
     */
    static List<Extension> parse(String header) {
        List<Extension> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        int[] pos = {0};
        int n = header.length();
        while (true) {
            skipSpace(header, pos);
            if (pos[0] >= n) {
                return out;
            }
            if (header.charAt(pos[0]) == ',') {
                pos[0]++; // empty list elements are allowed (RFC 9110 section 5.6.1)
                continue;
            }
            String name = token(header, pos, "extension name");
            List<String[]> params = new ArrayList<>();
            skipSpace(header, pos);
            while (pos[0] < n && header.charAt(pos[0]) == ';') {
                pos[0]++;
                skipSpace(header, pos);
                String param = token(header, pos, "parameter name");
                skipSpace(header, pos);
                String value = null;
                if (pos[0] < n && header.charAt(pos[0]) == '=') {
                    pos[0]++;
                    skipSpace(header, pos);
                    value = pos[0] < n && header.charAt(pos[0]) == '"' ? quoted(header, pos) : token(header, pos, "parameter value");
                    skipSpace(header, pos);
                }
                params.add(new String[] {param, value});
            }
            out.add(new Extension(name, params));
            if (pos[0] < n && header.charAt(pos[0]) != ',') {
                throw new IllegalArgumentException("expected ',' or ';' at offset " + pos[0] + " of " + Escaping.quote(header));
            }
        }
    }

    private static void skipSpace(String s, int[] pos) {
        while (pos[0] < s.length() && (s.charAt(pos[0]) == ' ' || s.charAt(pos[0]) == '\t')) {
            pos[0]++;
        }
    }

    private static String token(String s, int[] pos, String what) {
        int start = pos[0];
        while (pos[0] < s.length() && Checks.isTokenChar(s.charAt(pos[0]))) {
            pos[0]++;
        }
        if (pos[0] == start) {
            throw new IllegalArgumentException(what + " must be a token, at offset " + start + " of " + Escaping.quote(s));
        }
        return s.substring(start, pos[0]);
    }

    private static String quoted(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int start = pos[0]++;
        while (pos[0] < s.length()) {
            char c = s.charAt(pos[0]++);
            if (c == '"') {
                // RFC 6455 section 9.1: a quoted value must still be a token once unquoted.
                if (!Checks.isToken(sb)) {
                    throw new IllegalArgumentException("quoted parameter value must be a token, at offset " + start
                            + " of " + Escaping.quote(s));
                }
                return sb.toString();
            }
            if (c == '\\' && pos[0] < s.length()) {
                c = s.charAt(pos[0]++);
            }
            sb.append(c);
        }
        throw new IllegalArgumentException("unterminated quoted string at offset " + start + " of " + Escaping.quote(s));
    }
}

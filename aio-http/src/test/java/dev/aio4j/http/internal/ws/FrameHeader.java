package dev.aio4j.http.internal.ws;

/**
 * One frame's header as the parser read it (RFC 6455 section 5.2), as the tests' FrameRecorder
 * keeps it (the parser hands its fields to the listener one by one, with no object per frame). The masking key is kept for
 * diagnostics only: the parser has already unmasked the payload it hands on.
 *
 * @param fin whether this is the final fragment of a message
 * @param rsv1 the first reserved bit (permessage-deflate's "compressed" flag on a message's first frame)
 * @param opcode the frame's opcode (never a reserved one)
 * @param masked whether the payload was masked
 * @param maskKey the masking key, 0 when not masked
 * @param payloadLength the payload length, 0 to 2^63-1
 */
record FrameHeader(boolean fin, boolean rsv1, Opcode opcode, boolean masked, int maskKey, long payloadLength) {
    @Override
    public String toString() {
        return "FrameHeader[" + opcode + (fin ? ", fin" : "") + (rsv1 ? ", rsv1" : "") + (masked ? ", masked" : "")
                + ", " + payloadLength + " bytes]";
    }
}

package dev.aio4j.http.internal.ws;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A {@link FrameParser.Listener} that records each frame as one line: header fields and payload in hex. */
final class FrameRecorder implements FrameParser.Listener {
    final List<String> frames = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    private FrameHeader header;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    @Override
    public void frameHeader(boolean fin, boolean rsv1, Opcode opcode, long payloadLength) {
        header = new FrameHeader(fin, rsv1, opcode, false, 0, payloadLength);
        payload.reset();
    }

    @Override
    public void framePayload(byte[] data, int offset, int length) {
        payload.write(data, offset, length);
    }

    @Override
    public void frameEnd() {
        byte[] p = payload.toByteArray();
        if (p.length != header.payloadLength()) {
            throw new AssertionError("payload of " + p.length + " bytes for " + header);
        }
        payloads.add(p);
        frames.add(line(header.fin(), header.rsv1(), header.opcode(), p));
    }

    /** The line {@link #frames} holds for a frame. */
    static String line(boolean fin, boolean rsv1, Opcode opcode, byte[] payload) {
        String hex = payload.length <= 32 ? HexFormat.of().formatHex(payload)
                : payload.length + " bytes, hash " + java.util.Arrays.hashCode(payload);
        return opcode + (fin ? " fin" : "") + (rsv1 ? " rsv1" : "") + " " + hex;
    }
}

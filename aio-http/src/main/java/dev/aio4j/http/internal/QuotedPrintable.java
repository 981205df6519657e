package dev.aio4j.http.internal;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * The quoted-printable Content-Transfer-Encoding (RFC 2045 section 6.7) of multipart parts: what
 * {@code MultipartWriter} writes and {@code MultipartReader.BodyPart} decodes, where aiohttp uses
 * {@code binascii.b2a_qp} and {@code binascii.a2b_qp}.
 *
 * <p>Encoding keeps every CRLF pair of the data as a line break and escapes everything else that
 * is not printable ASCII ({@code =XX}, upper-case hex): a lone CR or LF, {@code =}, a space or
 * tab at the end of a line or of the data, and a {@code -} that begins a line, so that no encoded
 * line can be taken for a multipart delimiter ({@code --boundary}) whatever the boundary. Lines
 * are broken with soft line breaks ({@code =} CRLF) to stay within 76 characters. Decoding is
 * {@code binascii.a2b_qp}'s, byte for byte, so that a part decodes as aiohttp decodes it:
 * {@code =XX} (either case) is the byte; {@code =} LF is a soft line break, and so is {@code =}
 * CR and everything up to and including the next LF (or to the end); {@code ==} is one {@code =};
 * any other {@code =} is kept as it is (so {@code =} followed by spaces and CRLF is kept, spaces
 * and all: a2b_qp does not read it as a soft break); an {@code =} at the very end is dropped; and
 * spaces or tabs before a line break are kept (RFC 2045 section 6.7 rule 3 says a decoder should
 * drop them; a2b_qp, and so aiohttp, keeps them, and the encoder never writes them). Decoding any
 * encoder's output gives the bytes back; output is never longer than the input. {@link Decoder}
 * decodes the same piece by piece.
 */
public final class QuotedPrintable {
    /*
     * Maintainer notes. The encoder works on tokens (a literal byte, or a three-character escape)
     * and keeps `column`, the length of the current output line; a token goes on the line only
     * if the line then leaves room for the "=" of a soft break (at most 75 characters before it).
     */
    private static final int MAX_LINE = 76;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private QuotedPrintable() {
    }

    /**
     * Encodes {@code data}.
     *
     * @param data the bytes
     * @return their quoted-printable form, ASCII
     */
    public static byte[] encode(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 8 + 16);
        int column = 0;
        for (int i = 0; i < data.length; i++) {
            int b = data[i] & 0xFF;
            if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                out.write('\r');
                out.write('\n');
                i++;
                column = 0;
                continue;
            }
            boolean lineEndsHere = i + 1 == data.length
                    || data[i + 1] == '\r' && i + 2 < data.length && data[i + 2] == '\n';
            boolean literal = b >= 33 && b <= 126 && b != '='
                    || (b == ' ' || b == '\t') && !lineEndsHere;
            int width = literal ? 1 : 3;
            if (column + width > MAX_LINE - 1) {
                out.write('=');
                out.write('\r');
                out.write('\n');
                column = 0;
            }
            if (b == '-' && column == 0) {
                literal = false; // "--boundary" must never begin an encoded line
                width = 3;
            }
            if (literal) {
                out.write(b);
            } else {
                out.write('=');
                out.write(HEX[b >> 4]);
                out.write(HEX[b & 0xF]);
            }
            column += width;
        }
        return out.toByteArray();
    }

    /**
     * Decodes {@code data}; see the class comment for what is lenient.
     *
     * @param data quoted-printable bytes
     * @return the bytes they stand for
     */
    public static byte[] decode(byte[] data) {
        return new Decoder().feed(data, true);
    }

    /**
     * Decodes quoted-printable data given in pieces, as {@link #decode(byte[])} decodes it all at
     * once: an escape or a soft line break split between two pieces is decoded as if they were one.
     * At most two bytes are held from one piece to the next (an {@code =} and the byte after it).
     */
    public static final class Decoder {
        private static final byte[] EMPTY = new byte[0];
        /** An {@code =}, alone or with one hex digit, that the next piece decides; else empty. */
        private byte[] carry = EMPTY;
        /** After {@code =} CR: the bytes up to and including the next LF are dropped, as a2b_qp drops them. */
        private boolean skipToLf;

        /**
         * Decodes the next piece.
         *
         * @param data the next quoted-printable bytes
         * @param last whether this is the last piece (an undecided {@code =} at its end is then decided)
         * @return the bytes decoded so far that earlier calls did not return
         */
        public byte[] feed(byte[] data, boolean last) {
            byte[] in = data;
            if (carry.length > 0) {
                in = new byte[carry.length + data.length];
                System.arraycopy(carry, 0, in, 0, carry.length);
                System.arraycopy(data, 0, in, carry.length, data.length);
                carry = EMPTY;
            }
            int n = in.length;
            ByteArrayOutputStream out = new ByteArrayOutputStream(n);
            int i = 0;
            if (skipToLf) {
                while (i < n && in[i] != '\n') {
                    i++;
                }
                if (i < n) {
                    i++;
                    skipToLf = false;
                }
            }
            while (i < n) {
                byte b = in[i];
                if (b != '=') {
                    out.write(b);
                    i++;
                    continue;
                }
                if (i + 1 == n) {
                    if (!last) {
                        carry = new byte[] {'='}; // the next piece decides; at the very end it is dropped
                    }
                    break;
                }
                byte c = in[i + 1];
                if (c == '\n') {
                    i += 2; // soft line break
                } else if (c == '\r') {
                    int j = i + 2; // a2b_qp: "=" CR drops all up to and including the next LF
                    while (j < n && in[j] != '\n') {
                        j++;
                    }
                    if (j < n) {
                        i = j + 1;
                    } else {
                        i = n;
                        skipToLf = !last;
                    }
                } else if (c == '=') {
                    out.write('='); // "==" is one "=", as a2b_qp
                    i += 2;
                } else if (HexFormat.isHexDigit(c) && i + 2 < n && HexFormat.isHexDigit(in[i + 2])) {
                    out.write(HexFormat.fromHexDigit(c) << 4 | HexFormat.fromHexDigit(in[i + 2]));
                    i += 3;
                } else if (HexFormat.isHexDigit(c) && i + 2 == n && !last) {
                    carry = new byte[] {'=', c}; // the next piece says whether it is an escape
                    break;
                } else {
                    out.write('='); // kept; the byte after it is read as any other
                    i++;
                }
            }
            return out.toByteArray();
        }
    }
}

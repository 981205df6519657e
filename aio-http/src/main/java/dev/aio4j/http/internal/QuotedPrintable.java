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
 * are broken with soft line breaks ({@code =} CRLF) to stay within 76 characters. Decoding any
 * encoder's output gives the bytes back: {@code =XX} (either case) is the byte, {@code =}
 * followed by optional spaces or tabs and CRLF (or LF) is a soft line break, any other {@code =}
 * is kept as it is (as {@code a2b_qp}, which also reads {@code ==} as one {@code =}; an {@code =}
 * and a CR with no LF after it are kept too, where {@code a2b_qp} drops all up to the next LF), and
 * an {@code =} at the very end is dropped. Output is never longer than the input.
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
        int i = 0;
        while (i < data.length) {
            byte b = data[i];
            if (b != '=') {
                out.write(b);
                i++;
                continue;
            }
            if (i + 1 == data.length) {
                break; // a lone "=" at the end: a soft break with no line after it
            }
            if (i + 2 < data.length && HexFormat.isHexDigit(data[i + 1]) && HexFormat.isHexDigit(data[i + 2])) {
                out.write(HexFormat.fromHexDigit(data[i + 1]) << 4 | HexFormat.fromHexDigit(data[i + 2]));
                i += 3;
                continue;
            }
            int j = i + 1;
            while (j < data.length && (data[j] == ' ' || data[j] == '\t')) {
                j++;
            }
            if (j < data.length && data[j] == '\n') {
                i = j + 1; // soft line break
            } else if (j + 1 < data.length && data[j] == '\r' && data[j + 1] == '\n') {
                i = j + 2; // soft line break
            } else if (data[i + 1] == '=') {
                out.write('=');
                i += 2;
            } else {
                out.write('=');
                i++;
            }
        }
        return out.toByteArray();
    }
}

package dev.aio4j.streams;

/**
 * The transport cannot send a file with the kernel's zero-copy path (it encrypts with TLS, or is
 * not a socket), and the caller asked for no fallback.
 *
 * <p><b>asyncio:</b> {@code asyncio.SendfileNotAvailableError}, a {@code RuntimeError}.
 * <b>Differences:</b> unchecked, as in asyncio; catch it and fall back to reading and writing.
 *
 * @since 0.2
 */
public class SendfileNotAvailableError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the error.
     *
     * @param message what cannot be sent and why
     */
    public SendfileNotAvailableError(String message) {
        super(message);
    }
}

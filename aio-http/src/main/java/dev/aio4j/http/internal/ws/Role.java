package dev.aio4j.http.internal.ws;

/**
 * Which end of the connection this codec serves; it decides masking (RFC 6455 section 5.1): a
 * client masks every frame it sends and the server refuses unmasked ones; a server never masks and
 * the client refuses masked ones.
 */
public enum Role {
    /** The end that sent the opening handshake: sends masked frames, receives unmasked ones. */
    CLIENT,
    /** The end that answered the handshake: sends unmasked frames, receives masked ones. */
    SERVER;

    /**
     * Returns whether frames received in this role must be masked.
     *
     * @return whether frames received in this role must be masked
     */
    boolean expectsMaskedInput() {
        return this == SERVER;
    }
}

package dev.aio4j.http.internal;

import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.internal.Checks;

/**
 * Settings of a {@link ClientSession} that aiohttp keeps in private attributes and that only
 * aio4j's own modules change: today the stale-connection retry ({@code _retry_connection}), which
 * aio-test's {@code TestClient} turns off as aiohttp's {@code test_utils.TestClient} does. The
 * session installs its side when its class is initialized, so any session in hand can be reached.
 * Exported to aio-test only; not public API.
 */
public final class SessionAccess {
    /** What the session lets this class do. */
    @FunctionalInterface
    public interface Hooks {
        /** Sets {@code session}'s {@code _retry_connection}. */
        void retryConnection(ClientSession session, boolean on);
    }

    private static volatile Hooks hooks;

    private SessionAccess() {}

    /**
     * Called once, by {@link ClientSession}'s class initializer.
     *
     * @param h the session's side
     */
    public static void install(Hooks h) {
        hooks = Checks.notNull(h, "hooks");
    }

    /**
     * Turns the stale-connection retry of {@code session} on or off (aiohttp's
     * {@code session._retry_connection = on}), for the requests made from now on.
     *
     * @param session the session
     * @param on whether an idempotent request that lost its connection is sent once more
     */
    public static void retryConnection(ClientSession session, boolean on) {
        Checks.notNull(session, "session");
        hooks.retryConnection(session, on); // a session exists, so its class has installed the hooks
    }
}

package dev.aio4j.http.internal;

import dev.aio4j.http.ClientSession;
import dev.aio4j.loop.internal.Checks;

/**
 * Settings of a {@link ClientSession} that aiohttp keeps in private attributes and that only
 * aio4j's own modules change: today the stale-connection retry ({@code _retry_connection}), which
 * aio-test's {@code TestClient} turns off as aiohttp's {@code test_utils.TestClient} does, and
 * whether a builder was given a cookie jar. The
 * session installs its side when its class is initialized, so any session in hand can be reached.
 * Exported to aio-test only; not public API.
 */
public final class SessionAccess {
    /** What the session lets this class do. */
    public interface Hooks {
        /** Sets {@code session}'s {@code _retry_connection}. */
        void retryConnection(ClientSession session, boolean on);

        /** Whether {@code builder} was given a cookie jar (else the session makes a default one). */
        boolean cookieJarGiven(ClientSession.Builder builder);
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

    /**
     * Returns whether {@code builder} was given a cookie jar ({@code cookie_jar=} passed), so that
     * aio-test's {@code TestClient} can put aiohttp's {@code CookieJar(unsafe=True)} in its place
     * only when none was.
     *
     * @param builder the builder
     * @return whether a jar (or {@code cookieJar(boolean)}) was set
     */
    public static boolean cookieJarGiven(ClientSession.Builder builder) {
        Checks.notNull(builder, "builder");
        return hooks.cookieJarGiven(builder); // a builder exists, so ClientSession is initialized
    }
}

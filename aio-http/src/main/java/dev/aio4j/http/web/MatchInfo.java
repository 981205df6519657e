package dev.aio4j.http.web;

import java.util.List;
import java.util.Map;

/**
 * What routing found for a request: the path's variables, the route, and the applications from
 * the root to the one that owns the route.
 *
 * <p><b>aiohttp:</b> {@code web.UrlMappingMatchInfo} ({@code request.match_info}).
 * <b>Differences:</b> {@code match_info['name']} is {@link #get(String)}; the mapping itself is
 * {@link #variables()}; for a 404 or 405, {@link #route()} is null and {@link #httpException()}
 * is the error the handler raises.
 *
 * @since 0.2
 */
public final class MatchInfo {
    private final Map<String, String> variables;
    private final Route route;
    private final Handler handler;
    private final List<Application> apps;
    private final HTTPException error;

    MatchInfo(Map<String, String> variables, Route route, Handler handler, List<Application> apps, HTTPException error) {
        this.variables = variables;
        this.route = route;
        this.handler = handler;
        this.apps = apps;
        this.error = error;
    }

    /**
     * Returns a path variable: {@code request.match_info['name']}.
     *
     * @param name the variable's name
     * @return its decoded value, or null if the route has no such variable
     */
    public String get(String name) {
        return variables.get(name);
    }

    /**
     * Returns every path variable.
     *
     * @return name to value, read-only
     */
    public Map<String, String> variables() {
        return variables;
    }

    /**
     * Returns the route that matched: {@code match_info.route}.
     *
     * @return the route, or null for a 404 or 405
     */
    public Route route() {
        return route;
    }

    /**
     * Returns the handler that runs: {@code match_info.handler}.
     *
     * @return the route's handler, or one that throws {@link #httpException()}
     */
    public Handler handler() {
        return handler;
    }

    /**
     * Returns the applications from the root to the route's own: {@code match_info.apps}.
     *
     * @return the applications, outermost first
     */
    public List<Application> apps() {
        return apps;
    }

    /**
     * Returns the application that owns the route: {@code match_info.current_app}.
     *
     * @return the innermost application
     */
    public Application currentApp() {
        return apps.get(apps.size() - 1);
    }

    /**
     * Returns the routing error: {@code match_info.http_exception}.
     *
     * @return a 404 or 405, or null if a route matched
     */
    public HTTPException httpException() {
        return error;
    }

    @Override
    public String toString() {
        if (route == null && error != null) {
            return "<MatchInfoError " + error.status() + ": " + error.reason() + ">";
        }
        return "<MatchInfo " + variables + ": " + route + ">";
    }
}

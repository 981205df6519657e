package dev.aio4j.http.web;

import dev.aio4j.http.internal.UrlEncoding;
import dev.aio4j.loop.internal.Checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A path (or path pattern) of the router with the handlers of its methods: a plain path
 * ({@code /users}), a dynamic one ({@code /users/{id}}, {@code /files/{name:[a-z]+\.txt}},
 * {@code /{tail:.*}}), a static directory, or a mounted sub-application (at a prefix, or for a
 * domain).
 *
 * <p><b>aiohttp:</b> {@code web.PlainResource}, {@code web.DynamicResource},
 * {@code web.StaticResource}, {@code web.PrefixedSubAppResource} and
 * {@code web.MatchedSubAppResource} (all {@code AbstractResource}).
 * <b>Differences:</b> one class whose {@link #kind()} tells which; {@code url_for(**parts)} is
 * {@link #urlFor(String...)} with alternating names and values.
 *
 * @since 0.2
 */
public final class Resource {
    /** What a resource matches. */
    public enum Kind {
        /** One exact path. */
        PLAIN,
        /** A path pattern with {@code {name}} or {@code {name:regex}} variables. */
        DYNAMIC,
        /** Files under a directory, served below a prefix ({@link UrlDispatcher#addStatic}). */
        STATIC,
        /** A sub-application mounted at a prefix ({@link Application#addSubapp}). */
        SUBAPP,
        /**
         * A sub-application that answers the requests for a domain, whatever their path
         * ({@link Application#addDomain}): aiohttp's {@code MatchedSubAppResource}.
         *
         * @since 0.2
         */
        DOMAIN
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::((?:[^{}]|\\{[^{}]*})*))?}");

    private final Kind kind;
    private String canonical; // "" becomes "/" when a router that is not mounted at a prefix freezes
    private final String name;
    private final Pattern pattern;
    private final List<String> variables;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final Path directory;
    private final StaticOptions staticOptions;
    private final Application subapp;
    private final DomainRule domain;
    /** A static resource's kept {@code appendVersion} hashes; null for the other kinds. */
    private final FileVersions versions;
    private String prefix = "";

    private Resource(Kind kind, String canonical, String name, Pattern pattern, List<String> variables, Path directory,
                     StaticOptions staticOptions, Application subapp) {
        this(kind, canonical, name, pattern, variables, directory, staticOptions, subapp, null);
    }

    private Resource(Kind kind, String canonical, String name, Pattern pattern, List<String> variables, Path directory,
                     StaticOptions staticOptions, Application subapp, DomainRule domain) {
        this.kind = kind;
        this.canonical = canonical;
        this.name = name;
        this.pattern = pattern;
        this.variables = variables;
        this.directory = directory;
        this.staticOptions = staticOptions;
        this.subapp = subapp;
        this.domain = domain;
        this.versions = kind == Kind.STATIC ? new FileVersions() : null;
    }

    /** Parses a route path: plain when it has no variable, dynamic otherwise. */
    static Resource forPath(String path, String name) {
        Checks.notNull(path, "path");
        if (!path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/' or be empty, got \"" + path + "\"");
        }
        Matcher m = VARIABLE.matcher(path);
        if (!m.find() && path.indexOf('{') < 0 && path.indexOf('}') < 0) {
            return new Resource(Kind.PLAIN, path, name, null, List.of(), null, null, null);
        }
        m.reset();
        StringBuilder regex = new StringBuilder();
        List<String> vars = new ArrayList<>();
        int last = 0;
        while (m.find()) {
            String literal = path.substring(last, m.start());
            if (literal.indexOf('{') >= 0 || literal.indexOf('}') >= 0) {
                throw new IllegalArgumentException("path has an unbalanced '{' or '}': \"" + path + "\"");
            }
            regex.append(Pattern.quote(literal));
            String var = m.group(1);
            if (vars.contains(var)) {
                throw new IllegalArgumentException("path uses the variable {" + var + "} twice: \"" + path + "\"");
            }
            String re = m.group(2) == null ? "[^{}/]+" : m.group(2);
            try {
                Pattern.compile(re);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regex \"" + re + "\" for {" + var + "} in \"" + path + "\": " + e.getDescription());
            }
            regex.append("(?<v").append(vars.size()).append('>').append(re).append(')');
            vars.add(var);
            last = m.end();
        }
        String tail = path.substring(last);
        if (tail.indexOf('{') >= 0 || tail.indexOf('}') >= 0) {
            throw new IllegalArgumentException("path has an unbalanced '{' or '}': \"" + path + "\"");
        }
        regex.append(Pattern.quote(tail));
        return new Resource(Kind.DYNAMIC, path, name, Pattern.compile(regex.toString()), List.copyOf(vars), null, null, null);
    }

    static Resource forStatic(String prefix, Path directory, StaticOptions options) {
        checkPath(prefix);
        String p = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
        return new Resource(Kind.STATIC, p, options.name(), null, List.of(), directory, options, null);
    }

    static Resource forSubapp(String prefix, Application app) {
        checkPath(prefix);
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (p.isEmpty()) {
            throw new IllegalArgumentException("a sub-application's prefix must not be empty or \"/\": use the routes directly");
        }
        return new Resource(Kind.SUBAPP, p, null, null, List.of(), null, null, app);
    }

    static Resource forDomain(DomainRule rule, Application app) {
        return new Resource(Kind.DOMAIN, rule.canonical(), null, null, List.of(), null, null, app, rule);
    }

    private static void checkPath(String path) {
        Checks.notNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got \"" + path + "\"");
        }
    }

    /**
     * Returns what the resource matches.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the path as registered, with each variable's regex left out (the pattern
     * {@code /get/{num:\d+}} gives {@code /get/{num}}), or the prefix for static files and
     * sub-applications, or for a {@link Kind#DOMAIN} sub-application its domain
     * ({@code example.com}, {@code example.com:8080}, or for a mask the regex aiohttp matches
     * with, {@code *.example.com} giving {@code .*\.example\.com}; aio4j matches the mask as a
     * glob, with the same answers): {@code resource.canonical}.
     *
     * @return the canonical path, without the prefix of an enclosing sub-application
     */
    public String canonical() {
        return kind == Kind.DYNAMIC ? VARIABLE.matcher(canonical).replaceAll(m -> Matcher.quoteReplacement("{" + m.group(1) + "}"))
                : canonical;
    }

    /** The path exactly as registered, regexes included. */
    String path() {
        return canonical;
    }

    /**
     * Returns the name for {@link UrlDispatcher#named}: {@code resource.name}.
     *
     * @return the name, or null
     */
    public String name() {
        return name;
    }

    /**
     * Returns the routes, one per method: {@code list(resource)}.
     *
     * @return the routes in the order they were added
     */
    public List<Route> routes() {
        return List.copyOf(routes.values());
    }

    /**
     * Returns the directory of a static resource.
     *
     * @return the directory, or null for other kinds
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the options a static resource was added with: what aiohttp's
     * {@code StaticResource} keeps from the keywords of {@code add_static}.
     *
     * @return the options, or null for other kinds
     */
    public StaticOptions staticOptions() {
        return staticOptions;
    }

    /**
     * Adds a handler for a method: {@code resource.add_route(method, handler)}.
     *
     * @param method the method, upper case, or {@code *} for every method
     * @param handler the handler
     * @return the route
     * @throws IllegalArgumentException if the method already has a handler here, or is not a token
     */
    public Route addRoute(String method, Handler handler) {
        return addRoute(method, handler, null);
    }

    /**
     * Adds a handler for a method with its own expect handler:
     * {@code resource.add_route(method, handler, expect_handler=expectHandler)}.
     *
     * @param method the method, upper case, or {@code *} for every method
     * @param handler the handler
     * @param expectHandler what a request with an {@code Expect} header meets before the handler,
     *     or null for {@link ExpectHandler#defaultHandler()}
     * @return the route
     * @throws IllegalArgumentException if the method already has a handler here, or is not a token
     * @since 0.2
     */
    public Route addRoute(String method, Handler handler, ExpectHandler expectHandler) {
        Checks.notNull(handler, "handler");
        String m = Checks.notNull(method, "method");
        if (m.isEmpty() || !m.chars().allMatch(c -> c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            throw new IllegalArgumentException("method must be a token such as GET, got \"" + method + "\"");
        }
        if (isSubapp()) {
            throw new IllegalStateException("a sub-application resource has no routes of its own: add them to the sub-application");
        }
        if (routes.containsKey(m) || routes.containsKey("*") || m.equals("*") && !routes.isEmpty()) {
            throw new IllegalArgumentException("added route will never be executed: method " + m + " is already registered for "
                    + canonical);
        }
        Route r = new Route(m, handler, this, expectHandler);
        routes.put(m, r);
        return r;
    }

    /**
     * Builds the URL of a dynamic or plain resource: {@code resource.url_for(**parts)}. Values
     * are percent-encoded (slashes kept, for {@code {tail:.*}} variables).
     *
     * @param namesAndValues alternating variable names and values
     * @return the path, with the prefix of an enclosing sub-application
     * @throws IllegalArgumentException if a variable is missing or unknown, or for a static
     *     resource (use {@link #urlForFile})
     */
    public String urlFor(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("urlFor takes names and values in pairs, got " + namesAndValues.length + " strings");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parts.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return urlFor(parts);
    }

    /**
     * Builds the URL of a dynamic or plain resource from a map of variables.
     *
     * @param parts variable name to value
     * @return the path
     * @throws IllegalArgumentException as {@link #urlFor(String...)}
     */
    public String urlFor(Map<String, String> parts) {
        switch (kind) {
            case PLAIN -> {
                if (!parts.isEmpty()) {
                    throw new IllegalArgumentException(canonical + " has no variables, got " + parts.keySet());
                }
                return prefix + canonical;
            }
            case DYNAMIC -> {
                for (String k : parts.keySet()) {
                    if (!variables.contains(k)) {
                        throw new IllegalArgumentException(canonical + " has no variable {" + k + "}; it has " + variables);
                    }
                }
                StringBuilder sb = new StringBuilder(prefix);
                Matcher m = VARIABLE.matcher(canonical);
                int last = 0;
                while (m.find()) {
                    sb.append(canonical, last, m.start());
                    String v = parts.get(m.group(1));
                    if (v == null) {
                        throw new IllegalArgumentException("urlFor needs a value for {" + m.group(1) + "} of " + canonical);
                    }
                    sb.append(UrlEncoding.encodePath(v.replace("%", "%25"))); // a value is text, not an encoded path
                    last = m.end();
                }
                return sb.append(canonical.substring(last)).toString();
            }
            case STATIC -> throw new IllegalArgumentException("a " + kind + " resource builds URLs with urlForFile(filename)");
            default -> throw new IllegalArgumentException("a sub-application's resource has no URL of its own: build URLs with the "
                    + "sub-application's resources");
        }
    }

    /**
     * Builds the URL of a file of a static resource: {@code resource.url_for(filename=...)}. With
     * {@link StaticOptions#appendVersion(boolean)} it ends in {@code ?v=} and the file's hash.
     *
     * @param filename the file's path relative to the directory, with {@code /} separators
     *     (leading slashes are dropped); not encoded
     * @return the URL path, encoded
     * @throws IllegalArgumentException for a resource that is not static
     * @throws java.io.UncheckedIOException if the version is wanted and the file cannot be read
     */
    public String urlForFile(String filename) {
        if (kind != Kind.STATIC) {
            throw new IllegalArgumentException("urlForFile is for static resources; " + canonical + " is " + kind);
        }
        return urlForFile(filename, staticOptions.appendVersion());
    }

    /**
     * Builds the URL of a file of a static resource, with or without the version whatever the
     * resource's {@link StaticOptions#appendVersion()}: {@code resource.url_for(filename=...,
     * append_version=...)}. The version is {@code ?v=} and the URL-safe Base64 of the SHA-256 of
     * the file's bytes; a missing file, a directory, or a path the resource would refuse to serve
     * gets none. As in aiohttp, this is synchronous: the file is looked up and stat'ed on the
     * calling thread (the loop thread, in a handler). Unlike aiohttp, which reads and hashes the
     * whole file at every call, the resource keeps the hash while the file's identity (inode),
     * size, modification and change times stay the same, for up to 1024 files, least recently
     * used dropped first; so the file is read on the calling thread the first time, and again only
     * after it changed. A file modified (or changed) less than 2 seconds before it was read is
     * hashed again at each call until it settles (a write within the file system's clock tick
     * could leave those times unchanged). Where the file system gives neither a file identity
     * nor a change time (Windows), nothing is kept: the file is hashed at every call. For a large file, the first call's read is still on the calling thread:
     * build that URL once at startup.
     *
     * @param filename the file's path relative to the directory, with {@code /} separators
     * @param appendVersion whether to add the version
     * @return the URL path, encoded, with the query if any
     * @throws IllegalArgumentException for a resource that is not static
     * @throws java.io.UncheckedIOException if the version is wanted and the file cannot be read
     */
    public String urlForFile(String filename, boolean appendVersion) {
        if (kind != Kind.STATIC) {
            throw new IllegalArgumentException("urlForFile is for static resources; " + canonical + " is " + kind);
        }
        Checks.notNull(filename, "filename");
        int start = 0;
        while (start < filename.length() && filename.charAt(start) == '/') {
            start++; // aiohttp's filename.lstrip("/")
        }
        String f = filename.substring(start);
        String url = UrlEncoding.encodePath(staticUrlPrefix()) + "/" + UrlEncoding.encodePath(f.replace("%", "%25"));
        if (appendVersion) {
            String version = StaticFiles.fileVersion(directory, f, staticOptions.followSymlinks(), versions);
            if (version != null) {
                url += "?v=" + version;
            }
        }
        return url;
    }

    /** A static resource's kept versions (tests count the reads they saved). */
    FileVersions fileVersions() {
        return versions;
    }

    /** The prefix of a static resource's URLs, enclosing sub-applications included; empty for {@code /}. */
    String staticUrlPrefix() {
        String p = prefix + canonical;
        return p.equals("/") ? "" : p;
    }

    // ------------------------------------------------------------------------------ routing

    Application subapp() {
        return subapp;
    }

    /** Whether this resource stands for a sub-application ({@link Kind#SUBAPP} or {@link Kind#DOMAIN}). */
    boolean isSubapp() {
        return kind == Kind.SUBAPP || kind == Kind.DOMAIN;
    }

    /** The rule of a {@link Kind#DOMAIN} resource, else null. */
    DomainRule domain() {
        return domain;
    }

    void addPrefix(String p) {
        this.prefix = p + this.prefix;
    }

    /**
     * aiohttp's {@code PlainResource.freeze}: the empty path is {@code /} in a router that is not
     * mounted at a prefix; in a sub-application's it stays empty, so that it matches the prefix
     * itself ({@code /s}, not {@code /s/}).
     */
    void emptyPathToSlash() {
        if (kind == Kind.PLAIN && canonical.isEmpty()) {
            canonical = "/";
        }
    }

    /** The variables if {@code path} (a request's {@link Request#pathSafe()}) matches (an empty map for plain paths), else null. */
    Map<String, String> match(String path) {
        switch (kind) {
            case PLAIN -> {
                return path.equals(canonical.replace("%", "%25")) ? Map.of() : null;
            }
            case DYNAMIC -> {
                Matcher m = pattern.matcher(path);
                if (!m.matches()) {
                    return null;
                }
                Map<String, String> out = new LinkedHashMap<>();
                for (int i = 0; i < variables.size(); i++) {
                    out.put(variables.get(i), unquoteSafe(m.group("v" + i)));
                }
                return Collections.unmodifiableMap(out);
            }
            case STATIC -> {
                // as aiohttp's StaticResource.resolve: the normalised path must be the prefix or
                // below it (so /static/../x is not the directory's), the name is taken raw
                String p = canonical.equals("/") ? "" : canonical;
                String norm = normpath(path);
                if (!norm.startsWith(p + "/") && !norm.equals(p)) {
                    return null;
                }
                return Map.of("filename", unquoteSafe(path.length() > p.length() ? path.substring(p.length() + 1) : ""));
            }
            case DOMAIN -> {
                return Map.of(); // every path: the Host decides (UrlDispatcher.resolve)
            }
            default -> {
                return path.equals(canonical) || path.startsWith(canonical + "/") ? Map.of() : null;
            }
        }
    }

    /** Python's {@code posixpath.normpath}: {@code .}, {@code ..} and repeated slashes taken out lexically. */
    static String normpath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        int initialSlashes = !path.startsWith("/") ? 0 : path.startsWith("//") && !path.startsWith("///") ? 2 : 1;
        List<String> out = new ArrayList<>();
        for (String comp : path.split("/", -1)) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            if (!comp.equals("..") || initialSlashes == 0 && out.isEmpty() || !out.isEmpty() && out.get(out.size() - 1).equals("..")) {
                out.add(comp);
            } else if (!out.isEmpty()) {
                out.remove(out.size() - 1);
            }
        }
        String joined = "/".repeat(initialSlashes) + String.join("/", out);
        return joined.isEmpty() ? "." : joined;
    }

    /** Decodes the two escapes the router matches on ({@link Request#pathSafe()}): %2F, then %25. */
    private static String unquoteSafe(String v) {
        return v.indexOf('%') < 0 ? v : v.replace("%2F", "/").replace("%25", "%");
    }

    /** The route for {@code method}, falling back to {@code *}; null if none. */
    Route routeFor(String method) {
        Route r = routes.get(method);
        return r != null ? r : routes.get("*");
    }

    void allowedMethods(TreeSet<String> into) {
        into.addAll(routes.keySet());
    }

    @Override
    public String toString() {
        String type = switch (kind) {
            case PLAIN -> "PlainResource";
            case DYNAMIC -> "DynamicResource";
            case STATIC -> "StaticResource";
            case SUBAPP -> "PrefixedSubAppResource";
            case DOMAIN -> "MatchedSubAppResource";
        };
        String target = switch (kind) {
            case STATIC -> " -> " + directory;
            case SUBAPP, DOMAIN -> " -> " + subapp;
            default -> "";
        };
        return "<" + type + " " + (name == null ? "" : "'" + name + "' ") + (kind == Kind.DOMAIN ? "" : prefix) + canonical() + target + ">";
    }
}

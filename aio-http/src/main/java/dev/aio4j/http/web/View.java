package dev.aio4j.http.web;

import java.lang.reflect.Method;
import java.util.List;
import java.util.TreeSet;

/**
 * A class-based view: one object per request, one method per HTTP method. Methods not
 * overridden answer 405 with the overridden ones in {@code Allow}.
 *
 * <pre>{@code
 * final class UserView extends View {
 *     UserView(Request request) { super(request); }
 *     @Override public StreamResponse get() { return new Response().text("user " + request().matchInfo().get("id")); }
 *     @Override public StreamResponse delete() { return new Response(204); }
 * }
 * app.router().addView("/users/{id}", UserView::new);
 * }</pre>
 *
 * <p><b>aiohttp:</b> {@code web.View}. <b>Differences:</b> the view is made by a factory
 * ({@code UserView::new}) instead of the class; the methods are {@code get()} ... {@code options()}.
 *
 * @since 0.2
 */
public abstract class View {
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final ClassValue<TreeSet<String>> ALLOWED = new ClassValue<>() {
        @Override
        protected TreeSet<String> computeValue(Class<?> type) {
            TreeSet<String> out = new TreeSet<>();
            for (String m : METHODS) {
                try {
                    Method method = type.getMethod(m.toLowerCase(java.util.Locale.ROOT));
                    if (method.getDeclaringClass() != View.class) {
                        out.add(m);
                    }
                } catch (NoSuchMethodException e) {
                    throw new AssertionError(e);
                }
            }
            return out;
        }
    };

    private final Request request;

    /**
     * Makes the view for one request.
     *
     * @param request the request
     */
    protected View(Request request) {
        this.request = request;
    }

    /**
     * Returns the request: {@code self.request}.
     *
     * @return the request this view answers
     */
    public final Request request() {
        return request;
    }

    /**
     * Answers GET.
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse get() throws Exception {
        throw notAllowed();
    }

    /**
     * Answers HEAD (by default as {@link #get()} when that is overridden: the server drops the body).
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse head() throws Exception {
        if (ALLOWED.get(getClass()).contains("GET")) {
            return get();
        }
        throw notAllowed();
    }

    /**
     * Answers POST.
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse post() throws Exception {
        throw notAllowed();
    }

    /**
     * Answers PUT.
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse put() throws Exception {
        throw notAllowed();
    }

    /**
     * Answers PATCH.
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse patch() throws Exception {
        throw notAllowed();
    }

    /**
     * Answers DELETE.
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse delete() throws Exception {
        throw notAllowed();
    }

    /**
     * Answers OPTIONS.
     *
     * @return the response
     * @throws Exception as a handler
     */
    public StreamResponse options() throws Exception {
        throw notAllowed();
    }

    final StreamResponse dispatch() throws Exception {
        return switch (request.method()) {
            case "GET" -> get();
            case "HEAD" -> head();
            case "POST" -> post();
            case "PUT" -> put();
            case "PATCH" -> patch();
            case "DELETE" -> delete();
            case "OPTIONS" -> options();
            default -> throw notAllowed();
        };
    }

    private HTTPMethodNotAllowed notAllowed() {
        TreeSet<String> allowed = new TreeSet<>(ALLOWED.get(getClass()));
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return new HTTPMethodNotAllowed(request.method(), allowed);
    }
}

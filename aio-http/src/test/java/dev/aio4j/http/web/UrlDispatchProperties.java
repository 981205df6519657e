package dev.aio4j.http.web;

import dev.aio4j.loop.Aio;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Properties of the router that hold for every path: {@code urlFor} and then resolving the URL
 * it built (as the server does, through the request's decoding) gives back the variables and
 * the route. aio4j-only.
 */
class UrlDispatchProperties {
    /** A route template of literal and variable segments, and a value for each variable. */
    record Case(String template, Map<String, String> values) {
    }

    @Provide
    Arbitrary<Case> templates() {
        Arbitrary<String> literal = Arbitraries.strings().withChars("abcxyz019-._~").ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        // any text but the default pattern's '/', '{' and '}': non-ASCII, '%', '?', '#', '+', spaces...
        Arbitrary<String> value = Arbitraries.strings()
                .withChars("aZ09 -._~%?#+&=;:@!$'()*,\"<>[]\\^`|\u00e9\u0436\u6f22")
                .withChars('\u00a0', '\u00ff').ofMinLength(1).ofMaxLength(12);
        Arbitrary<List<Boolean>> shape = Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(5);
        return shape.flatMap(isVar -> {
            int vars = (int) isVar.stream().filter(b -> b).count();
            return Arbitraries.oneOf(List.of(literal)).list().ofSize(isVar.size()).flatMap(lits ->
                    value.list().ofSize(vars).map(vals -> {
                        StringBuilder t = new StringBuilder();
                        Map<String, String> values = new LinkedHashMap<>();
                        for (int i = 0; i < isVar.size(); i++) {
                            t.append('/');
                            if (isVar.get(i)) {
                                String name = "v" + values.size();
                                values.put(name, vals.get(values.size()));
                                t.append('{').append(name).append('}');
                            } else {
                                t.append(lits.get(i));
                            }
                        }
                        return new Case(t.toString(), values);
                    }));
        });
    }

    @Property(tries = 300, seed = "20261206")
    void urlForThenResolveRoundTripsTheVariables(@ForAll("templates") Case c) {
        Application app = new Application();
        Handler handler = r -> new Response();
        Route route = app.router().addGet(c.template(), handler, "it");
        app.router().addGet("/other/{x}", r -> new Response());
        String url = app.router().named("it").urlFor(c.values());
        MatchInfo info = Aio.run(() -> MockedRequest.of("GET", url).app(app).build().matchInfo());
        assertNotNull(info.route(), c + " -> " + url + " did not resolve: " + info);
        assertSame(route, info.route(), url);
        assertEquals(c.values(), info.variables(), url);
    }

    @Property(tries = 200, seed = "20261207")
    void urlForOfASubappRouteResolvesThroughTheParent(@ForAll("templates") Case c) { // with the prefix
        Application app = new Application();
        Application sub = new Application();
        Route route = sub.router().addGet(c.template(), r -> new Response(), "it");
        app.addSubapp("/pre", sub);
        String url = sub.router().named("it").urlFor(c.values());
        MatchInfo info = Aio.run(() -> MockedRequest.of("GET", url).app(app).build().matchInfo());
        assertSame(route, info.route(), url + " " + info);
        assertEquals(c.values(), info.variables(), url);
        assertEquals(List.of(app, sub), new ArrayList<>(info.apps()));
    }

    @Property(tries = 2000, seed = "20261205")
    void domainMaskMatchesAsAiohttpsRegex(@ForAll("masks") String mask, @ForAll("hosts") String host) {
        // addDomain's mask is matched as a glob (no backtracking); it answers as MaskDomain's regex
        DomainRule rule = DomainRule.mask(mask);
        assertEquals(java.util.regex.Pattern.compile(rule.canonical()).matcher(host).matches(), rule.matchDomain(host),
                mask + " on " + host);
    }

    @Provide
    Arbitrary<String> masks() {
        Arbitrary<String> label = Arbitraries.strings().withChars("ab*").ofMinLength(1).ofMaxLength(4);
        return label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.strings().withChars("ab.:8").ofMaxLength(12);
    }

    /**
     * The order freeze() used to give the resources of the empty path moved under "/": both
     * lists together, sorted by their registration (a scan of the router's resources per
     * comparison). Kept as the oracle of {@link UrlDispatcher#inRegistrationOrder}.
     */
    private static List<Resource> oldFreezeOrder(List<Resource> all, List<Resource> slash, List<Resource> empty) {
        List<Resource> out = new ArrayList<>(slash);
        out.addAll(empty);
        out.sort(java.util.Comparator.comparingInt(all::indexOf));
        return out;
    }

    @Property(tries = 500, seed = "20261208")
    void inRegistrationOrderIsTheOldSort(@ForAll("placements") List<Integer> placement, @ForAll long shuffleSeed) {
        // every resource goes to a ("/"), b ("") or neither; a and b in any order of their own
        List<Resource> all = new ArrayList<>();
        List<Resource> a = new ArrayList<>();
        List<Resource> b = new ArrayList<>();
        for (int i = 0; i < placement.size(); i++) {
            Resource r = Resource.forPath("/r" + i, null);
            all.add(r);
            if (placement.get(i) == 1) {
                a.add(r);
            } else if (placement.get(i) == 2) {
                b.add(r);
            }
        }
        java.util.Random random = new java.util.Random(shuffleSeed);
        java.util.Collections.shuffle(a, random);
        java.util.Collections.shuffle(b, random);
        assertEquals(oldFreezeOrder(all, a, b), UrlDispatcher.inRegistrationOrder(all, a, b));
    }

    @Provide
    Arbitrary<List<Integer>> placements() {
        return Arbitraries.integers().between(0, 2).list().ofMaxSize(200);
    }

    @Property(tries = 300, seed = "20261209")
    void freezeOrdersTheRootAsTheOldSort(@ForAll("routePaths") List<String> paths) {
        Application app = new Application();
        UrlDispatcher router = app.router();
        for (String p : paths) {
            router.addResource(p);
        }
        List<Resource> slash = new ArrayList<>(router.indexed("/"));
        List<Resource> empty = new ArrayList<>(router.indexed(""));
        List<Resource> expected = empty.isEmpty() ? slash : oldFreezeOrder(router.resources(), slash, empty);
        router.freeze();
        assertEquals(expected, router.indexed("/"));
        assertEquals(List.of(), router.indexed(""));
        assertEquals(empty.size() + slash.size(), router.indexed("/").size());
    }

    @Provide
    Arbitrary<List<String>> routePaths() {
        return Arbitraries.of("", "/", "/a", "/{x}", "/a/{y}", "/b/", "/{x}/c").list().ofMaxSize(60);
    }
}

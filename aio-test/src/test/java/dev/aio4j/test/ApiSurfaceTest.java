package dev.aio4j.test;

import dev.aio4j.loop.test.ApiSurfaceContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * aio-test's public surface (see {@link ApiSurfaceContract}). aio-test exports two packages, the
 * loop helpers ({@code dev.aio4j.test}) and the aiohttp.web test utilities
 * ({@code dev.aio4j.test.web}); the contract knows one, so the export check, the type list and
 * the Javadoc check are widened here to the second, as aio-http's ApiSurfaceTest does.
 * aio4j-only.
 */
class ApiSurfaceTest extends ApiSurfaceContract {
    private static final String WEB = "dev.aio4j.test.web";
    private static final String NET = "dev.aio4j.test.net";

    @Override
    protected String moduleName() {
        return "dev.aio4j.test";
    }

    @Override
    protected String exportedPackage() {
        return "dev.aio4j.test";
    }

    @Override
    protected String artifact() {
        return "aio-test";
    }

    @Override
    protected List<String> originWords() {
        return List.of("aiohttp", "asyncio", "aio4j-only");
    }

    /** The loop helpers' public types and then the web ones, so that the api file lists both. */
    @Override
    protected List<Class<?>> publicTypes() throws Exception {
        List<Class<?>> out = new ArrayList<>(super.publicTypes());
        out.addAll(typesOf(WEB));
        out.addAll(typesOf(NET));
        return out;
    }

    @Test
    @Override
    public void moduleExportsOnlyThePublicPackage() {
        ModuleDescriptor d = ModuleFinder.of(Path.of("target/classes")).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in target/classes")).descriptor();
        assertEquals(moduleName(), d.name());
        Set<String> exported = d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.of("dev.aio4j.test", WEB, NET), exported, "packages exported to everyone");
        assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified), "qualified exports: " + d.exports());
        assertTrue(d.opens().isEmpty(), "no opened packages");
        assertTrue(d.packages().stream().filter(p -> !exported.contains(p)).allMatch(p -> p.startsWith("dev.aio4j.test.internal")),
                "every other package is internal: " + d.packages());
        // aio-http is optional: only dev.aio4j.test.web needs it.
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("dev.aio4j.http")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), "requires static dev.aio4j.http: " + d.requires());
        // aio-streams too: only dev.aio4j.test.net needs it.
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("dev.aio4j.streams")
                && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)), "requires static dev.aio4j.streams: " + d.requires());
    }

    /** The contract's Javadoc rule, for the sources of the second package. */
    @Test
    void everyPublicWebTypeNamesItsAiohttpOriginal() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/java/dev/aio4j/test/web"))) {
            for (Path src : s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                String name = src.getFileName().toString().replace(".java", "");
                if (name.equals("package-info")) {
                    continue;
                }
                String text = Files.readString(src, StandardCharsets.UTF_8);
                var decl = Pattern.compile("(?m)^public\\s+(?:(?:final|sealed|non-sealed|abstract)\\s+)*"
                        + "(?:class|interface|record|enum|@interface)\\s+" + Pattern.quote(name) + "\\b").matcher(text);
                if (!decl.find()) {
                    continue; // a package-private implementation class
                }
                String before = text.substring(0, decl.start());
                int start = before.lastIndexOf("/**");
                int end = before.lastIndexOf("*/");
                String gap = before.substring(Math.max(end + 2, 0)).replaceAll("(?m)^\\s*@\\w+\\s*$", "");
                String doc = start >= 0 && end > start && gap.isBlank() ? before.substring(start, end) : null;
                if (doc == null) {
                    missing.add(name + " (no Javadoc)");
                } else if (!doc.contains("<p><b>aiohttp:</b>")) {
                    missing.add(name + " (Javadoc does not name its aiohttp original)");
                } else if (!doc.contains("@since 0.2")) {
                    missing.add(name + " (no @since 0.2)");
                }
            }
        }
        assertTrue(missing.isEmpty(), "public types whose Javadoc breaks the rule: " + missing);
    }

    /** The contract's Javadoc rule, for the simulated network's sources (new in 0.2). */
    @Test
    void everyPublicNetTypeSaysAio4jOnlyAndSince02() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/java/dev/aio4j/test/net"))) {
            for (Path src : s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                String name = src.getFileName().toString().replace(".java", "");
                String text = Files.readString(src, StandardCharsets.UTF_8);
                var decl = Pattern.compile("(?m)^public\\s+(?:(?:final|sealed|non-sealed|abstract)\\s+)*"
                        + "(?:class|interface|record|enum|@interface)\\s+" + Pattern.quote(name) + "\\b").matcher(text);
                if (name.equals("package-info") || !decl.find()) {
                    continue;
                }
                String before = text.substring(0, decl.start());
                int start = before.lastIndexOf("/**");
                int end = before.lastIndexOf("*/");
                String doc = start >= 0 && end > start ? before.substring(start, end) : "";
                if (!doc.contains("aio4j-only") || !doc.contains("@since 0.2")) {
                    missing.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "net types whose Javadoc lacks 'aio4j-only' or '@since 0.2': " + missing);
    }

    private static List<Class<?>> typesOf(String pkg) throws Exception {
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("target/classes/" + pkg.replace('.', '/')))) {
            for (Path p : s.sorted().collect(Collectors.toList())) {
                String f = p.getFileName().toString();
                if (!f.endsWith(".class") || f.contains("$") || f.equals("package-info.class")) {
                    continue;
                }
                Class<?> c = Class.forName(pkg + "." + f.substring(0, f.length() - 6));
                if (Modifier.isPublic(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}

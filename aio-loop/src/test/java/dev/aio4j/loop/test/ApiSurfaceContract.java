package dev.aio4j.loop.test;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public surface of one aio4j module, checked by tests rather than by memory (trio's
 * test_exports.py, OkHttp's and kotlinx's api files): its module exports exactly its public
 * package, every public type's Javadoc names its asyncio (or aiohttp) original or says
 * aio4j-only and has {@code @since}, public concrete classes are final unless designed for
 * extension, {@code api/<module>.api} lists the public signatures, and docs/porting-guide.md
 * names every public type. aio4j-only.
 *
 * <p>Each module runs it through a one-line subclass. To accept an intended API change, run
 * the tests with {@code -Daio4j.updateApi=true} and commit the module's {@code api/*.api}.
 */
public abstract class ApiSurfaceContract {
    private static final Path CLASSES = Path.of("target/classes");

    /** The Java module's name, e.g. {@code dev.aio4j.loop}. */
    protected abstract String moduleName();

    /** The module's main exported package (its internal packages live below it). */
    protected abstract String exportedPackage();

    /**
     * Every package the module exports to everyone, the main one first (aio-http also exports
     * {@code dev.aio4j.http.web}, aio-test {@code dev.aio4j.test.web}).
     */
    protected List<String> exportedPackages() {
        return List.of(exportedPackage());
    }

    /** The Maven artifact, e.g. {@code aio-loop}: names the api file. */
    protected abstract String artifact();

    /** Simple names of public classes that are deliberately not final. */
    protected Set<String> designedForExtension() {
        return Set.of();
    }

    /** Words one of which the class Javadoc must contain to name its original. */
    protected List<String> originWords() {
        return List.of("asyncio", "aio4j-only");
    }


    private Path apiFile() {
        return Path.of("api/" + artifact() + ".api");
    }

    @Test
    public void moduleExportsOnlyThePublicPackage() {
        ModuleReference ref = ModuleFinder.of(CLASSES).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module-info.class in " + CLASSES.toAbsolutePath()));
        ModuleDescriptor d = ref.descriptor();
        assertEquals(moduleName(), d.name());
        Set<String> exported = d.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertEquals(Set.copyOf(exportedPackages()), exported, "packages exported to everyone");
        // A qualified export (STYLE section 1) is allowed only of an internal package and only to
        // sibling aio4j modules.
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) {
                assertTrue(e.source().startsWith(exportedPackage() + ".internal"), "qualified export of " + e.source());
                assertTrue(e.targets().stream().allMatch(t -> t.startsWith("dev.aio4j.")), "qualified export to " + e.targets());
            }
        }
        assertTrue(d.opens().isEmpty(), "no opened packages");
        assertTrue(d.packages().stream().filter(p -> !exported.contains(p)).allMatch(p -> p.startsWith(exportedPackage() + ".internal")),
                "every other package is internal: " + d.packages());
    }

    @Test
    public void everyPublicTypeNamesItsAsyncioOriginal() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path src : publicSources()) {
            String text = Files.readString(src, StandardCharsets.UTF_8);
            String name = src.getFileName().toString().replace(".java", "");
            if (!Pattern.compile("(?m)^public\\s+(?:(?:final|sealed|non-sealed|abstract)\\s+)*(?:class|interface|record|enum|@interface)\\s+"
                    + Pattern.quote(name) + "\\b").matcher(text).find()) {
                continue; // a package-private implementation class
            }
            String doc = typeJavadoc(text, name);
            if (doc == null) {
                missing.add(name + " (no Javadoc)");
            } else if (originWords().stream().noneMatch(doc::contains)) {
                missing.add(name + " (Javadoc contains none of " + originWords() + ")");
            } else if (!doc.contains("@since")) {
                missing.add(name + " (no @since)");
            }
        }
        assertTrue(missing.isEmpty(), "public types whose Javadoc breaks the rule: " + missing);
    }

    @Test
    public void publicConcreteClassesAreFinalUnlessDesignedForExtension() throws Exception {
        // Future is extended by Task (package-private constructor); Handle is sealed; exceptions
        // form hierarchies users may extend, as asyncio's do.
        Set<String> designedForExtension = designedForExtension();
        List<String> open = new ArrayList<>();
        for (Class<?> c : publicTypes()) {
            if (c.isInterface() || c.isRecord() || c.isEnum() || Modifier.isAbstract(c.getModifiers())
                    || Modifier.isFinal(c.getModifiers()) || c.isSealed() || Throwable.class.isAssignableFrom(c)) {
                continue;
            }
            if (!designedForExtension.contains(c.getSimpleName())) {
                open.add(c.getSimpleName());
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers())) {
                    open.add(c.getSimpleName() + " has an accessible constructor " + k);
                }
            }
        }
        assertTrue(open.isEmpty(), "non-final public classes: " + open);
    }

    @Test
    public void apiListingIsUpToDate() throws Exception {
        String actual = apiListing();
        Path apiFile = apiFile();
        String expected = Files.exists(apiFile) ? Files.readString(apiFile, StandardCharsets.UTF_8) : "";
        if (Boolean.getBoolean("aio4j.updateApi")) {
            Files.createDirectories(apiFile.getParent());
            Files.writeString(apiFile, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!expected.equals(actual)) {
            Path fresh = Path.of("target/" + artifact() + ".api");
            Files.writeString(fresh, actual, StandardCharsets.UTF_8);
            fail("The public API changed. Review the difference between " + apiFile + " and " + fresh
                    + "; if intended, run the tests with -Daio4j.updateApi=true and commit the file.\n"
                    + firstDifference(expected, actual));
        }
    }

    @Test
    public void everyPublicTypeIsInThePortingGuide() throws Exception {
        Path guide = Path.of("../docs/porting-guide.md");
        assertTrue(Files.exists(guide), "docs/porting-guide.md is missing");
        String text = Files.readString(guide, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Class<?> c : publicTypes()) {
            if (!Pattern.compile("\\b" + c.getSimpleName() + "\\b").matcher(text).find()) {
                missing.add(c.getSimpleName());
            }
        }
        assertTrue(missing.isEmpty(), "public types not named in docs/porting-guide.md: " + missing);
    }

    // ------------------------------------------------------------------------------ helpers

    private List<Path> publicSources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String pkg : exportedPackages()) {
            try (Stream<Path> s = Files.list(Path.of("src/main/java").resolve(pkg.replace('.', '/')))) {
                s.filter(p -> p.toString().endsWith(".java") && !p.getFileName().toString().equals("package-info.java"))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** The Javadoc comment directly before the top-level declaration of {@code name}. */
    static String typeJavadoc(String text, String name) {
        Matcher m = Pattern.compile("public\\s+(?:(?:final|sealed|non-sealed|abstract)\\s+)*(?:class|interface|record|enum|@interface)\\s+"
                + Pattern.quote(name) + "\\b").matcher(text);
        if (!m.find()) {
            return null;
        }
        String before = text.substring(0, m.start());
        int end = before.lastIndexOf("*/");
        int start = before.lastIndexOf("/**");
        if (start < 0 || end < start) {
            return null;
        }
        String between = before.substring(end + 2).replaceAll("@\\w+(\\([^)]*\\))?", "").trim();
        return between.isEmpty() ? before.substring(start, end) : null;
    }

    /** The public top-level types of every exported package, package by package. */
    protected List<Class<?>> publicTypes() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        for (String pkg : exportedPackages()) {
            try (Stream<Path> s = Files.list(CLASSES.resolve(pkg.replace('.', '/')))) {
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
        }
        return out;
    }

    private String apiListing() throws Exception {
        return ApiListing.of(publicTypes(), exportedPackage());
    }

    private static boolean isApi(int mods) {
        return Modifier.isPublic(mods) || Modifier.isProtected(mods);
    }

    private static String firstDifference(String a, String b) {
        List<String> x = Arrays.asList(a.split("\n"));
        List<String> y = Arrays.asList(b.split("\n"));
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            String l = i < x.size() ? x.get(i) : "<end>";
            String r = i < y.size() ? y.get(i) : "<end>";
            if (!l.equals(r)) {
                return "first difference at line " + (i + 1) + ":\n  committed: " + l + "\n  actual:    " + r;
            }
        }
        return "(line endings differ)";
    }

    @SuppressWarnings("unused")
    private static final Comparator<Class<?>> BY_NAME = Comparator.comparing(Class::getName);
}

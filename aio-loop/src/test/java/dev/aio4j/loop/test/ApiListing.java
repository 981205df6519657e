package dev.aio4j.loop.test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The text listing of a public API that {@code api/<module>.api} holds, one block per public or
 * protected type, nested types included, each with its supertypes (generic), its modifiers
 * (final, sealed and its permitted subclasses, abstract), and every public or protected member
 * with its generic signature and throws clause. Any change a user's code could notice at
 * compile time or link time changes a line (see {@code ApiListingTest} for the breaks it is
 * known to catch, in the categories japicmp reports). aio4j-only.
 */
public final class ApiListing {
    private ApiListing() {}

    /** The listing of {@code types} and, recursively, of their public or protected nested types. */
    public static String of(List<Class<?>> types, String stripPackage) {
        List<Class<?>> all = new ArrayList<>();
        for (Class<?> c : types) {
            collect(c, all);
        }
        all.sort(Comparator.comparing(Class::getName));
        StringBuilder sb = new StringBuilder();
        for (Class<?> c : all) {
            sb.append(strip(header(c), stripPackage)).append(" {\n");
            Set<String> members = new TreeSet<>();
            for (Field f : c.getDeclaredFields()) {
                if (isApi(f.getModifiers()) && !f.isSynthetic()) {
                    members.add("  field " + f.toGenericString());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (isApi(k.getModifiers()) && !k.isSynthetic()) {
                    members.add("  ctor " + k.toGenericString());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (isApi(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add("  method " + m.toGenericString() + (m.isDefault() ? " (default)" : ""));
                }
            }
            inheritedFromHiddenSuperclasses(c, members);
            if (c.isRecord()) {
                members.add("  components " + Arrays.stream(c.getRecordComponents())
                        .map(r -> r.getGenericType().getTypeName() + " " + r.getName()).collect(Collectors.joining(", ")));
            }
            if (c.isEnum()) {
                members.add("  constants " + Arrays.stream(c.getEnumConstants()).map(Object::toString)
                        .collect(Collectors.joining(", ")));
            }
            for (String m : members) {
                sb.append(strip(m, stripPackage)).append('\n');
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    /**
     * The public and protected members {@code c} inherits from superclasses that are not API
     * themselves (a package-private {@code BaseEventLoop} under {@code EventLoop}): users call them
     * on {@code c}, so they are {@code c}'s API and are listed as if {@code c} declared them. A
     * member {@code c} (or a nearer hidden superclass) redeclares is listed once, as declared.
     */
    private static void inheritedFromHiddenSuperclasses(Class<?> c, Set<String> members) {
        Set<String> fields = new TreeSet<>();
        Set<String> methods = new TreeSet<>();
        for (Field f : c.getDeclaredFields()) {
            if (!f.isSynthetic()) {
                fields.add(f.getName());
            }
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!m.isSynthetic() && !m.isBridge()) { // javac's access bridges to the hidden layers are not redeclarations
                methods.add(methodKey(m));
            }
        }
        for (Class<?> s : hiddenSuperclasses(c)) {
            String from = s.getTypeName() + ".";
            String to = c.getTypeName() + ".";
            for (Field f : s.getDeclaredFields()) {
                if (isApi(f.getModifiers()) && !f.isSynthetic() && fields.add(f.getName())) {
                    members.add("  field " + f.toGenericString().replace(from + f.getName(), to + f.getName()));
                }
            }
            for (Method m : s.getDeclaredMethods()) {
                if (isApi(m.getModifiers()) && !m.isSynthetic() && !m.isBridge() && methods.add(methodKey(m))) {
                    members.add("  method " + m.toGenericString().replace(from + m.getName() + "(", to + m.getName() + "(")
                            + (m.isDefault() ? " (default)" : ""));
                }
            }
        }
    }

    /** The superclasses of {@code c} below its nearest public or protected one, nearest first. */
    private static List<Class<?>> hiddenSuperclasses(Class<?> c) {
        List<Class<?>> hidden = new ArrayList<>();
        for (Class<?> s = c.getSuperclass(); s != null && !isApi(s.getModifiers()); s = s.getSuperclass()) {
            hidden.add(s);
        }
        return hidden;
    }

    private static String methodKey(Method m) {
        return m.getName() + Arrays.toString(m.getParameterTypes());
    }

    private static void collect(Class<?> c, List<Class<?>> into) {
        if (!isApi(c.getModifiers())) {
            return;
        }
        into.add(c);
        for (Class<?> n : c.getDeclaredClasses()) {
            collect(n, into);
        }
    }

    private static String header(Class<?> c) {
        StringBuilder sb = new StringBuilder(c.toGenericString());
        if (c.isSealed()) {
            sb.append(" permits ").append(Arrays.stream(c.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        // Superclasses that are not API (package-private layers) are skipped: what they declare
        // is listed as the class's own (inheritedFromHiddenSuperclasses), and their interfaces
        // as the class's.
        List<Class<?>> hidden = hiddenSuperclasses(c);
        Type sup = hidden.isEmpty() ? c.getGenericSuperclass() : hidden.get(hidden.size() - 1).getGenericSuperclass();
        if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
            sb.append(" extends ").append(sup.getTypeName());
        }
        Set<String> ifaces = new TreeSet<>();
        for (Type t : c.getGenericInterfaces()) {
            ifaces.add(t.getTypeName());
        }
        for (Class<?> h : hidden) {
            for (Type t : h.getGenericInterfaces()) {
                ifaces.add(t.getTypeName());
            }
        }
        if (!ifaces.isEmpty()) {
            sb.append(c.isInterface() ? " extends " : " implements ").append(String.join(", ", ifaces));
        }
        // The whole chain of superclasses, so a change far up (ClientError no longer a
        // RuntimeException) shows even when the direct superclass stays.
        List<String> chain = new ArrayList<>();
        for (Class<?> s = c.getSuperclass(); s != null && s != Object.class; s = s.getSuperclass()) {
            if (isApi(s.getModifiers())) {
                chain.add(s.getName());
            }
        }
        if (chain.size() > 1) {
            sb.append(" (is a ").append(String.join(", ", chain.subList(1, chain.size()))).append(')');
        }
        return sb.toString();
    }

    private static String strip(String line, String pkg) {
        return pkg == null ? line : line.replace(pkg + ".", "");
    }

    static boolean isApi(int mods) {
        return Modifier.isPublic(mods) || Modifier.isProtected(mods);
    }
}

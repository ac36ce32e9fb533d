package org.sinter.compiler.passes.rewrite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Sinter's rule library ({@code rules.txt} beside this class: TASO's merges of matrix products
 * and convolutions, elementwise algebra, constant reassociation, reductions and views) and the
 * gate every rule passes before the engine uses it: {@link #accept} runs {@link RuleVerifier} once
 * per rule and refuses a rule that fails, naming it and the difference seen.
 */
public final class RuleLibrary {
    private static final String RESOURCE = "rules.txt";
    private static final Set<Rule> VERIFIED = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private static volatile List<Rule> standard;

    private RuleLibrary() {}

    /** The library's rules as written, not yet verified (tests verify each one by one). */
    public static List<Rule> parsed() {
        try (InputStream in = RuleLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("rule library " + RESOURCE + " is missing from the class path");
            return RuleParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rule library " + RESOURCE, e);
        }
    }

    /** The library, every rule verified (once per process). */
    public static List<Rule> standard() {
        List<Rule> s = standard;
        if (s == null) {
            synchronized (RuleLibrary.class) {
                if (standard == null) standard = accept(parsed());
                s = standard;
            }
        }
        return s;
    }

    /** {@code rules}, each verified on random inputs first; IllegalArgumentException naming the first that fails. */
    public static List<Rule> accept(List<Rule> rules) {
        for (Rule r : rules) {
            if (!VERIFIED.contains(r)) {
                RuleVerifier.verify(r);
                VERIFIED.add(r);
            }
        }
        return List.copyOf(rules);
    }
}

package org.sinter.compiler.passes.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the library passes its random-input equivalence check. */
class RuleLibraryTest {
    static Stream<Rule> rules() {
        return RuleLibrary.parsed().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ruleIsEquivalentOnRandomInputs(Rule rule) {
        RuleVerifier.Report r = RuleVerifier.verify(rule);
        assertEquals(RuleVerifier.TRIALS, r.trials());
        assertTrue(r.maxRelDifference() <= RuleVerifier.RTOL, rule.name() + ": relative difference " + r.maxRelDifference());
        assertFalse(rule.doc().isBlank(), rule.name() + " says what it does");
    }

    @Test
    void theLibraryIsLargeAndNamesAreUnique() {
        List<Rule> rules = RuleLibrary.standard();
        assertTrue(rules.size() >= 20, "rules: " + rules.size());
        assertEquals(rules.size(), new HashSet<>(rules.stream().map(Rule::name).toList()).size(), "rule names are unique");
    }
}

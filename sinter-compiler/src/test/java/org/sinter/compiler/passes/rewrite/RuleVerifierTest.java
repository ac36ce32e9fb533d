package org.sinter.compiler.passes.rewrite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The random-input check refuses wrong rules, naming the rule and what it saw. */
class RuleVerifierTest {
    /** x − y is not y − x. */
    static final String SWAPPED_SUB = """
            rule sub-commutes
              doc Wrong on purpose: subtraction does not commute.
              pattern(%x: $T[$*S], %y: $T[$*S]) {
                %z = Binary{fn: SUB}(%x, %y)
                return %z
              }
              replacement {
                %z = Binary{fn: SUB}(%y, %x)
                return %z
              }
            """;

    @Test
    void aWrongRuleIsRejectedNamingItAndTheDifference() {
        var e = assertThrows(IllegalArgumentException.class, () -> RuleVerifier.verify(Rule.parse(SWAPPED_SUB)));
        assertTrue(e.getMessage().startsWith("rule sub-commutes: rejected: pattern and replacement differ by up to "), e.getMessage());
        assertTrue(e.getMessage().contains("(relative 1.00)") || e.getMessage().contains("(relative 2.00)"), e.getMessage());
        assertTrue(e.getMessage().contains("$S="), "the binding that showed it: " + e.getMessage());
    }

    @Test
    void theEngineDoesNotAcceptAWrongRule() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SubstitutionSearch(List.of(Rule.parse(SWAPPED_SUB)), RooflineCost.cpu(), SubstitutionSearch.Options.defaults()));
        assertTrue(e.getMessage().contains("sub-commutes"), e.getMessage());
    }

    @Test
    void aRuleWrongOnlyForNegativeInputsIsCaught() {
        // relu(−x) = −relu(x) holds nowhere but at 0: the signs differ, or one side is 0.
        String relu = "Unary{fn: RELU, p0: 0.0, p1: 0.0, floatScalars: true}", neg = "Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}";
        Rule r = Rule.parse("""
                rule relu-neg-commute
                  doc Wrong on purpose.
                  pattern(%x: $T[$*S]) {
                    %n = NEG(%x)
                    %y = RELU(%n)
                    return %y
                  }
                  replacement {
                    %r = RELU(%x)
                    %y = NEG(%r)
                    return %y
                  }
                """.replace("RELU", relu).replace("NEG", neg));
        var e = assertThrows(IllegalArgumentException.class, () -> RuleVerifier.verify(r));
        assertTrue(e.getMessage().contains("relu-neg-commute: rejected: pattern and replacement differ"), e.getMessage());
    }

    @Test
    void aReplacementOfAnotherShapeIsRejected() {
        // transpose(x) "is" x: only for square matrices does the shape even agree, and the values never do.
        Rule r = Rule.parse("""
                rule transpose-is-identity
                  doc Wrong on purpose.
                  pattern(%x: $T[$M, $N]) {
                    %y = Transpose{dim0: 0, dim1: 1}(%x)
                    return %y
                  }
                  replacement {
                    return %x
                  }
                """);
        var e = assertThrows(IllegalArgumentException.class, () -> RuleVerifier.verify(r));
        assertTrue(e.getMessage().contains("transpose-is-identity: rejected: "), e.getMessage());
    }

    @Test
    void aSymbolVerificationCannotChooseIsAnError() {
        Rule r = Rule.parse("""
                rule unsampled-dim
                  doc $d comes from the graph when matching, but verification needs a sample line for it.
                  pattern(%x: $T[$A, $B]) {
                    %y = Transpose{dim0: $d, dim1: 1}(%x)
                    return %y
                  }
                  replacement {
                    %y = Transpose{dim0: $d, dim1: 1}(%x)
                    return %y
                  }
                """);
        var e = assertThrows(IllegalArgumentException.class, () -> RuleVerifier.verify(r));
        assertTrue(e.getMessage().contains("unsampled-dim: rejected: cannot instantiate it") && e.getMessage().contains("$d is not bound"), e.getMessage());
    }

    @Test
    void malformedRulesAreRefusedWhenParsed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Rule.parse("""
                rule dangling
                  doc The replacement reads a value nobody defines.
                  pattern(%x: $T[$*S]) {
                    %y = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%x)
                    return %y
                  }
                  replacement {
                    return %z
                  }
                """));
        assertTrue(e.getMessage().contains("rule dangling") && e.getMessage().contains("%z is used before it is defined"), e.getMessage());
        var twoParts = assertThrows(IllegalArgumentException.class, () -> Rule.parse("""
                rule disconnected
                  doc Two nodes that share nothing cannot be found from one another.
                  pattern(%x: $T[$*S], %y: $T[$*S]) {
                    %a = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%x)
                    %b = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%y)
                    return %a, %b
                  }
                  replacement {
                    %a = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%x)
                    %b = Unary{fn: NEG, p0: 0.0, p1: 0.0, floatScalars: true}(%y)
                    return %a, %b
                  }
                """));
        assertTrue(twoParts.getMessage().contains("share no value with the rest"), twoParts.getMessage());
    }
}

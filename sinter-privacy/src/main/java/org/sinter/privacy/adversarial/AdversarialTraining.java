package org.sinter.privacy.adversarial;

import java.util.Objects;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.sinter.optim.Optimizer;

/**
 * Adversarial training (Madry, Makelov, Schmidt, Tsipras and Vladu 2018): every step replaces the
 * batch by the adversarial inputs of an attack against the current model (the inner maximisation,
 * by PGD) and takes the optimizer's step on their loss (the outer minimisation). With a one-step
 * attack from a random start this is Wong, Rice and Kolter's "fast" FGSM training (2020).
 *
 * <p>The attack runs with the model in evaluation mode (dropout off, batch norm on its running
 * statistics), so that the perturbation targets the function being trained rather than one dropout
 * sample, and the model goes back to training mode for the update. The attack may change between
 * steps ({@link #attack(Pgd)}), e.g. for a budget that ramps up over the first epochs.
 */
public final class AdversarialTraining {
    private final Module model;
    private final Optimizer optimizer;
    private final Generator generator;
    private Pgd attack;

    public AdversarialTraining(Module model, Optimizer optimizer, Pgd attack, Generator generator) {
        this.model = Objects.requireNonNull(model, "model");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.attack = Objects.requireNonNull(attack, "attack");
        this.generator = Objects.requireNonNull(generator, "generator");
    }

    /** The attack the next steps train against. */
    public AdversarialTraining attack(Pgd attack) {
        this.attack = Objects.requireNonNull(attack, "attack");
        return this;
    }

    public Pgd attack() {
        return attack;
    }

    /** One training step's mean loss on the adversarial batch and how many of it the model got right before the update. */
    public record Step(double loss, long correct, int count) {}

    /** Attacks the batch {@code (x, y)}, then steps on the adversarial inputs' mean cross-entropy. */
    public Step step(Tensor x, Tensor y) {
        model.eval();
        Tensor adversarial = attack.attack(model, x, y, generator);
        model.train();
        optimizer.zeroGrad();
        Tensor logits = model.forward(adversarial);
        Tensor loss = F.crossEntropy(logits, y);
        loss.backward();
        optimizer.step();
        long correct;
        try (var _ = Sinter.noGrad()) {
            correct = (long) logits.argmax(1, false).eq(y).sum().item();
        }
        return new Step(loss.item(), correct, x.size(0));
    }
}

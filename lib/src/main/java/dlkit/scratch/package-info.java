/**
 * A network written out by hand, as the reference beside a framework's version of it: {@link
 * dlkit.scratch.ScratchNet} (forward pass, backpropagation and the gradient-descent step as plain
 * array operations), {@link dlkit.scratch.ScratchTrainer} (its training loop, recorded like a fit)
 * and {@link dlkit.scratch.GradientCheck} (its gradients against automatic differentiation).
 */
package dlkit.scratch;

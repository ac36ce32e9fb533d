/**
 * Seeing where time goes: {@link org.sinter.profiler.Profiler} records every op call and autograd
 * backward node on a thread (PyTorch's {@code torch.profiler}), summarizes them as a
 * {@link org.sinter.profiler.KeyAverages} table and exports Chrome trace JSON for Perfetto;
 * {@link org.sinter.profiler.GraphExport} draws the autograd graph as Graphviz DOT.
 */
package org.sinter.profiler;

/** Loss modules (PyTorch's {@code nn.MSELoss}, {@code nn.CrossEntropyLoss}, ...) over {@link org.sinter.nn.functional.F}. */
package org.sinter.nn.loss;

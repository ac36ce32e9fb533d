/**
 * Sinter's data module: {@link org.sinter.data.Dataset}s, the {@link org.sinter.data.DataLoader}
 * (batching, seeded shuffling, ordered prefetch workers), transforms
 * ({@code org.sinter.data.transforms}), bundled and loadable data sets
 * ({@code org.sinter.data.datasets}) and file formats ({@code org.sinter.data.io}).
 * See docs/data.md.
 */
package org.sinter.data;

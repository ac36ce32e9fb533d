/** Sinter's data module (see docs/architecture.md). */
package org.sinter.data;

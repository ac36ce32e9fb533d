/** Sinter's nn module (see docs/architecture.md). */
package org.sinter.nn;

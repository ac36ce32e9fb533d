/** Sinter's cli module (see docs/architecture.md). */
package org.sinter.cli;

/** The dv command line (picocli): run, boot, vm, workloads, demo. */
package org.duvisor.cli;

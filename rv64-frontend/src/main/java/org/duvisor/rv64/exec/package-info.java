/** The reference interpreter over pre-decoded blocks, and the engine interface both tiers implement. */
package org.duvisor.rv64.exec;

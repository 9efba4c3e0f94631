/** M-mode firmware written in Java: the built-in SBI 2.0 implementation. */
package org.duvisor.firmware;

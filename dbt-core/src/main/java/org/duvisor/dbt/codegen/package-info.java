/** Loading generated classes as unloadable hidden classes. */
package org.duvisor.dbt.codegen;

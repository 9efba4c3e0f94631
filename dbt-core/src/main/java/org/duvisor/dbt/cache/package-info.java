/** The code cache of translated regions: lookup, chaining support, per-page invalidation, statistics. */
package org.duvisor.dbt.cache;

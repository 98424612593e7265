/**
 * The in-memory store behind the cluster cache on the local transport.
 */
@NullMarked
package dev.cohort.cache.local;

import org.jspecify.annotations.NullMarked;

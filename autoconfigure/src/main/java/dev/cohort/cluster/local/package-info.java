/**
 * The local transport: a solitary node inside one JVM, with no Redis.
 */
@NullMarked
package dev.cohort.cluster.local;

import org.jspecify.annotations.NullMarked;

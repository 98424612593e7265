/**
 * The signed envelope every message between nodes travels in, and the bus that carries
 * it.
 */
@NullMarked
package dev.cohort.cluster.message;

import org.jspecify.annotations.NullMarked;

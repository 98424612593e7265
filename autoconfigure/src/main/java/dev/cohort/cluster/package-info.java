/**
 * Node identity, membership and the types shared by every capability.
 */
@NullMarked
package dev.cohort.cluster;

import org.jspecify.annotations.NullMarked;

/**
 * The Redis transport: membership in Redis keys, messages over Redis pub/sub.
 */
@NullMarked
package dev.cohort.cluster.redis;

import org.jspecify.annotations.NullMarked;

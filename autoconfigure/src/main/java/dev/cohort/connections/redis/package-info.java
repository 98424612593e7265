/**
 * The directory of connections and room members in Redis.
 */
@NullMarked
package dev.cohort.connections.redis;

import org.jspecify.annotations.NullMarked;

/**
 * Redis helpers the Redis stores share: blocking commands on their own connections, key
 * scans, and Lua script loading and replies.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of the capability packages instead.
 */
@NullMarked
package dev.cohort.internal.redis;

import org.jspecify.annotations.NullMarked;

/**
 * The task queue in Redis: Lua scripts on one hash tag per queue.
 */
@NullMarked
package dev.cohort.tasks.redis;

import org.jspecify.annotations.NullMarked;

/**
 * The task queue in this JVM's memory, for the local transport.
 */
@NullMarked
package dev.cohort.tasks.local;

import org.jspecify.annotations.NullMarked;

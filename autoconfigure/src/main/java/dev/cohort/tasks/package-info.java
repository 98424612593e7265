/**
 * {@link dev.cohort.tasks.ClusterTasks}: one task queue that the worker nodes of the
 * cluster drain, with delayed and recurring tasks, leases, retries and failed jobs.
 */
@NullMarked
package dev.cohort.tasks;

import org.jspecify.annotations.NullMarked;

/**
 * The task queue's engine: the worker (fetching, running, lease renewal, settling and
 * stopping), the recurring scheduler, the {@link dev.cohort.tasks.ClusterTasks}
 * implementation and the {@link dev.cohort.tasks.ClusterTask} bean post-processor.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of {@code dev.cohort.tasks} instead.
 */
@NullMarked
package dev.cohort.tasks.internal;

import org.jspecify.annotations.NullMarked;

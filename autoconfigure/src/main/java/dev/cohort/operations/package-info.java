/**
 * One view of the whole cluster for the people who run it: its nodes, queues, workers,
 * recurring tasks, locks, rooms and connections, and the write operations an operator
 * needs. {@link dev.cohort.operations.ClusterOperations} is the one service behind both
 * doors, the {@code cluster} actuator endpoint and the dashboard.
 */
@NullMarked
package dev.cohort.operations;

import org.jspecify.annotations.NullMarked;

/**
 * The operations engine: {@code DefaultClusterOperations}, which reads and changes the
 * cluster through the capabilities this node has, and logs every write with its operator.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of {@code dev.cohort.operations} instead.
 */
@NullMarked
package dev.cohort.operations.internal;

import org.jspecify.annotations.NullMarked;

/**
 * The connections' engine: this node's WebSocket endpoint and connections, their outboxes
 * and inboxes, the rooms' delivery and middleware, and the reconciler that keeps the
 * directory right.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of {@code dev.cohort.connections} and {@code dev.cohort.chat} instead.
 */
@NullMarked
package dev.cohort.connections.internal;

import org.jspecify.annotations.NullMarked;

/**
 * {@link dev.cohort.connections.ClusterConnections}: WebSocket clients held by any node,
 * their directory, and the WebSocket endpoint.
 */
@NullMarked
package dev.cohort.connections;

import org.jspecify.annotations.NullMarked;

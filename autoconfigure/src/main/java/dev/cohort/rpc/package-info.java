/**
 * Remote procedure calls between nodes: {@link dev.cohort.rpc.ClusterRpc} and
 * {@link dev.cohort.rpc.ClusterRpcMethod}.
 */
@NullMarked
package dev.cohort.rpc;

import org.jspecify.annotations.NullMarked;

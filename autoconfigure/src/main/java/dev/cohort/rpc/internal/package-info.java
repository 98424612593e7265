/**
 * The RPC engine: the client that sends calls and matches replies, the server that runs
 * exposed methods on its own threads, their wire format, {@code DefaultClusterRpc}, and
 * the post-processor that exposes {@code @ClusterRpcMethod} methods.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of {@code dev.cohort.rpc} instead.
 */
@NullMarked
package dev.cohort.rpc.internal;

import org.jspecify.annotations.NullMarked;

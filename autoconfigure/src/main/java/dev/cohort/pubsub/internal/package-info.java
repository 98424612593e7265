/**
 * The pub/sub engine: {@code DefaultClusterPubSub} on the message bus, and the
 * post-processor that subscribes {@code @ClusterSubscription} methods.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of {@code dev.cohort.pubsub} instead.
 */
@NullMarked
package dev.cohort.pubsub.internal;

import org.jspecify.annotations.NullMarked;

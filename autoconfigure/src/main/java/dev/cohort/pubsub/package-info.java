/**
 * Typed messages between nodes: {@link dev.cohort.pubsub.ClusterPubSub} and
 * {@link dev.cohort.pubsub.ClusterSubscription}.
 */
@NullMarked
package dev.cohort.pubsub;

import org.jspecify.annotations.NullMarked;

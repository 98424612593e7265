/**
 * The messaging SPI: the transport that carries the cluster's messages between nodes, and
 * the reasons a node refuses one.
 */
@NullMarked
package dev.cohort.cluster.message;

import org.jspecify.annotations.NullMarked;

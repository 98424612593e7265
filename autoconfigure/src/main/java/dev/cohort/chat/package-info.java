/**
 * {@link dev.cohort.chat.ChatRooms}: rooms whose members are spread over the nodes. This
 * package is the rooms' API only and depends on nothing else of Cohort's but
 * {@code dev.cohort.cluster}. The rooms themselves live with the connections
 * ({@code dev.cohort.connections}): one {@code ConnectionStore} keeps both, so that a
 * dead node's connections and their room memberships are purged in one atomic step.
 */
@NullMarked
package dev.cohort.chat;

import org.jspecify.annotations.NullMarked;

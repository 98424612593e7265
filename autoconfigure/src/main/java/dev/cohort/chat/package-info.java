/**
 * {@link dev.cohort.chat.ChatRooms}: rooms whose members are spread over the nodes.
 */
@NullMarked
package dev.cohort.chat;

import org.jspecify.annotations.NullMarked;

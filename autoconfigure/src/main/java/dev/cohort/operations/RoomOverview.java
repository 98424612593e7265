package dev.cohort.operations;

/**
 * A chat room.
 *
 * @param name the room
 * @param members how many connections are in it, on every node
 */
public record RoomOverview(String name, long members) {
}

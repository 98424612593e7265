package dev.cohort.chat;

/**
 * How a room behaves, set when it is created ({@link ChatRooms#add(String, RoomOptions)})
 * and kept until it is destroyed.
 *
 * @param presence whether every member hears of each join and leave (a {@code join} or
 * {@code leave} frame to each member, so each join costs as many frames as the room has
 * members); when off, only the connection that joins or leaves hears of it, and
 * {@link ChatRooms#status} still lists the members
 */
public record RoomOptions(boolean presence) {

	/** The options of {@link ChatRooms#add(String)}: presence on. */
	public static final RoomOptions DEFAULTS = new RoomOptions(true);

	/**
	 * These options with presence on or off.
	 * @param presence whether every member hears of each join and leave
	 * @return the options
	 */
	public RoomOptions withPresence(boolean presence) {
		return new RoomOptions(presence);
	}

}

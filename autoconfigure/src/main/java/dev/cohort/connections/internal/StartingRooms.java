package dev.cohort.connections.internal;

import java.util.List;

import dev.cohort.chat.ChatRooms;
import dev.cohort.cluster.internal.ClusterMembership;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Creates the rooms of {@code cluster.chat.starting-rooms} when the node starts, once it
 * is a member, with the default options. Every node does: creating a room that exists
 * changes nothing, so the rooms are there whichever node starts first, and again after
 * someone destroyed one and a node restarts.
 */
public class StartingRooms implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(StartingRooms.class);

	private final ChatRooms rooms;

	private final List<String> names;

	private volatile boolean running;

	/**
	 * Creates the starter.
	 * @param rooms the chat rooms
	 * @param names the rooms to create
	 */
	public StartingRooms(ChatRooms rooms, List<String> names) {
		this.rooms = rooms;
		this.names = List.copyOf(names);
	}

	@Override
	public void start() {
		for (String name : this.names) {
			if (this.rooms.add(name)) {
				logger.info("Created starting room '" + name + "' (cluster.chat.starting-rooms)");
			}
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Once the node is a member, and before it takes clients.
		return ClusterMembership.PHASE + 1;
	}

}

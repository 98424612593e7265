package dev.cohort.sample.chat;

import dev.cohort.chat.ChatRooms;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the chat room {@value #LOBBY} at start-up, unless it exists already (rooms
 * belong to the cluster: the first node to start creates it, the others find it). Rooms
 * must exist before a connection can join them; the chat page ({@code /chat.html}) joins
 * this one by default.
 */
@Component
class ChatRoomsSetup implements ApplicationRunner {

	/** The room that every node makes sure exists. */
	static final String LOBBY = "lobby";

	private static final Log logger = LogFactory.getLog(ChatRoomsSetup.class);

	private final ObjectProvider<ChatRooms> chatRooms;

	ChatRoomsSetup(ObjectProvider<ChatRooms> chatRooms) {
		this.chatRooms = chatRooms;
	}

	@Override
	public void run(ApplicationArguments args) {
		// A node without ChatRooms (no connections capability) has nothing to set up.
		this.chatRooms.ifAvailable((rooms) -> {
			if (!rooms.exists(LOBBY) && rooms.add(LOBBY)) {
				logger.info("Created the chat room '" + LOBBY + "'");
			}
		});
	}

}

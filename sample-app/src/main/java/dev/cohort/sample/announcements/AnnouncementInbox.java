package dev.cohort.sample.announcements;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.cohort.pubsub.ClusterSubscription;
import dev.cohort.pubsub.MessageMetadata;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Keeps the last {@value #CAPACITY} announcements this node received, in memory.
 * <p>
 * The handler is an ordinary bean method annotated with {@link ClusterSubscription}:
 * Cohort maps the JSON payload to {@link Announcement} and passes the message's
 * {@link MessageMetadata} (origin node, target, time) as the second argument. Handlers
 * run on Cohort's delivery threads, so the inbox is synchronized.
 */
@Component
public class AnnouncementInbox {

	/** How many announcements are kept. */
	public static final int CAPACITY = 50;

	private static final Log logger = LogFactory.getLog(AnnouncementInbox.class);

	private final Deque<ReceivedAnnouncement> received = new ArrayDeque<>();

	private final AtomicLong receivedCount = new AtomicLong();

	private final Clock clock = Clock.systemUTC();

	@ClusterSubscription(Announcement.TYPE)
	void onAnnouncement(Announcement announcement, MessageMetadata metadata) {
		ReceivedAnnouncement entry = new ReceivedAnnouncement(announcement.text(), announcement.from(),
				metadata.origin(), metadata.target(), metadata.sentAt(), this.clock.instant());
		synchronized (this.received) {
			if (this.received.size() == CAPACITY) {
				this.received.removeLast();
			}
			this.received.addFirst(entry);
		}
		this.receivedCount.incrementAndGet();
		logger.info("Announcement from node '" + metadata.origin() + "': " + announcement.text());
	}

	/**
	 * How many announcements this node received since it started, including those no
	 * longer kept.
	 * @return the count
	 */
	public long receivedCount() {
		return this.receivedCount.get();
	}

	/**
	 * The announcements received, newest first.
	 * @return a snapshot of at most {@value #CAPACITY} announcements
	 */
	public List<ReceivedAnnouncement> received() {
		synchronized (this.received) {
			return new ArrayList<>(this.received);
		}
	}

}

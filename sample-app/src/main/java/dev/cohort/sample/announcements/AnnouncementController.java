package dev.cohort.sample.announcements;

import java.util.List;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.pubsub.ClusterPubSub;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Publishes announcements to the cluster and shows those this node received.
 */
@RestController
@RequestMapping("/announcements")
class AnnouncementController {

	private final ClusterPubSub pubSub;

	private final ClusterNodes clusterNodes;

	private final AnnouncementInbox inbox;

	AnnouncementController(ClusterPubSub pubSub, ClusterNodes clusterNodes, AnnouncementInbox inbox) {
		this.pubSub = pubSub;
		this.clusterNodes = clusterNodes;
		this.inbox = inbox;
	}

	/**
	 * Publishes an announcement to every node. Delivery is asynchronous and at most once,
	 * hence {@code 202 Accepted}.
	 * @param request the announcement, {@code {"text": "..."}}
	 * @return what was published
	 */
	@PostMapping
	ResponseEntity<Published> broadcast(@RequestBody Announcement request) {
		Announcement announcement = complete(request);
		this.pubSub.publish(Announcement.TYPE, announcement);
		return ResponseEntity.accepted().body(new Published("*", announcement));
	}

	/**
	 * Publishes an announcement to one node.
	 * @param nodeId the id of a live member
	 * @param request the announcement, {@code {"text": "..."}}
	 * @return what was published, or {@code 404} if no live member has that id
	 */
	@PostMapping("/{nodeId}")
	ResponseEntity<Published> send(@PathVariable String nodeId, @RequestBody Announcement request) {
		Announcement announcement = complete(request);
		try {
			this.pubSub.publishTo(nodeId, Announcement.TYPE, announcement);
		}
		catch (UnknownNodeException ex) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, ex.getMessage() + "; GET /cluster lists them");
		}
		return ResponseEntity.accepted().body(new Published(nodeId, announcement));
	}

	/**
	 * The announcements this node received, newest first.
	 * @return at most {@value AnnouncementInbox#CAPACITY} announcements
	 */
	@GetMapping
	List<ReceivedAnnouncement> received() {
		return this.inbox.received();
	}

	private Announcement complete(Announcement request) {
		if (!StringUtils.hasText(request.text())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'text' must not be empty");
		}
		String from = StringUtils.hasText(request.from()) ? request.from() : this.clusterNodes.self().id();
		return new Announcement(request.text(), from);
	}

	/**
	 * The answer to a publication.
	 *
	 * @param target {@code *} for every node, else the id of the target node
	 * @param announcement what was published
	 */
	record Published(String target, Announcement announcement) {

	}

}

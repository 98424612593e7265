package dev.cohort.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.cohort.cluster.NodeJoinedEvent;
import dev.cohort.cluster.NodeLeftEvent;
import dev.cohort.pubsub.ClusterSubscription;
import dev.cohort.pubsub.MessageMetadata;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Records the greetings and membership events a test node receives.
 */
public class Recorder {

	/** Greeting text that makes the handler throw. */
	public static final String FAIL = "fail";

	public final List<Greeting> greetings = new CopyOnWriteArrayList<>();

	public final List<MessageMetadata> metadata = new CopyOnWriteArrayList<>();

	public final List<NodeJoinedEvent> joined = new CopyOnWriteArrayList<>();

	public final List<NodeLeftEvent> left = new CopyOnWriteArrayList<>();

	/** The threads that ran the non-blocking handler of "greeting-non-blocking". */
	public final List<String> nonBlockingThreads = new CopyOnWriteArrayList<>();

	@ClusterSubscription(value = "greeting-non-blocking", blocking = false)
	void onGreetingNonBlocking(Greeting greeting) {
		this.nonBlockingThreads.add(Thread.currentThread().getName());
	}

	@ClusterSubscription("greeting")
	void onGreeting(Greeting greeting, MessageMetadata metadata) {
		if (FAIL.equals(greeting.text())) {
			throw new IllegalStateException("Handler failure for tests");
		}
		this.greetings.add(greeting);
		this.metadata.add(metadata);
	}

	/**
	 * Set to make the join listener throw after recording, as a faulty application's
	 * might.
	 */
	public static final String THROW_ON_JOIN = "test.recorder.throw-on-join";

	@Autowired
	private Environment environment;

	@EventListener
	void onJoined(NodeJoinedEvent event) {
		this.joined.add(event);
		if (this.environment.getProperty(THROW_ON_JOIN, Boolean.class, false)) {
			throw new IllegalStateException("Join listener failure for tests");
		}
	}

	@EventListener
	void onLeft(NodeLeftEvent event) {
		this.left.add(event);
	}

}

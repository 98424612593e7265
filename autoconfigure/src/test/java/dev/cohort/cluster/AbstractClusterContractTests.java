package dev.cohort.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.pubsub.Subscription;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.MessageCounters;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * What every transport must do for one node: the same tests run against Redis and the
 * local transport. One node serves every test of a class (starting one per test was most
 * of the suite's time) and forgets what it recorded before each; a test that needs a node
 * configured otherwise starts its own among the {@code extras}, in a namespace of their
 * own, closed after it.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractClusterContractTests {

	private TestNodes nodes;

	private TestNodes extras;

	private ConfigurableApplicationContext node;

	private ClusterPubSub pubSub;

	private Recorder recorder;

	private String self;

	/**
	 * Nodes on the transport under test.
	 * @return fresh nodes in a namespace of their own
	 */
	protected abstract TestNodes nodes();

	@BeforeAll
	void startNode() {
		this.nodes = nodes();
		this.node = this.nodes.start();
		this.pubSub = this.node.getBean(ClusterPubSub.class);
		this.recorder = this.node.getBean(Recorder.class);
		this.self = this.node.getBean(ClusterNodes.class).self().id();
	}

	@BeforeEach
	void forgetAndPrepareExtras() {
		this.recorder.greetings.clear();
		this.recorder.metadata.clear();
		this.extras = nodes();
	}

	@AfterEach
	void closeExtras() {
		this.extras.close();
	}

	@AfterAll
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void nodeIsItsOwnMember() {
		ClusterNodes clusterNodes = this.node.getBean(ClusterNodes.class);
		assertThat(clusterNodes.members()).extracting(NodeInfo::id).containsExactly(this.self);
		assertThat(clusterNodes.isMember(this.self)).isTrue();
		assertThat(clusterNodes.self().role()).isEqualTo(NodeRole.ALL);
		assertThat(clusterNodes.self().pid()).isEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void messageToOwnIdReachesAnnotatedHandlerWithTypedPayloadAndMetadata() {
		this.pubSub.publishTo(this.self, "greeting", new Greeting("hello", 7));
		await().until(() -> !this.recorder.greetings.isEmpty());
		assertThat(this.recorder.greetings).containsExactly(new Greeting("hello", 7));
		assertThat(this.recorder.metadata.get(0).origin()).isEqualTo(this.self);
		assertThat(this.recorder.metadata.get(0).target()).isEqualTo(this.self);
		assertThat(this.recorder.metadata.get(0).type()).isEqualTo("greeting");
	}

	@Test
	void handlersRunOnHandlerThreadsNeverOnTheCallerOrRedisIoThreads() {
		List<String> threads = new CopyOnWriteArrayList<>();
		this.pubSub.subscribe("where", String.class,
				(payload, metadata) -> threads.add(Thread.currentThread().getName()));
		this.pubSub.publishTo(this.self, "where", "am I");
		await().until(() -> !threads.isEmpty());
		assertThat(threads.get(0)).startsWith("cohort-handler-");
	}

	@Test
	void messageToUnknownNodeFailsAtOnce() {
		assertThatExceptionOfType(UnknownNodeException.class)
			.isThrownBy(() -> this.pubSub.publishTo("no-such-node", "greeting", new Greeting("lost", 0)))
			.withMessage("No live node has id 'no-such-node'");
	}

	@Test
	void ownBroadcastsDoNotReachOwnHandlersByDefault() {
		this.pubSub.publish("greeting", new Greeting("to everyone", 1));
		this.pubSub.publishTo(this.self, "greeting", new Greeting("to me", 2));
		await().until(() -> !this.recorder.greetings.isEmpty());
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.recorder.greetings.size() == 1);
		assertThat(this.recorder.greetings).containsExactly(new Greeting("to me", 2));
	}

	@Test
	void ownBroadcastsReachOwnHandlersWhenConfigured() {
		ConfigurableApplicationContext other = this.extras.start("cluster.pubsub.receive-own-broadcasts=true");
		other.getBean(ClusterPubSub.class).publish("greeting", new Greeting("echo", 3));
		Recorder otherRecorder = other.getBean(Recorder.class);
		await().until(() -> otherRecorder.greetings.contains(new Greeting("echo", 3)));
	}

	@Test
	void handlerThatThrowsIsCountedAndOtherHandlersStillRun() {
		List<Greeting> programmatic = new CopyOnWriteArrayList<>();
		Subscription subscription = this.pubSub.subscribe("greeting", Greeting.class,
				(greeting, metadata) -> programmatic.add(greeting));
		double failuresBefore = handlerFailures("greeting");
		this.pubSub.publishTo(this.self, "greeting", new Greeting(Recorder.FAIL, 0));
		await().until(() -> programmatic.size() == 1);
		await().until(() -> handlerFailures("greeting") == failuresBefore + 1);
		this.pubSub.publishTo(this.self, "greeting", new Greeting("after", 1));
		await().until(() -> this.recorder.greetings.contains(new Greeting("after", 1)));
		subscription.cancel();
	}

	@Test
	void payloadThatDoesNotMapIsCountedAndNextMessageIsHandled() {
		double failuresBefore = handlerFailures("greeting");
		this.pubSub.publishTo(this.self, "greeting", List.of("not", "a", "greeting"));
		await().until(() -> handlerFailures("greeting") == failuresBefore + 1);
		this.pubSub.publishTo(this.self, "greeting", new Greeting("fine", 2));
		await().until(() -> this.recorder.greetings.contains(new Greeting("fine", 2)));
	}

	@Test
	void genericPayloadsMapToTheDeclaredType() {
		List<List<Greeting>> received = new CopyOnWriteArrayList<>();
		this.pubSub.subscribe("greetings", new ParameterizedTypeReference<List<Greeting>>() {
		}, (payload, metadata) -> received.add(payload));
		this.pubSub.publishTo(this.self, "greetings", List.of(new Greeting("a", 1), new Greeting("b", 2)));
		await().until(() -> !received.isEmpty());
		assertThat(received.get(0)).containsExactly(new Greeting("a", 1), new Greeting("b", 2));
	}

	@Test
	void cancelledSubscriptionReceivesNothingMore() {
		List<String> received = new CopyOnWriteArrayList<>();
		Subscription subscription = this.pubSub.subscribe("word", String.class, (word, metadata) -> received.add(word));
		this.pubSub.publishTo(this.self, "word", "one");
		await().until(() -> received.contains("one"));
		subscription.cancel();
		subscription.cancel();
		this.pubSub.publishTo(this.self, "word", "two");
		this.pubSub.publishTo(this.self, "greeting", new Greeting("marker", 0));
		await().until(() -> this.recorder.greetings.contains(new Greeting("marker", 0)));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> received.size() == 1);
	}

	@Test
	void reservedTypesAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.pubSub.publish("cohort.node.left", "x"))
			.withMessageContaining("reserved");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.pubSub.subscribe("cohort.node.left", String.class, (payload, metadata) -> {
			}))
			.withMessageContaining("reserved");
	}

	@Test
	void oneHandlerThreadHandlesEachPublishersMessagesInOrder() {
		ConfigurableApplicationContext ordered = this.extras.start("cluster.pubsub.handler-threads=1");
		String orderedId = ordered.getBean(ClusterNodes.class).self().id();
		ClusterPubSub orderedPubSub = ordered.getBean(ClusterPubSub.class);
		List<Integer> handled = new CopyOnWriteArrayList<>();
		orderedPubSub.subscribe("numbered", Integer.class, (number, metadata) -> handled.add(number));
		List<Integer> sent = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			orderedPubSub.publishTo(orderedId, "numbered", i);
			sent.add(i);
		}
		await().until(() -> handled.size() == sent.size());
		assertThat(handled).containsExactlyElementsOf(sent);
	}

	@Test
	void messagesBeyondTheHandlerQueueAreDroppedAndCounted() {
		ConfigurableApplicationContext small = this.extras.start("cluster.pubsub.handler-threads=1",
				"cluster.pubsub.queue-capacity=1");
		String smallId = small.getBean(ClusterNodes.class).self().id();
		ClusterPubSub smallPubSub = small.getBean(ClusterPubSub.class);
		CountDownLatch release = new CountDownLatch(1);
		List<Integer> handled = new CopyOnWriteArrayList<>();
		smallPubSub.subscribe("slow", Integer.class, (number, metadata) -> {
			handled.add(number);
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		smallPubSub.publishTo(smallId, "slow", 1);
		await().until(() -> handled.size() == 1);
		for (int i = 2; i <= 5; i++) {
			smallPubSub.publishTo(smallId, "slow", i);
		}
		MeterRegistry registry = small.getBean(MeterRegistry.class);
		await().until(() -> MessageCounters.count(registry, "cohort.messages.dropped", "slow") == 3.0);
		release.countDown();
		await().until(() -> handled.size() == 2);
		assertThat(handled).containsExactly(1, 2);
	}

	private double handlerFailures(String type) {
		return MessageCounters.count(this.node.getBean(MeterRegistry.class), "cohort.messages.handler.failures", type);
	}

}

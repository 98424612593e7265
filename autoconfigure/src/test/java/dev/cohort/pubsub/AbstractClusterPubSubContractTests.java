package dev.cohort.pubsub;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.MessageCounters;
import dev.cohort.testapp.Recorder;
import dev.cohort.testapp.TestNodes;
import io.micrometer.core.instrument.Counter;
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
 * What ClusterPubSub does on one node, the same on every transport. Messages from one
 * publisher are handled in the order it published them, so a marker sent last tells that
 * whatever was sent before it was handled, or never will be. One node serves every test
 * of a class (starting one per test was most of the suite's time) and forgets what it
 * recorded before each; a test that needs a node configured otherwise starts its own
 * among the {@code extras}, in a namespace of their own, closed after it.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractClusterPubSubContractTests {

	private static final String ONE_HANDLER_THREAD = "cluster.pubsub.handler-threads=1";

	private TestNodes nodes;

	private TestNodes extras;

	private ConfigurableApplicationContext node;

	private ClusterPubSub pubSub;

	private String self;

	protected abstract TestNodes nodes();

	@BeforeAll
	void startNode() {
		this.nodes = nodes();
		this.node = this.nodes.start(ONE_HANDLER_THREAD);
		this.pubSub = this.node.getBean(ClusterPubSub.class);
		this.self = this.node.getBean(ClusterNodes.class).self().id();
	}

	@BeforeEach
	void forgetAndPrepareExtras() {
		Recorder recorder = this.node.getBean(Recorder.class);
		recorder.greetings.clear();
		recorder.metadata.clear();
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
	void aMessageToTheNodesOwnIdReachesItsHandlersWithItsMetadata() {
		this.pubSub.publishTo(this.self, "greeting", new Greeting("me", 1));
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("me", 1)));
		MessageMetadata metadata = recorder.metadata.get(0);
		assertThat(metadata.type()).isEqualTo("greeting");
		assertThat(metadata.origin()).isEqualTo(this.self);
		assertThat(metadata.target()).isEqualTo(this.self);
		assertThat(metadata.id()).isNotEmpty();
		assertThat(metadata.sentAt()).isNotNull();
	}

	@Test
	void aNodesOwnBroadcastsDoNotReachItByDefault() {
		this.pubSub.publish("greeting", new Greeting("everyone", 1));
		this.pubSub.publishTo(this.self, "greeting", new Greeting("marker", 2));
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("marker", 2)));
		assertThat(recorder.greetings).containsExactly(new Greeting("marker", 2));
	}

	@Test
	void aNodeSetToReceiveItsOwnBroadcastsDoes() {
		ConfigurableApplicationContext own = this.extras.start(ONE_HANDLER_THREAD,
				"cluster.pubsub.receive-own-broadcasts=true");
		own.getBean(ClusterPubSub.class).publish("greeting", new Greeting("echo", 1));
		Recorder recorder = own.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("echo", 1)));
		assertThat(recorder.metadata.get(0).target()).isEqualTo("*");
	}

	@Test
	void messagesFromOnePublisherAreHandledInOrderByOneHandlerThread() {
		for (int i = 0; i < 50; i++) {
			this.pubSub.publishTo(this.self, "greeting", new Greeting("n", i));
		}
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.size() == 50);
		assertThat(recorder.greetings).extracting(Greeting::number)
			.containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
	}

	@Test
	void handlersSubscribedInCodeGetTypedPayloadsUntilCancelled() {
		List<Greeting> byClass = new CopyOnWriteArrayList<>();
		List<List<Greeting>> byGenericType = new CopyOnWriteArrayList<>();
		Subscription first = this.pubSub.subscribe("one", Greeting.class, (payload, metadata) -> byClass.add(payload));
		this.pubSub.subscribe("many", new ParameterizedTypeReference<List<Greeting>>() {
		}, (payload, metadata) -> byGenericType.add(payload));
		this.pubSub.publishTo(this.self, "one", new Greeting("a", 1));
		this.pubSub.publishTo(this.self, "many", List.of(new Greeting("b", 2), new Greeting("c", 3)));
		await().until(() -> byClass.size() == 1 && byGenericType.size() == 1);
		assertThat(byClass).containsExactly(new Greeting("a", 1));
		assertThat(byGenericType.get(0)).containsExactly(new Greeting("b", 2), new Greeting("c", 3));
		first.cancel();
		first.cancel();
		this.pubSub.publishTo(this.self, "one", new Greeting("late", 4));
		this.pubSub.publishTo(this.self, "greeting", new Greeting("marker", 5));
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("marker", 5)));
		assertThat(byClass).as("cancelled").containsExactly(new Greeting("a", 1));
	}

	@Test
	void handlersThatPromiseNotToBlockRunOnTheReceivingThreadAndMayPublishAsynchronously() {
		List<String> threads = new CopyOnWriteArrayList<>();
		List<Greeting> answers = new CopyOnWriteArrayList<>();
		Subscription questions = this.pubSub.subscribeNonBlocking("question", Greeting.class, (question, metadata) -> {
			threads.add(Thread.currentThread().getName());
			this.pubSub.publishToAsync(metadata.origin(), "answer", new Greeting("re: " + question.text(), 1));
		});
		Subscription answered = this.pubSub.subscribeNonBlocking("answer", new ParameterizedTypeReference<Greeting>() {
		}, (answer, metadata) -> answers.add(answer));
		this.pubSub.publishTo(this.self, "question", new Greeting("why", 1));
		this.pubSub.publishAsync("greeting-non-blocking", new Greeting("to all", 2)).join();
		this.pubSub.publishToAsync(this.self, "greeting-non-blocking", new Greeting("to me", 3)).join();
		await().until(() -> answers.size() == 1);
		assertThat(answers).containsExactly(new Greeting("re: why", 1));
		assertThat(threads).singleElement().asString().doesNotStartWith("cohort-handler-");
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> !recorder.nonBlockingThreads.isEmpty());
		assertThat(recorder.nonBlockingThreads)
			.allSatisfy((thread) -> assertThat(thread).doesNotStartWith("cohort-handler-"));
		assertThatExceptionOfType(UnknownNodeException.class)
			.isThrownBy(() -> this.pubSub.publishToAsync("no-such-node", "answer", new Greeting("x", 1)));
		questions.cancel();
		answered.cancel();
	}

	@Test
	void aHandlerThatThrowsDoesNotStopTheMessagesAfter() {
		this.pubSub.publishTo(this.self, "greeting", new Greeting(Recorder.FAIL, 1));
		this.pubSub.publishTo(this.self, "greeting", new Greeting("after", 2));
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("after", 2)));
		assertThat(recorder.greetings).containsExactly(new Greeting("after", 2));
	}

	@Test
	void aPayloadThatDoesNotMapDoesNotStopTheMessagesAfter() {
		List<Integer> numbers = new CopyOnWriteArrayList<>();
		this.pubSub.subscribe("number", Integer.class, (payload, metadata) -> numbers.add(payload));
		this.pubSub.publishTo(this.self, "number", new Greeting("not a number", 1));
		this.pubSub.publishTo(this.self, "number", 7);
		await().until(() -> numbers.contains(7));
		assertThat(numbers).containsExactly(7);
	}

	@Test
	void aTypeThatNoHandlerKnowsIsCountedAndIgnored() {
		// What a node of the previous version does with a type that only the next version
		// publishes, during a rolling restart: it accepts the message, counts it by type,
		// runs nothing, and goes on with the messages after it.
		this.pubSub.publishTo(this.self, "from-a-newer-version", new Greeting("new", 1));
		this.pubSub.publishTo(this.self, "greeting", new Greeting("marker", 2));
		Recorder recorder = this.node.getBean(Recorder.class);
		await().until(() -> recorder.greetings.contains(new Greeting("marker", 2)));
		assertThat(recorder.greetings).containsExactly(new Greeting("marker", 2));
		MeterRegistry registry = this.node.getBean(MeterRegistry.class);
		await().untilAsserted(() -> assertThat(
				registry.find("cohort.messages.accepted").tag("type", "from-a-newer-version").counter())
			.isNotNull()
			.extracting(Counter::count)
			.isEqualTo(1.0));
		assertThat(registry.find("cohort.messages.handler.failures").tag("type", "from-a-newer-version").counter())
			.isNull();
		assertThat(registry.find("cohort.messages.dropped").tag("type", "from-a-newer-version").counter()).isNull();
	}

	@Test
	void aPayloadOfANeighbouringVersionMapsUnlessItLacksAPrimitive() {
		Recorder recorder = this.node.getBean(Recorder.class);
		double failuresBefore = handlerFailures("greeting");
		// A newer sender's payload with a property this version does not have: ignored.
		this.pubSub.publishTo(this.self, "greeting", Map.of("text", "newer", "number", 1, "addedLater", true));
		// An older sender's payload without a property that is a primitive here: does not
		// map (Jackson 3 fails on null for primitives), and counts as a handler failure.
		this.pubSub.publishTo(this.self, "greeting", Map.of("text", "older"));
		this.pubSub.publishTo(this.self, "greeting", new Greeting("marker", 2));
		await().until(() -> recorder.greetings.contains(new Greeting("marker", 2)));
		assertThat(recorder.greetings).containsExactly(new Greeting("newer", 1), new Greeting("marker", 2));
		assertThat(handlerFailures("greeting")).isEqualTo(failuresBefore + 1);
	}

	private double handlerFailures(String type) {
		return MessageCounters.count(this.node.getBean(MeterRegistry.class), "cohort.messages.handler.failures", type);
	}

	@Test
	void badMessagesAreRefusedAtTheSender() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.pubSub.publish("cohort.mine", "x"))
			.withMessageContaining("reserved");
		assertThatIllegalArgumentException().isThrownBy(() -> this.pubSub.publish("", "x"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.pubSub.publish("greeting", null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.pubSub.publishTo("*", "greeting", "x"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.pubSub.subscribe("cohort.mine", String.class, (payload, metadata) -> {
			}));
		assertThatExceptionOfType(UnknownNodeException.class)
			.isThrownBy(() -> this.pubSub.publishTo("no-such-node", "greeting", "x"));
		String big = "x".repeat(2 * 1024 * 1024);
		assertThatIllegalArgumentException().isThrownBy(() -> this.pubSub.publish("greeting", new Greeting(big, 1)))
			.withMessageContaining("cluster.messages.max-size");
	}

}

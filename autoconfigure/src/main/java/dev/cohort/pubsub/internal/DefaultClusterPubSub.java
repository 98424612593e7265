package dev.cohort.pubsub.internal;

import java.lang.reflect.Type;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.cohort.cluster.ClusterException;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.cluster.message.internal.ClusterBus;
import dev.cohort.cluster.message.internal.Envelope;
import dev.cohort.pubsub.ClusterMessageHandler;
import dev.cohort.pubsub.ClusterPubSub;
import dev.cohort.pubsub.MessageMetadata;
import dev.cohort.pubsub.Subscription;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.Assert;

/**
 * {@link ClusterPubSub} on the {@link ClusterBus}, the same for every transport.
 */
public class DefaultClusterPubSub implements ClusterPubSub {

	private final ClusterBus bus;

	private final ClusterNodes nodes;

	private final JsonMapper mapper;

	/**
	 * Creates the pub/sub of one node.
	 * @param bus carries the messages
	 * @param nodes tells which nodes are live
	 * @param mapper maps payloads to and from JSON
	 */
	public DefaultClusterPubSub(ClusterBus bus, ClusterNodes nodes, JsonMapper mapper) {
		this.bus = bus;
		this.nodes = nodes;
		this.mapper = mapper;
	}

	@Override
	public void publish(String type, Object payload) {
		send(type, Envelope.ALL, payload);
	}

	@Override
	public void publishTo(String nodeId, String type, Object payload) {
		checkTarget(nodeId);
		send(type, nodeId, payload);
	}

	private void checkTarget(String nodeId) {
		Assert.hasText(nodeId, "'nodeId' must not be empty");
		Assert.isTrue(!Envelope.ALL.equals(nodeId), "'nodeId' must name one node; use publish to reach all");
		if (!this.nodes.isReachable(nodeId)) {
			throw new UnknownNodeException(nodeId);
		}
	}

	@Override
	public CompletableFuture<Void> publishToAsync(String nodeId, String type, Object payload) {
		checkTarget(nodeId);
		checkType(type);
		Assert.notNull(payload, "'payload' must not be null");
		return this.bus.sendAsync(type, nodeId, this.mapper.writeValueAsString(payload));
	}

	@Override
	public CompletableFuture<Void> publishAsync(String type, Object payload) {
		checkType(type);
		Assert.notNull(payload, "'payload' must not be null");
		return this.bus.sendAsync(type, Envelope.ALL, this.mapper.writeValueAsString(payload));
	}

	private void send(String type, String target, Object payload) {
		checkType(type);
		Assert.notNull(payload, "'payload' must not be null");
		this.bus.send(type, target, this.mapper.writeValueAsString(payload));
	}

	@Override
	public <T> Subscription subscribe(String type, Class<T> payloadType, ClusterMessageHandler<T> handler) {
		return subscribe(type, (Type) payloadType, handler);
	}

	@Override
	public <T> Subscription subscribe(String type, ParameterizedTypeReference<T> payloadType,
			ClusterMessageHandler<T> handler) {
		return subscribe(type, payloadType.getType(), handler);
	}

	@Override
	public <T> Subscription subscribeNonBlocking(String type, Class<T> payloadType, ClusterMessageHandler<T> handler) {
		return subscribe(type, payloadType, handler, false);
	}

	@Override
	public <T> Subscription subscribeNonBlocking(String type, ParameterizedTypeReference<T> payloadType,
			ClusterMessageHandler<T> handler) {
		return subscribe(type, payloadType.getType(), handler, false);
	}

	private <T> Subscription subscribe(String type, Type payloadType, ClusterMessageHandler<T> handler) {
		return subscribe(type, payloadType, handler, true);
	}

	private <T> Subscription subscribe(String type, Type payloadType, ClusterMessageHandler<T> handler,
			boolean blocking) {
		checkType(type);
		Assert.notNull(payloadType, "'payloadType' must not be null");
		Assert.notNull(handler, "'handler' must not be null");
		JavaType javaType = this.mapper.constructType(payloadType);
		// One reader per subscription: it finds the payload's deserializer once.
		ObjectReader reader = this.mapper.readerFor(javaType);
		Consumer<Envelope> handle = (envelope) -> handler.handle(read(envelope, reader, javaType), metadata(envelope));
		ClusterBus.Registration registration = blocking ? this.bus.subscribe(type, handle)
				: this.bus.subscribeInline(type, handle);
		return registration::cancel;
	}

	private static <T> T read(Envelope envelope, ObjectReader reader, JavaType javaType) {
		try {
			return reader.readValue(envelope.body());
		}
		catch (JacksonException ex) {
			throw new ClusterException("Message " + envelope.id() + " of type '" + envelope.type() + "' from node '"
					+ envelope.origin() + "' does not map to " + javaType + ": " + ex.getOriginalMessage());
		}
	}

	private static MessageMetadata metadata(Envelope envelope) {
		return new MessageMetadata(envelope.id(), envelope.type(), envelope.origin(), envelope.target(),
				Instant.ofEpochMilli(envelope.timestamp()));
	}

	private static void checkType(String type) {
		Assert.hasText(type, "'type' must not be empty");
		Assert.isTrue(!type.startsWith(ClusterBus.INTERNAL_PREFIX), () -> "Message type '" + type
				+ "' is reserved: types starting with '" + ClusterBus.INTERNAL_PREFIX + "' belong to Cohort");
	}

}

package dev.cohort.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What every node answered to a broadcast, by node id.
 *
 * @param <T> the result type
 * @param outcomes each called node's outcome, in the order of the node ids
 */
public record BroadcastResult<T>(Map<String, Outcome<T>> outcomes) {

	public BroadcastResult {
		outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
	}

	/**
	 * The values of the nodes that answered with one.
	 * @return node id to value
	 */
	public Map<String, @Nullable T> values() {
		Map<String, @Nullable T> values = new LinkedHashMap<>();
		this.outcomes.forEach((node, outcome) -> {
			if (outcome instanceof Value<T> value) {
				values.put(node, value.value());
			}
		});
		return values;
	}

	/**
	 * One node's outcome.
	 * @param nodeId the node
	 * @return its outcome, or empty if it was not called
	 */
	public Optional<Outcome<T>> outcome(String nodeId) {
		return Optional.ofNullable(this.outcomes.get(nodeId));
	}

	/**
	 * Whether every called node answered with a value.
	 * @return {@code true} if none failed or stayed silent
	 */
	public boolean allSucceeded() {
		return this.outcomes.values().stream().allMatch(Value.class::isInstance);
	}

	/**
	 * What one node did.
	 *
	 * @param <T> the result type
	 */
	public sealed interface Outcome<T> permits Value, Failure, NoAnswer {

	}

	/**
	 * The node answered with a value.
	 *
	 * @param <T> the result type
	 * @param value the value
	 */
	public record Value<T>(@Nullable T value) implements Outcome<T> {

	}

	/**
	 * The node answered with an error.
	 *
	 * @param <T> the result type
	 * @param error the error
	 */
	public record Failure<T>(RemoteCallException error) implements Outcome<T> {

	}

	/**
	 * The node did not answer within the timeout.
	 *
	 * @param <T> the result type
	 */
	public record NoAnswer<T>() implements Outcome<T> {

	}

}

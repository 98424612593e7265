package dev.cohort.sample.rpc;

import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;

import dev.cohort.cluster.UnknownNodeException;
import dev.cohort.rpc.BroadcastResult;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.RemoteCallException;
import dev.cohort.rpc.RpcTimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Calls the {@code node-status} RPC method on every node, or on one node.
 * <p>
 * Both endpoints take an optional {@code timeout} ({@code 500ms}, {@code 2s}, ...), which
 * replaces {@code cluster.rpc-timeout} for that call. They wait for the answers on the
 * request thread with {@code get()}: that is fine here, but a callback attached with
 * {@code thenApply} or {@code whenComplete} may run on a Redis I/O thread, where it must
 * not block.
 */
@RestController
@RequestMapping("/rpc")
class RpcController {

	private final ClusterRpc rpc;

	RpcController(ClusterRpc rpc) {
		this.rpc = rpc;
	}

	/**
	 * Asks every live node, this one included, for its status. A node that fails or does
	 * not answer in time is listed with its outcome instead of failing the whole request.
	 * @param timeout how long to wait for the answers
	 * @return every node's outcome
	 */
	@GetMapping("/status")
	ClusterStatus status(@RequestParam(required = false) @Nullable String timeout) throws InterruptedException {
		BroadcastResult<NodeStatus> result;
		try {
			result = rpc(timeout).broadcast(NodeStatusMethods.NODE_STATUS, NodeStatus.class).get();
		}
		catch (ExecutionException ex) {
			// A broadcast never completes exceptionally for a node's failure.
			throw new IllegalStateException(ex.getCause());
		}
		return new ClusterStatus(result.outcomes()
			.entrySet()
			.stream()
			.map((entry) -> NodeOutcome.of(entry.getKey(), entry.getValue()))
			.sorted(Comparator.comparing(NodeOutcome::nodeId))
			.toList(), result.allSucceeded());
	}

	/**
	 * Asks one node for its status.
	 * @param nodeId the node
	 * @param timeout how long to wait for the answer
	 * @return the node's status; {@code 404} if no live node has that id, {@code 504} if
	 * it did not answer in time, {@code 503} if it was too busy, {@code 502} if it
	 * answered with another error
	 */
	@GetMapping("/status/{nodeId}")
	NodeStatus status(@PathVariable String nodeId, @RequestParam(required = false) @Nullable String timeout)
			throws InterruptedException {
		try {
			return rpc(timeout).call(nodeId, NodeStatusMethods.NODE_STATUS, NodeStatus.class).get();
		}
		catch (ExecutionException ex) {
			throw asResponse(ex.getCause());
		}
	}

	private ClusterRpc rpc(@Nullable String timeout) {
		if (timeout == null) {
			return this.rpc;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(timeout);
		}
		catch (IllegalArgumentException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'timeout' is not a duration such as 500ms");
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "'timeout' must be positive");
		}
		return this.rpc.withTimeout(duration);
	}

	private static RuntimeException asResponse(Throwable failure) {
		if (failure instanceof UnknownNodeException ex) {
			return new ResponseStatusException(HttpStatus.NOT_FOUND, ex.getMessage() + "; GET /cluster lists them");
		}
		if (failure instanceof RpcTimeoutException ex) {
			return new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, ex.getMessage());
		}
		if (failure instanceof RemoteCallException ex) {
			HttpStatus status = (ex.getKind() == RemoteCallException.Kind.BUSY) ? HttpStatus.SERVICE_UNAVAILABLE
					: HttpStatus.BAD_GATEWAY;
			return new ResponseStatusException(status, ex.getMessage());
		}
		return (failure instanceof RuntimeException ex) ? ex : new IllegalStateException(failure);
	}

}

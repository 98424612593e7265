package dev.cohort.rpc.internal;

import java.util.List;

import dev.cohort.rpc.RemoteCallException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The bodies of RPC messages. A request names the call (unique per calling process), the
 * method, its arguments and the caller's deadline; a reply names the call and the method
 * and carries the value or the error.
 */
final class RpcWire {

	static final String REQUEST = "cohort.rpc.request";

	static final String REPLY = "cohort.rpc.reply";

	private RpcWire() {
	}

	/**
	 * A call.
	 *
	 * @param call the call id
	 * @param method the method name
	 * @param args the arguments as JSON
	 * @param reply whether the caller waits for a reply
	 * @param deadline when the caller gives up, on the cluster clock (ms since the
	 * epoch); {@code null} for fire-and-forget requests, and from older nodes
	 */
	record Request(@Nullable String call, @Nullable String method, @Nullable List<JsonNode> args, boolean reply,
			@Nullable Long deadline) {

	}

	/**
	 * The answer to a call.
	 *
	 * @param call the call id
	 * @param method the name of the method called, as the request gave it
	 * @param value the result, when there is no error
	 * @param error what went wrong, or {@code null}
	 */
	record Reply(@Nullable String call, @Nullable String method, @Nullable JsonNode value, @Nullable Error error) {

	}

	/**
	 * What went wrong on the called node.
	 *
	 * @param kind the kind, see {@link RemoteCallException.Kind#tag()}
	 * @param type the class name of the exception, if the method ran
	 * @param message the message
	 * @param stack the stack trace, if the called node sends them
	 */
	record Error(String kind, @Nullable String type, String message, @Nullable String stack) {

	}

}

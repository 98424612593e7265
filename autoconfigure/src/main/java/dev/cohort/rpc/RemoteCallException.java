package dev.cohort.rpc;

import org.jspecify.annotations.Nullable;

/**
 * The called node answered with an error.
 */
public class RemoteCallException extends ClusterRpcException {

	private final Kind kind;

	private final @Nullable String exceptionType;

	private final @Nullable String remoteStackTrace;

	public RemoteCallException(Kind kind, String method, String nodeId, @Nullable String exceptionType, String message,
			@Nullable String remoteStackTrace) {
		super("Call of '" + method + "' on node '" + nodeId + "' failed (" + kind.tag() + ")"
				+ ((exceptionType != null) ? ": " + exceptionType : "") + ": " + message, method, nodeId);
		this.kind = kind;
		this.exceptionType = exceptionType;
		this.remoteStackTrace = remoteStackTrace;
	}

	/**
	 * What went wrong.
	 * @return the kind
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * The class name of the exception the remote method threw.
	 * @return the class name, or {@code null} if it did not run
	 */
	public @Nullable String getExceptionType() {
		return this.exceptionType;
	}

	/**
	 * The remote stack trace, if the called node is configured to send it
	 * ({@code cluster.rpc.send-stack-traces}).
	 * @return the stack trace, or {@code null}
	 */
	public @Nullable String getRemoteStackTrace() {
		return this.remoteStackTrace;
	}

	/**
	 * What went wrong on the called node.
	 */
	public enum Kind {

		/** No method is exposed under that name. */
		UNKNOWN_METHOD,

		/** The arguments do not map to the method's parameters. */
		BAD_ARGUMENTS,

		/** The method threw. */
		FAILED,

		/** The node's RPC threads and queue are full. */
		BUSY;

		/**
		 * The value used on the wire and in metric tags.
		 * @return the lower-case, hyphenated name
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}

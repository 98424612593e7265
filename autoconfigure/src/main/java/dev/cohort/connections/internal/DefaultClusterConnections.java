package dev.cohort.connections.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import dev.cohort.chat.ChatRefusedException;
import dev.cohort.chat.ChatRoomException;
import dev.cohort.cluster.ClusterException;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionInfo;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.connections.SignInRefusedException;
import dev.cohort.rpc.BroadcastResult;
import dev.cohort.rpc.ClusterRpc;
import dev.cohort.rpc.RemoteCallException;
import dev.cohort.rpc.RpcMethods;
import dev.cohort.rpc.UnknownConnectionException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * {@link ClusterConnections} on the directory and RPC: an operation on a connection this
 * node holds runs here; on another's, it is one RPC call to that node, found in the
 * directory.
 */
public class DefaultClusterConnections implements ClusterConnections {

	static final String APPLY = "cohort.connections.apply";

	static final String LIST = "cohort.connections.list";

	private final ConnectionHub hub;

	private final ConnectionStore store;

	private final ClusterNodes nodes;

	private final ClusterRpc rpc;

	public DefaultClusterConnections(ConnectionHub hub, ConnectionStore store, ClusterNodes nodes, ClusterRpc rpc,
			RpcMethods methods) {
		this.hub = hub;
		this.store = store;
		this.nodes = nodes;
		this.rpc = rpc;
		methods.expose(APPLY, this, method("applyHere", String.class, ConnectionOperation.class));
		methods.expose(LIST, this, method("listHere"));
	}

	private static Method method(String name, Class<?>... parameterTypes) {
		Method method = ReflectionUtils.findMethod(DefaultClusterConnections.class, name, parameterTypes);
		if (method == null) {
			throw new IllegalStateException("DefaultClusterConnections has no method '" + name + "' to expose");
		}
		ReflectionUtils.makeAccessible(method);
		return method;
	}

	@Override
	public ConnectionInfo apply(String connectionId) {
		LocalConnection local = this.hub.local(connectionId);
		if (local != null) {
			return local.info(this.hub.nodeId());
		}
		return remote(connectionId, null);
	}

	@Override
	public ConnectionInfo apply(String connectionId, ConnectionOperation operation) {
		LocalConnection local = this.hub.local(connectionId);
		if (local != null) {
			return this.hub.apply(local, operation);
		}
		return remote(connectionId, operation);
	}

	private ConnectionInfo remote(String connectionId, @Nullable ConnectionOperation operation) {
		String nodeId = this.store.nodeOf(connectionId)
			.filter(this.nodes::isMember)
			.orElseThrow(() -> new UnknownConnectionException(connectionId));
		if (nodeId.equals(this.hub.nodeId())) {
			// The directory says here, but this node no longer holds it.
			throw new UnknownConnectionException(connectionId);
		}
		try {
			return await(this.rpc.call(nodeId, APPLY, ConnectionInfo.class, connectionId, operation));
		}
		catch (RemoteCallException ex) {
			throw translated(ex, connectionId);
		}
	}

	/**
	 * Turns the errors a holding node raised back into their own exceptions.
	 */
	private static RuntimeException translated(RemoteCallException ex, String connectionId) {
		String type = ex.getExceptionType();
		String remoteMessage = ex.getMessage();
		String message = (remoteMessage != null) ? remoteMessage : "";
		if (UnknownConnectionException.class.getName().equals(type)) {
			return new UnknownConnectionException(connectionId);
		}
		if (ChatRefusedException.class.getName().equals(type)) {
			return new ChatRefusedException(message);
		}
		if (SignInRefusedException.class.getName().equals(type)) {
			return new SignInRefusedException(message);
		}
		if (ChatRoomException.class.getName().equals(type)) {
			return new ChatRoomException(message.contains("is not in room") ? "not-member" : "no-such-room", message);
		}
		return ex;
	}

	@Override
	public List<ConnectionInfo> connectionsOf(String user) {
		return eachOfUser(user, this::apply);
	}

	@Override
	public List<ConnectionInfo> applyToUser(String user, ConnectionOperation operation) {
		return eachOfUser(user, (connectionId) -> apply(connectionId, operation));
	}

	/**
	 * Runs an action on each connection the directory lists for a user, leaving out those
	 * that closed meanwhile.
	 */
	private List<ConnectionInfo> eachOfUser(String user, Function<String, ConnectionInfo> action) {
		List<ConnectionInfo> infos = new ArrayList<>();
		for (String connectionId : this.store.connectionsOfUser(user).keySet()) {
			try {
				infos.add(action.apply(connectionId));
			}
			catch (UnknownConnectionException ex) {
				// It closed since the directory was read.
			}
		}
		return infos;
	}

	@Override
	public List<ConnectionInfo> list() {
		List<ConnectionInfo> all = new ArrayList<>(this.hub.localInfos());
		BroadcastResult<ConnectionInfo[]> others = await(
				this.rpc.excludingSelf().broadcast(LIST, ConnectionInfo[].class));
		others.values().values().forEach((infos) -> {
			if (infos != null) {
				all.addAll(Arrays.asList(infos));
			}
		});
		return all;
	}

	@Override
	public List<ConnectionInfo> listOn(String nodeId) {
		if (nodeId.equals(this.hub.nodeId())) {
			return this.hub.localInfos();
		}
		if (!this.nodes.isMember(nodeId)) {
			return List.of();
		}
		return Arrays.asList(await(this.rpc.call(nodeId, LIST, ConnectionInfo[].class)));
	}

	@Override
	public long count(String nodeId) {
		return this.store.connectionCount(nodeId);
	}

	ConnectionInfo applyHere(String connectionId, ConnectionOperation operation) {
		LocalConnection local = this.hub.local(connectionId);
		if (local == null) {
			throw new UnknownConnectionException(connectionId);
		}
		return (operation != null) ? this.hub.apply(local, operation) : local.info(this.hub.nodeId());
	}

	ConnectionInfo[] listHere() {
		return this.hub.localInfos().toArray(ConnectionInfo[]::new);
	}

	private static <T> T await(CompletableFuture<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ClusterException("Interrupted while waiting for another node", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new ClusterException("Call to another node failed", ex.getCause());
		}
	}

}

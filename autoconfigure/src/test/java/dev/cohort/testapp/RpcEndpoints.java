package dev.cohort.testapp;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.rpc.ClusterRpcMethod;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * The RPC methods a test node exposes, and one it does not.
 */
public class RpcEndpoints {

	/** Set to make {@code whoami} throw on a node. */
	public static final String FAIL_WHOAMI = "test.rpc.fail-whoami";

	public final AtomicBoolean flag = new AtomicBoolean();

	public final AtomicBoolean secretCalled = new AtomicBoolean();

	public final AtomicInteger pings = new AtomicInteger();

	public final CountDownLatch release = new CountDownLatch(1);

	@Autowired
	private Environment environment;

	@Autowired
	@Lazy
	private ClusterNodes nodes;

	@ClusterRpcMethod("whoami")
	public String whoami() {
		if (this.environment.getProperty(FAIL_WHOAMI, Boolean.class, false)) {
			throw new IllegalStateException("whoami failed on purpose");
		}
		return this.nodes.self().id();
	}

	/**
	 * Which thread ran it: a method that promises not to block runs on the thread that
	 * received the call, not on an RPC thread.
	 * @return the thread's name
	 */
	@ClusterRpcMethod(value = "thread-non-blocking", blocking = false)
	public String threadNonBlocking() {
		return Thread.currentThread().getName();
	}

	/**
	 * Which thread ran it, for a method that may block.
	 * @return the thread's name
	 */
	@ClusterRpcMethod("thread")
	public String thread() {
		return Thread.currentThread().getName();
	}

	@ClusterRpcMethod("add")
	public int add(int a, int b) {
		return a + b;
	}

	@ClusterRpcMethod("greet")
	public Greeting greet(Greeting greeting) {
		return new Greeting("hello " + greeting.text(), greeting.number() + 1);
	}

	@ClusterRpcMethod("count-to")
	public List<Greeting> countTo(int n) {
		return IntStream.rangeClosed(1, n).mapToObj((i) -> new Greeting("n", i)).toList();
	}

	@ClusterRpcMethod("set-flag")
	public void setFlag() {
		this.flag.set(true);
	}

	@ClusterRpcMethod("ping")
	public void ping() {
		this.pings.incrementAndGet();
	}

	@ClusterRpcMethod("hold")
	public String hold() throws InterruptedException {
		this.release.await(30, TimeUnit.SECONDS);
		return "released";
	}

	@ClusterRpcMethod("unwritable")
	public Object unwritable() {
		return new Unwritable();
	}

	@ClusterRpcMethod("huge")
	public String huge() {
		return "x".repeat(2_000_000);
	}

	/** A result Jackson cannot write. */
	public static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("this value cannot be read");
		}

	}

	/** Not exposed: no caller may run it. */
	public void secret() {
		this.secretCalled.set(true);
	}

}

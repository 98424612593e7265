package dev.cohort.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import dev.cohort.chat.ChatRooms;
import dev.cohort.chat.RoomMember;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.connections.ClusterConnections;
import dev.cohort.connections.ConnectionOperation;
import dev.cohort.test.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The chat page ({@code static/chat.html}, on {@code /cohort/cohort-client.js}) in a real
 * headless Chromium: two sample nodes on one Redis server of the test's own, the page of
 * node A in one browser, signed in as the demo user alice, and the page of node B in
 * another, signed in as bob, talking through Cohort's WebSocket endpoint and its chat
 * rooms. Each page shows the other by name, never by connection id.
 * <p>
 * Needs Debian's {@code chromium} and {@code chromium-driver} packages, used by their
 * explicit paths; Selenium Manager never downloads anything. Without them the tests are
 * skipped, saying what to install, unless the environment variable {@code CI} is set:
 * then they fail ({@code .ci/run} sets it and installs both); see
 * {@link EnabledWithChromium}.
 */
@EnabledWithChromium
class SampleChatBrowserTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String TOKEN = "sample-chat-browser-tests-token-0123456789";

	private static RedisServer redis;

	private static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private static final List<String> baseUrls = new ArrayList<>();

	/**
	 * The two browsers, for every test: each signs in once, on its node, and keeps its
	 * session; each test opens the page anew.
	 */
	private static final List<WebDriver> drivers = new ArrayList<>();

	@BeforeAll
	static void startCluster() {
		HeadlessChromium.requireInstalled(SampleChatBrowserTests.class);
		redis = RedisServer.start();
		String namespace = "sample-chat-" + UUID.randomUUID().toString().substring(0, 8);
		start(namespace);
		start(namespace);
		await().atMost(TIMEOUT)
			.until(() -> contexts.stream().allMatch((context) -> clusterNodes(context).members().size() == 2));
		drivers.add(HeadlessChromium.start(1200, 900));
		drivers.add(HeadlessChromium.start(1200, 900));
	}

	private static void start(String namespace) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("redis", "server")
			.run("--server.port=0", "--cluster.namespace=" + namespace, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--cluster.server-token=" + TOKEN,
					"--cluster.heartbeat-interval=200ms", "--cluster.node-timeout=1500ms");
		contexts.add(context);
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		baseUrls.add("http://localhost:" + port);
	}

	@AfterAll
	static void stopCluster() {
		drivers.forEach(WebDriver::quit);
		drivers.clear();
		contexts.forEach(ConfigurableApplicationContext::close);
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void whatOneNodesPageSaysAppearsOnceOnBothPagesUnderTheSendersName() {
		// A joins through ?room=, B with the Join button (the room field says 'lobby').
		ChatPage a = new ChatPage(drivers.get(0), baseUrls.get(0) + "/chat.html?room=lobby", "alice");
		ChatPage b = new ChatPage(drivers.get(1), baseUrls.get(1) + "/chat.html", "bob");
		String aId = a.connectionId();
		String bId = b.connectionId();
		assertThat(a.text("user")).isEqualTo("alice");
		assertThat(b.text("user")).isEqualTo("bob");
		a.recordFrames();
		b.recordFrames();
		assertThat(a.nodeId()).isEqualTo(clusterNodes(contexts.get(0)).self().id());
		assertThat(b.nodeId()).isEqualTo(clusterNodes(contexts.get(1)).self().id());
		b.join("lobby");
		a.awaitUntil("A lists both members of lobby", () -> a.members().containsAll(List.of("alice", "bob")));
		b.awaitUntil("B lists both members of lobby", () -> b.members().containsAll(List.of("alice", "bob")));
		assertThat(b.memberTexts()).contains("alice", "bob (you)");

		String text = "hello from A " + UUID.randomUUID();
		a.say(text);
		b.awaitUntil("B shows A's message", () -> b.messages().contains(new Said("lobby", "alice", text)));
		a.awaitUntil("A shows its own message", () -> a.messages().contains(new Said("lobby", "alice", text)));
		assertThat(a.senderTexts()).contains("[lobby] alice (you): ");
		assertThat(b.senderTexts()).contains("[lobby] alice: ");

		// Once a later message is on both pages, a second copy of the first would be too.
		String marker = "marker " + UUID.randomUUID();
		a.say(marker);
		b.awaitUntil("B shows the marker", () -> b.messages().contains(new Said("lobby", "alice", marker)));
		a.awaitUntil("A shows the marker", () -> a.messages().contains(new Said("lobby", "alice", marker)));
		assertThat(b.messages()).filteredOn((said) -> said.text().equals(text))
			.containsExactly(new Said("lobby", "alice", text));
		assertThat(a.messages()).filteredOn((said) -> said.text().equals(text))
			.containsExactly(new Said("lobby", "alice", text));
		assertThat(a.error()).isEmpty();
		assertThat(b.error()).isEmpty();
		// Neither page learnt the other's connection id: in no frame it got, nor on the
		// page.
		assertThat(b.frames()).hasSizeGreaterThan(4).allSatisfy((frame) -> assertThat(frame).doesNotContain(aId));
		assertThat(a.frames()).hasSizeGreaterThan(4).allSatisfy((frame) -> assertThat(frame).doesNotContain(bId));
		assertThat(b.frames()).anySatisfy((frame) -> assertThat(frame).contains("\"user\":\"alice\""));
		assertThat(drivers.get(1).getPageSource()).doesNotContain(aId);
		assertThat(drivers.get(0).getPageSource()).doesNotContain(bId);
	}

	@Test
	void leavingUpdatesTheOtherPageAndMistakesShowAsErrors() throws Exception {
		ChatPage a = new ChatPage(drivers.get(0), baseUrls.get(0) + "/chat.html?room=lobby", "alice");
		ChatPage b = new ChatPage(drivers.get(1), baseUrls.get(1) + "/chat.html?room=lobby", "bob");
		a.connectionId();
		b.connectionId();
		a.awaitUntil("A lists both members of lobby", () -> a.members().containsAll(List.of("alice", "bob")));

		b.click("leave");
		a.awaitUntil("A no longer lists B", () -> a.members().equals(List.of("alice")));
		a.awaitUntil("A tells that bob left", () -> a.systemMessages().contains("bob left lobby"));

		b.say("nobody hears this");
		b.awaitUntil("B shows not-member", () -> b.error().startsWith("not-member"));

		String missing = "no-room-" + UUID.randomUUID();
		b.join(missing);
		b.awaitUntil("B shows no-such-room", () -> b.error().startsWith("no-such-room"));
		assertThat(a.messages()).isEmpty();

		// Without a login, no WebSocket: the handshake is refused with 401.
		URI endpoint = URI.create(baseUrls.get(0).replace("http://", "ws://") + "/cohort/ws");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(
				() -> HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(endpoint, new WebSocket.Listener() {
				}).get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(WebSocketHandshakeException.class,
					(refused) -> assertThat(refused.getResponse().statusCode()).isEqualTo(401));
		// A client that is no browser logs in with HTTP Basic (as RollingRestartTests'
		// clients do): the login is its connection's user.
		CompletableFuture<String> welcome = new CompletableFuture<>();
		WebSocket carol = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString("carol:carol".getBytes(StandardCharsets.UTF_8)))
			.buildAsync(endpoint, new WebSocket.Listener() {

				@Override
				public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
					welcome.complete(data.toString());
					return null;
				}

			})
			.get(10, TimeUnit.SECONDS);
		assertThat(welcome.get(10, TimeUnit.SECONDS)).contains("\"event\":\"welcome\"", "\"user\":\"carol\"");
		carol.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
	}

	@Test
	void aDroppedConnectionReconnectsAndRejoinsButABootedOneStaysClosed() {
		ChatPage a = new ChatPage(drivers.get(0), baseUrls.get(0) + "/chat.html?room=lobby", "alice");
		ChatPage b = new ChatPage(drivers.get(1), baseUrls.get(1) + "/chat.html?room=lobby", "bob");
		a.connectionId();
		String bId = b.connectionId();
		a.awaitUntil("A lists both members of lobby", () -> a.members().containsAll(List.of("alice", "bob")));
		// The socket drops (as when a proxy cuts it): the client reconnects, as a new
		// connection (of the same user), and joins lobby again.
		b.script("window.cohortChat._ws.close(4000, 'dropped by the test');");
		b.awaitUntil("B reconnects", () -> !b.text("connection-id").equals(bId) && b.state().equals("connected"));
		String newBId = b.connectionId();
		ChatRooms rooms = contexts.get(0).getBean(ChatRooms.class);
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(rooms.status("lobby")).extracting(RoomMember::connectionId)
				.contains(newBId)
				.doesNotContain(bId));
		a.awaitUntil("A tells that bob left", () -> a.systemMessages().contains("bob left lobby"));
		a.awaitUntil("A lists bob once", () -> a.members().stream().sorted().toList().equals(List.of("alice", "bob")));
		b.awaitUntil("B lists itself in lobby again", () -> b.memberTexts().containsAll(List.of("alice", "bob (you)")));
		String text = "after the reconnection " + UUID.randomUUID();
		a.say(text);
		b.awaitUntil("B shows A's message", () -> b.messages().contains(new Said("lobby", "alice", text)));

		// The server speaks to the room, from any node: no sender.
		contexts.get(0).getBean(ChatRooms.class).broadcast("lobby", "the server to lobby");
		b.awaitUntil("B shows the server's broadcast",
				() -> b.messages().contains(new Said("lobby", "", "the server to lobby")));
		a.awaitUntil("A shows the server's broadcast",
				() -> a.messages().contains(new Said("lobby", "", "the server to lobby")));

		// Node A reaches B's connection on node B: a message, then the boot.
		ClusterConnections connections = contexts.get(0).getBean(ClusterConnections.class);
		connections.apply(newBId, ConnectionOperation.send("notice from the server"));
		b.awaitUntil("B shows the server's message",
				() -> b.systemMessages().contains("server: notice from the server"));
		connections.apply(newBId, ConnectionOperation.disconnect("booted by the test"));
		b.awaitUntil("B is closed for good", () -> b.state().equals("closed"));
		assertThat(b.systemMessages()).contains("disconnected by the server: booted by the test");
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.until(() -> b.state().equals("closed") && b.text("connection-id").equals(newBId));
		a.awaitUntil("A no longer lists B", () -> a.members().equals(List.of("alice")));
	}

	@Test
	@SuppressWarnings("unchecked")
	void thePageHoldsItsConnectionsSecretAndSignsInBeforeItRejoins() {
		ChatPage a = new ChatPage(drivers.get(0), baseUrls.get(0) + "/chat.html?room=lobby", "alice");
		String aId = a.connectionId();
		a.awaitUntil("A lists itself in lobby", () -> a.memberTexts().contains("alice (you)"));
		String secret = (String) a.script("return window.cohortChat.secret;");
		assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
		assertThat(drivers.get(0).getPageSource()).doesNotContain(secret);
		ClusterConnections connections = contexts.get(1).getBean(ClusterConnections.class);
		assertThat(connections.apply(aId, ConnectionOperation.signIn(secret, "auth", "ann")).attributes())
			.containsEntry("auth", "ann");

		// A sign-in hook (as a page would POST the id and the secret to its server) that
		// takes a while: the client re-joins lobby only once it is done.
		a.script("window.hookLog = []; const client = window.cohortChat;"
				+ "client.options.onWelcome = (welcome) => new Promise((resolve) => {"
				+ "  window.hookLog.push('hook ' + (welcome.secret === client.secret && welcome.secret.length > 40));"
				+ "  setTimeout(() => { window.hookLog.push('signed in'); resolve(); }, 500); });"
				+ "client.on('join', (join) => { if (join.connectionId === client.connectionId) window.hookLog.push('rejoined'); });"
				+ "client._ws.close(4000, 'dropped by the test');");
		a.awaitUntil("A re-joins lobby",
				() -> ((List<String>) a.script("return window.hookLog;")).contains("rejoined"));
		assertThat((List<String>) a.script("return window.hookLog;")).containsExactly("hook true", "signed in",
				"rejoined");
		String newSecret = (String) a.script("return window.cohortChat.secret;");
		assertThat(newSecret).isNotEqualTo(secret);
		assertThat(a.error()).isEmpty();
	}

	private static ClusterNodes clusterNodes(ConfigurableApplicationContext context) {
		return context.getBean(ClusterNodes.class);
	}

	/**
	 * A message on a page's list.
	 *
	 * @param room the room it was said in
	 * @param from the user who said it, empty for the server
	 * @param text what was said
	 */
	record Said(String room, String from, String text) {
	}

	/** The chat page in one browser, read and driven through its elements' ids. */
	private static final class ChatPage {

		private final WebDriver driver;

		/**
		 * Opens the page. The first time, it sends the browser to the login form, which
		 * signs in as a demo user (whose password is its name) and sends it back to the
		 * page; later, the browser's session is signed in already.
		 */
		ChatPage(WebDriver driver, String url, String user) {
			this.driver = driver;
			driver.get(url);
			awaitUntil("the login form or the chat page",
					() -> driver.getCurrentUrl().endsWith("/login") || !driver.findElements(By.id("status")).isEmpty());
			if (driver.getCurrentUrl().endsWith("/login")) {
				driver.findElement(By.id("username")).sendKeys(user);
				driver.findElement(By.id("password")).sendKeys(user);
				driver.findElement(By.cssSelector("button[type=submit]")).click();
				awaitUntil("the chat page, signed in", () -> driver.getCurrentUrl().contains("/chat.html")
						&& !driver.findElements(By.id("status")).isEmpty());
			}
			awaitUntil("the page signed in as " + user, () -> text("user").equals(user));
		}

		/** Waits for the connection's welcome and answers its id. */
		String connectionId() {
			awaitUntil("the page shows its connection id", () -> !text("connection-id").equals("-"));
			return text("connection-id");
		}

		String nodeId() {
			awaitUntil("the page shows its node", () -> !text("node-id").equals("-"));
			return text("node-id");
		}

		void join(String room) {
			WebElement field = this.driver.findElement(By.id("room"));
			field.clear();
			field.sendKeys(room);
			click("join");
		}

		void say(String text) {
			this.driver.findElement(By.id("message")).sendKeys(text);
			click("send");
		}

		void click(String id) {
			this.driver.findElement(By.id(id)).click();
		}

		String error() {
			return text("error");
		}

		/** The status: connecting, connected, reconnecting or closed. */
		String state() {
			return (String) script("return document.getElementById('status').dataset.state;");
		}

		@SuppressWarnings("unchecked")
		List<String> systemMessages() {
			return (List<String>) script(
					"return Array.from(document.querySelectorAll('#messages li.system')).map((li) => li.textContent);");
		}

		/** The users the members list shows. */
		@SuppressWarnings("unchecked")
		List<String> members() {
			return (List<String>) script(
					"return Array.from(document.querySelectorAll('#members li')).map((li) => li.dataset.user);");
		}

		/** The members list as shown, such as {@code alice (you)}. */
		@SuppressWarnings("unchecked")
		List<String> memberTexts() {
			return (List<String>) script(
					"return Array.from(document.querySelectorAll('#members li')).map((li) => li.textContent);");
		}

		/** Who said each message, as shown, such as {@code [lobby] alice (you): }. */
		@SuppressWarnings("unchecked")
		List<String> senderTexts() {
			return (List<String>) script(
					"return Array.from(document.querySelectorAll('#messages li.message .from')).map((e) => e.textContent);");
		}

		/** Keeps every frame the page's socket receives from now on, as it came. */
		void recordFrames() {
			script("window.receivedFrames = [];"
					+ "window.cohortChat._ws.addEventListener('message', (e) => window.receivedFrames.push(e.data));");
		}

		@SuppressWarnings("unchecked")
		List<String> frames() {
			return (List<String>) script("return window.receivedFrames;");
		}

		@SuppressWarnings("unchecked")
		List<Said> messages() {
			List<Map<String, String>> items = (List<Map<String, String>>) script(
					"return Array.from(document.querySelectorAll('#messages li.message')).map((li) => ({"
							+ "room: li.dataset.room, from: li.dataset.from, text: li.querySelector('.text').textContent}));");
			return items.stream()
				.map((item) -> new Said(item.get("room"), item.get("from"), item.get("text")))
				.toList();
		}

		void awaitUntil(String what, BooleanSupplier condition) {
			new WebDriverWait(this.driver, TIMEOUT).withMessage(() -> what + "; " + diagnostics())
				.until((ignored) -> condition.getAsBoolean());
		}

		String text(String id) {
			return (String) script("return document.getElementById(arguments[0]).textContent;", id);
		}

		Object script(String script, Object... args) {
			return ((JavascriptExecutor) this.driver).executeScript(script, args);
		}

		private String diagnostics() {
			String console;
			try {
				console = this.driver.manage()
					.logs()
					.get(LogType.BROWSER)
					.getAll()
					.stream()
					.map(LogEntry::toString)
					.collect(Collectors.joining("\n  "));
			}
			catch (RuntimeException ex) {
				console = "(unavailable: " + ex + ")";
			}
			return "page " + this.driver.getCurrentUrl() + ": status '" + text("status") + "', connection '"
					+ text("connection-id") + "', error '" + error() + "', members " + members() + ", messages "
					+ messages() + "; console:\n  " + console;
		}

	}

}

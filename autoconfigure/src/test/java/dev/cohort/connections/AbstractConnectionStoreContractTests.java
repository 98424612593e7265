package dev.cohort.connections;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import dev.cohort.connections.ConnectionStore.Forgotten;
import dev.cohort.connections.ConnectionStore.Held;
import dev.cohort.connections.ConnectionStore.Member;
import dev.cohort.connections.ConnectionStore.Reassertion;
import dev.cohort.connections.ConnectionStore.Summary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every directory must do: the same tests run against the Redis scripts and the
 * in-memory store.
 */
abstract class AbstractConnectionStoreContractTests {

	private ConnectionStore store;

	/**
	 * A directory of its own, empty.
	 * @return the store
	 */
	protected abstract ConnectionStore newStore();

	@BeforeEach
	void createStore() {
		this.store = newStore();
		this.store.addRoom("lobby");
		this.store.addRoom("games");
	}

	@Test
	void roomCountCountsTheRooms() {
		assertThat(this.store.roomCount()).isEqualTo(2);
		this.store.addRoom("kitchen");
		assertThat(this.store.roomCount()).isEqualTo(3);
		this.store.destroyRoom("lobby");
		assertThat(this.store.roomCount()).isEqualTo(this.store.rooms().size()).isEqualTo(2);
	}

	@Test
	void aRoomKeepsThePresenceItWasCreatedWithUntilItIsDestroyed() {
		assertThat(this.store.presence("lobby")).isTrue();
		assertThat(this.store.addRoom("quiet", false)).isTrue();
		assertThat(this.store.presence("quiet")).isFalse();
		assertThat(this.store.addRoom("quiet", true)).isFalse();
		assertThat(this.store.presence("quiet")).isFalse();
		assertThat(this.store.addRoom("lobby", false)).isFalse();
		assertThat(this.store.presence("lobby")).isTrue();
		this.store.destroyRoom("quiet");
		assertThat(this.store.presence("quiet")).isTrue();
		assertThat(this.store.addRoom("quiet", true)).isTrue();
		assertThat(this.store.presence("quiet")).isTrue();
	}

	@Test
	void aJoinSaysWhetherTheRoomHasPresenceSoThatNobodyReadsItAgain() {
		this.store.addRoom("quiet", false);
		this.store.register("c1", "node-a");
		assertThat(this.store.join("lobby", "c1", "node-a", 1)).isEqualTo(1);
		assertThat(this.store.join("quiet", "c1", "node-a", 1)).isEqualTo(ConnectionStore.JOINED_QUIETLY);
		assertThat(this.store.join("quiet", "c1", "node-a", 2)).isZero();
		assertThat(this.store.members("quiet")).containsOnlyKeys("c1");
	}

	@Test
	void joinRefusesAConnectionThatIsNotRegisteredToTheNode() {
		assertThat(this.store.join("lobby", "never-registered", "node-a", 1)).isEqualTo(ConnectionStore.NOT_REGISTERED);
		this.store.register("c1", "node-a");
		assertThat(this.store.join("lobby", "c1", "node-b", 1)).isEqualTo(ConnectionStore.NOT_REGISTERED);
		assertThat(this.store.join("nowhere", "c1", "node-a", 1)).isEqualTo(ConnectionStore.NO_SUCH_ROOM);
		assertThat(this.store.join("lobby", "c1", "node-a", 1)).isEqualTo(1);
		assertThat(this.store.join("lobby", "c1", "node-a", 2)).isZero();
		this.store.unregister("c1", "node-a");
		// A join that arrives late, by RPC, after the connection closed.
		assertThat(this.store.join("games", "c1", "node-a", 3)).isEqualTo(ConnectionStore.NOT_REGISTERED);
		assertThat(this.store.members("lobby")).isEmpty();
		assertThat(this.store.members("games")).isEmpty();
		assertThat(this.store.summary("node-a", "epoch")).isEqualTo(new Summary("epoch", true, 0, 0));
	}

	@Test
	void connectionsOfUserFindsEachOfAUsersConnectionsOnAnyNodeUntilItIsForgotten() {
		this.store.register("alice-1", "node-a", "alice");
		this.store.register("alice-2", "node-b", "alice");
		this.store.register("bob-1", "node-a", "bob");
		this.store.register("anonymous", "node-a", null);
		assertThat(this.store.connectionsOfUser("alice")).containsOnly(Map.entry("alice-1", "node-a"),
				Map.entry("alice-2", "node-b"));
		assertThat(this.store.connectionsOfUser("bob")).containsOnly(Map.entry("bob-1", "node-a"));
		assertThat(this.store.connectionsOfUser("nobody")).isEmpty();
		this.store.unregister("alice-1", "node-a");
		assertThat(this.store.connectionsOfUser("alice")).containsOnly(Map.entry("alice-2", "node-b"));
		// A purge of a node that left forgets its users' connections too.
		assertThat(this.store.purgeNode("node-b", 10).connections()).isOne();
		assertThat(this.store.connectionsOfUser("alice")).isEmpty();
		assertThat(this.store.connectionsOfUser("bob")).containsOnly(Map.entry("bob-1", "node-a"));
		// A connection that moved is listed on its new node only.
		this.store.register("bob-1", "node-b", "bob");
		this.store.unregister("bob-1", "node-a");
		assertThat(this.store.connectionsOfUser("bob")).containsOnly(Map.entry("bob-1", "node-b"));
	}

	@Test
	void unregisterTakesTheConnectionOutOfEveryRoomTheDirectoryHolds() {
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-a");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("games", "c1", "node-a", 1);
		this.store.join("lobby", "c2", "node-a", 1);
		assertThat(this.store.unregister("c1", "node-a")).containsExactlyInAnyOrder("lobby", "games");
		assertThat(this.store.nodeOf("c1")).isEmpty();
		assertThat(this.store.members("lobby")).containsOnlyKeys("c2");
		assertThat(this.store.members("games")).isEmpty();
		assertThat(this.store.unregister("c1", "node-a")).isEmpty();
		assertThat(this.store.summary("node-a", "epoch"))
			.isEqualTo(new Summary("epoch", true, 1, fingerprint(Map.of("c2", Set.of("lobby")))));
	}

	@Test
	void membersListTheirNodeAndJoinTime() {
		this.store.register("c1", "node-a");
		this.store.join("lobby", "c1", "node-a", 42);
		assertThat(this.store.members("lobby"))
			.containsExactly(Map.entry("c1", new ConnectionStore.Member("node-a", 42)));
		assertThat(this.store.members("nowhere")).isNull();
		assertThat(this.store.nodeOf("c1")).contains("node-a");
	}

	@Test
	void memberDetailsAreKeptWithTheMembershipAndGoWithIt() {
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-b");
		assertThat(this.store.join("lobby", "c1", "node-a", 1, "{\"mood\":\"happy\"}")).isEqualTo(1);
		assertThat(this.store.join("lobby", "c2", "node-b", 2, null)).isEqualTo(1);
		assertThat(this.store.members("lobby"))
			.containsEntry("c1", new Member("node-a", 1, null, "{\"mood\":\"happy\"}"))
			.containsEntry("c2", new Member("node-b", 2, null, null));
		// In already: the details it joined with stay.
		assertThat(this.store.join("lobby", "c1", "node-a", 3, "{\"mood\":\"sad\"}")).isZero();
		assertThat(this.store.members("lobby").get("c1").details()).isEqualTo("{\"mood\":\"happy\"}");
		// Each way out of a room takes the details with it.
		this.store.leave("lobby", "c1");
		this.store.join("lobby", "c1", "node-a", 4);
		assertThat(this.store.members("lobby").get("c1").details()).isNull();
		this.store.join("games", "c1", "node-a", 5, "{\"seat\":1}");
		this.store.unregister("c1", "node-a");
		this.store.register("c1", "node-a");
		this.store.join("games", "c1", "node-a", 6);
		assertThat(this.store.members("games").get("c1").details()).isNull();
		this.store.join("games", "c2", "node-b", 7, "{\"seat\":2}");
		this.store.destroyRoom("games");
		this.store.addRoom("games");
		this.store.join("games", "c2", "node-b", 8);
		assertThat(this.store.members("games").get("c2").details()).isNull();
	}

	@Test
	void reassertWritesAMembershipThatWasLostAgainWithItsDetails() {
		this.store.register("c1", "node-a");
		this.store.join("lobby", "c1", "node-a", 1, "{\"mood\":\"happy\"}");
		// The directory loses the membership behind the node's back.
		this.store.leave("lobby", "c1");
		Reassertion reassertion = this.store.reassert("node-a",
				List.of(new Held("c1", Set.of("lobby"), null, Map.of("lobby", "{\"mood\":\"happy\"}"))), false, 5);
		assertThat(reassertion.joined()).containsEntry("lobby", List.of("c1"));
		assertThat(this.store.members("lobby")).containsEntry("c1",
				new Member("node-a", 5, null, "{\"mood\":\"happy\"}"));
	}

	@Test
	void connectionCountsAndRoomSizesAreCountedWithoutReadingMembers() {
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-a");
		this.store.register("c3", "node-b");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("lobby", "c3", "node-b", 1);
		this.store.join("games", "c2", "node-a", 1);
		this.store.addRoom("empty");
		assertThat(this.store.connectionCount("node-a")).isEqualTo(2);
		assertThat(this.store.connectionCount("node-b")).isEqualTo(1);
		assertThat(this.store.connectionCount("node-c")).isZero();
		assertThat(this.store.roomSizes()).containsExactly(Map.entry("empty", 0L), Map.entry("games", 1L),
				Map.entry("lobby", 2L));
		this.store.unregister("c1", "node-a");
		assertThat(this.store.connectionCount("node-a")).isEqualTo(1);
		assertThat(this.store.roomSizes()).containsEntry("lobby", 1L);
	}

	@Test
	void summaryCountsANodesConnectionsAndFingerprintsThemAndTheirRooms() {
		Summary first = this.store.summary("node-a", "epoch-1");
		assertThat(first).isEqualTo(new Summary("epoch-1", true, 0, 0));
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-a");
		this.store.register("c3", "node-b");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("games", "c1", "node-a", 1);
		this.store.join("lobby", "c2", "node-a", 1);
		this.store.join("lobby", "c3", "node-b", 1);
		assertThat(this.store.summary("node-a", "epoch-2")).isEqualTo(new Summary("epoch-1", false, 2,
				fingerprint(Map.of("c1", Set.of("lobby", "games"), "c2", Set.of("lobby")))));
		this.store.leave("lobby", "c2");
		this.store.leave("lobby", "c2");
		assertThat(this.store.summary("node-a", "epoch-2").fingerprint())
			.isEqualTo(fingerprint(Map.of("c1", Set.of("lobby", "games"), "c2", Set.of())));
		this.store.destroyRoom("lobby");
		assertThat(this.store.summary("node-a", "epoch-2").fingerprint())
			.isEqualTo(fingerprint(Map.of("c1", Set.of("games"), "c2", Set.of())));
		assertThat(this.store.summary("node-b", "epoch-2"))
			.isEqualTo(new Summary("epoch-1", false, 1, fingerprint(Map.of("c3", Set.of()))));
		this.store.setFingerprint("node-a", 7);
		assertThat(this.store.summary("node-a", "epoch-2").fingerprint()).isEqualTo(7);
	}

	@Test
	void purgeForgetsABoundedBatchOfTheNodesConnectionsPerCall() {
		List<String> ids = registerInBothRooms("dead", 250);
		this.store.register("alive-1", "node-a");
		this.store.join("lobby", "alive-1", "node-a", 1);
		List<Integer> batches = new ArrayList<>();
		List<String> left = new ArrayList<>();
		Forgotten batch;
		do {
			batch = this.store.purgeNode("dead", 100);
			batches.add(batch.connections());
			batch.memberships().forEach((room, connections) -> connections.forEach((id) -> left.add(room + "/" + id)));
		}
		while (batch.connections() > 0);
		assertThat(batches).containsExactly(100, 100, 50, 0);
		assertThat(left).hasSize(500).doesNotHaveDuplicates();
		assertThat(this.store.members("lobby")).containsOnlyKeys("alive-1");
		assertThat(this.store.members("games")).isEmpty();
		assertThat(this.store.nodeOf(ids.get(0))).isEmpty();
		assertThat(this.store.summary("dead", "epoch")).isEqualTo(new Summary("epoch", true, 0, 0));
	}

	@Test
	void twoPurgesOfTheSameNodeAtOnceReportEachMembershipOnce() throws Exception {
		registerInBothRooms("dead", 400);
		List<String> left = new CopyOnWriteArrayList<>();
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Integer>> purges = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			purges.add(CompletableFuture.supplyAsync(() -> {
				await(start);
				int calls = 0;
				Forgotten batch;
				do {
					batch = this.store.purgeNode("dead", 20);
					calls++;
					batch.memberships()
						.forEach((room, connections) -> connections.forEach((id) -> left.add(room + "/" + id)));
				}
				while (batch.connections() > 0);
				return calls;
			}));
		}
		start.countDown();
		for (CompletableFuture<Integer> purge : purges) {
			assertThat(purge.get(30, TimeUnit.SECONDS)).isPositive();
		}
		assertThat(left).hasSize(800).doesNotHaveDuplicates();
		assertThat(this.store.members("lobby")).isEmpty();
	}

	@Test
	void reassertWritesAgainWhatTheNodeHoldsAndReportsOnlyWhatChanged() {
		this.store.register("c1", "node-a");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("games", "c1", "node-a", 1);
		// c2 was lost by the directory; c1 is in games there, but not on its node.
		List<Held> held = List.of(new Held("c1", Set.of("lobby")), new Held("c2", Set.of("lobby", "games")));
		Reassertion first = this.store.reassert("node-a", held, false, 5);
		assertThat(first.joined()).containsOnly(Map.entry("lobby", List.of("c2")), Map.entry("games", List.of("c2")));
		assertThat(first.left()).containsOnly(Map.entry("games", List.of("c1")));
		assertThat(first.gone()).isEmpty();
		assertThat(this.store.nodeOf("c2")).contains("node-a");
		assertThat(this.store.members("lobby")).containsOnlyKeys("c1", "c2");
		assertThat(this.store.members("lobby").get("c1").joinedAtMillis()).isEqualTo(1);
		assertThat(this.store.members("games")).containsOnlyKeys("c2");
		assertThat(this.store.summary("node-a", "epoch")).isEqualTo(new Summary("epoch", true, 2,
				fingerprint(Map.of("c1", Set.of("lobby"), "c2", Set.of("lobby", "games")))));
		assertThat(this.store.reassert("node-a", held, false, 6).isEmpty()).isTrue();
	}

	@Test
	void reassertListsEachConnectionUnderItsUserAgainAndMembersShowTheirUsers() {
		this.store.addRoom("lobby");
		this.store.register("c1", "node-a", "alice");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.register("c2", "node-a");
		this.store.join("lobby", "c2", "node-a", 2);
		assertThat(this.store.members("lobby")).containsOnly(Map.entry("c1", new Member("node-a", 1, "alice")),
				Map.entry("c2", new Member("node-a", 2)));
		// The directory lost the connection, its user index with it.
		this.store.unregister("c1", "node-a");
		assertThat(this.store.connectionsOfUser("alice")).isEmpty();
		this.store.reassert("node-a",
				List.of(new Held("c1", Set.of("lobby"), "alice"), new Held("c2", Set.of("lobby"))), false, 3);
		assertThat(this.store.connectionsOfUser("alice")).containsExactly(Map.entry("c1", "node-a"));
		assertThat(this.store.members("lobby")).containsOnly(Map.entry("c1", new Member("node-a", 3, "alice")),
				Map.entry("c2", new Member("node-a", 2)));
	}

	@Test
	void reassertReportsRoomsThatNoLongerExistUnlessToldToCreateThemAgain() {
		this.store.register("c1", "node-a");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.destroyRoom("lobby");
		List<Held> held = List.of(new Held("c1", Set.of("lobby")));
		Reassertion destroyed = this.store.reassert("node-a", held, false, 2);
		assertThat(destroyed.gone()).containsOnly(Map.entry("lobby", List.of("c1")));
		assertThat(this.store.roomExists("lobby")).isFalse();
		Reassertion lost = this.store.reassert("node-a", held, true, 2);
		assertThat(lost.joined()).containsOnly(Map.entry("lobby", List.of("c1")));
		assertThat(this.store.members("lobby")).containsOnlyKeys("c1");
		assertThat(this.store.summary("node-a", "epoch").fingerprint())
			.isEqualTo(fingerprint(Map.of("c1", Set.of("lobby"))));
	}

	@Test
	void forgetRemovesOnlyTheConnectionsListedForTheNode() {
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-b");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("lobby", "c2", "node-b", 1);
		Forgotten forgotten = this.store.forget("node-a", List.of("c1", "c2", "unknown"));
		assertThat(forgotten.connections()).isEqualTo(1);
		assertThat(forgotten.memberships()).containsOnly(Map.entry("lobby", List.of("c1")));
		assertThat(this.store.members("lobby")).containsOnlyKeys("c2");
	}

	@Test
	void connectionsOfVisitsEveryConnectionOfTheNodeInBatches() {
		List<String> ids = registerInBothRooms("node-a", 230);
		this.store.register("elsewhere", "node-b");
		List<List<String>> batches = new ArrayList<>();
		this.store.connectionsOf("node-a", 100, batches::add);
		assertThat(batches).hasSizeGreaterThanOrEqualTo(3)
			.allSatisfy((batch) -> assertThat(batch).hasSizeLessThanOrEqualTo(100));
		assertThat(batches.stream().flatMap(List::stream).distinct()).containsExactlyInAnyOrderElementsOf(ids);
	}

	@Test
	void aPurgeOfADeadNodeTakesItsConnectionsOutOfEveryRoomAndLeavesTheOthers() {
		this.store.register("dead-1", "dead");
		this.store.register("dead-2", "dead");
		this.store.register("alive", "node-a");
		this.store.join("lobby", "dead-1", "dead", 1);
		this.store.join("games", "dead-1", "dead", 1);
		this.store.join("lobby", "dead-2", "dead", 1);
		this.store.join("lobby", "alive", "node-a", 1);
		this.store.join("games", "alive", "node-a", 1);
		Summary alive = this.store.summary("node-a", "epoch");
		Forgotten purged = this.store.purgeNode("dead", 100);
		assertThat(purged.connections()).isEqualTo(2);
		assertThat(purged.memberships()).containsOnlyKeys("lobby", "games");
		assertThat(purged.memberships().get("lobby")).containsExactlyInAnyOrder("dead-1", "dead-2");
		assertThat(purged.memberships().get("games")).containsExactly("dead-1");
		assertThat(this.store.members("lobby")).containsOnlyKeys("alive");
		assertThat(this.store.members("games")).containsOnlyKeys("alive");
		assertThat(this.store.nodeOf("dead-1")).isEmpty();
		assertThat(this.store.nodeOf("dead-2")).isEmpty();
		assertThat(this.store.connectionCount("dead")).isZero();
		assertThat(this.store.summary("dead", "epoch")).isEqualTo(new Summary("epoch", false, 0, 0));
		Summary aliveAfter = this.store.summary("node-a", "epoch");
		assertThat(aliveAfter.connections()).as("the living node's entries are untouched")
			.isEqualTo(alive.connections())
			.isEqualTo(1);
		assertThat(aliveAfter.fingerprint()).isEqualTo(alive.fingerprint())
			.isEqualTo(fingerprint(Map.of("alive", Set.of("lobby", "games"))));
		assertThat(this.store.roomSizes()).containsEntry("lobby", 1L).containsEntry("games", 1L);
		assertThat(this.store.purgeNode("dead", 100)).isEqualTo(new Forgotten(0, Map.of()));
		// The purged connections' room lists went with them: registered again, they are
		// in no room.
		this.store.register("dead-1", "node-a");
		assertThat(this.store.unregister("dead-1", "node-a")).isEmpty();
	}

	@Test
	void aPurgeLeavesAConnectionThatAnotherNodeRegisteredSinceRegisteredThere() {
		this.store.register("moved", "dead");
		this.store.register("moved", "node-b");
		assertThat(this.store.purgeNode("dead", 10).connections()).isEqualTo(1);
		assertThat(this.store.nodeOf("moved")).contains("node-b");
		assertThat(this.store.connectionCount("node-b")).isEqualTo(1);
	}

	@Test
	void destroyingARoomTakesEveryMemberOutOfItAndOnlyOfIt() {
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-b");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("games", "c1", "node-a", 1);
		this.store.join("lobby", "c2", "node-b", 1);
		assertThat(this.store.destroyRoom("lobby")).containsExactlyInAnyOrder("c1", "c2");
		assertThat(this.store.roomExists("lobby")).isFalse();
		assertThat(this.store.members("lobby")).isNull();
		assertThat(this.store.rooms()).containsExactly("games");
		assertThat(this.store.roomSizes()).containsOnly(Map.entry("games", 1L));
		assertThat(this.store.join("lobby", "c1", "node-a", 2)).isEqualTo(ConnectionStore.NO_SUCH_ROOM);
		assertThat(this.store.members("games")).containsOnlyKeys("c1");
		assertThat(this.store.nodeOf("c2")).as("still connected").contains("node-b");
		assertThat(this.store.summary("node-a", "epoch").fingerprint())
			.isEqualTo(fingerprint(Map.of("c1", Set.of("games"))));
		assertThat(this.store.summary("node-b", "epoch").fingerprint()).isEqualTo(fingerprint(Map.of("c2", Set.of())));
		assertThat(this.store.unregister("c1", "node-a")).containsExactly("games");
		assertThat(this.store.destroyRoom("lobby")).as("destroyed already").isEmpty();
		assertThat(this.store.destroyRoom("nowhere")).isEmpty();
		assertThat(this.store.addRoom("lobby")).as("a room of that name can be made again").isTrue();
		assertThat(this.store.addRoom("lobby")).isFalse();
		assertThat(this.store.members("lobby")).isEmpty();
	}

	@Test
	void leaveTakesAConnectionOutOfOneRoomOnly() {
		this.store.register("c1", "node-a");
		this.store.join("lobby", "c1", "node-a", 1);
		this.store.join("games", "c1", "node-a", 1);
		assertThat(this.store.leave("lobby", "c1")).isTrue();
		assertThat(this.store.leave("lobby", "c1")).as("left already").isFalse();
		assertThat(this.store.leave("nowhere", "c1")).isFalse();
		assertThat(this.store.leave("games", "stranger")).isFalse();
		assertThat(this.store.members("lobby")).isEmpty();
		assertThat(this.store.members("games")).containsOnlyKeys("c1");
		assertThat(this.store.nodeOf("c1")).contains("node-a");
		assertThat(this.store.join("lobby", "c1", "node-a", 2)).as("it may join again").isEqualTo(1);
		assertThat(this.store.members("lobby").get("c1").joinedAtMillis()).isEqualTo(2);
	}

	@Test
	void membersOfARoomSpanNodes() {
		this.store.register("c1", "node-a");
		this.store.register("c2", "node-b");
		this.store.join("lobby", "c1", "node-a", 10);
		this.store.join("lobby", "c2", "node-b", 20);
		assertThat(this.store.members("lobby")).containsOnly(Map.entry("c1", new ConnectionStore.Member("node-a", 10)),
				Map.entry("c2", new ConnectionStore.Member("node-b", 20)));
		assertThat(this.store.members("games")).as("an empty room").isEmpty();
	}

	@Test
	void reassertTakesOverAConnectionAndKeepsTheEpochOnceSet() {
		assertThat(this.store.summary("node-a", "first")).isEqualTo(new Summary("first", true, 0, 0));
		this.store.register("c1", "node-b");
		this.store.join("lobby", "c1", "node-b", 1);
		Reassertion reassertion = this.store.reassert("node-a", List.of(new Held("c1", Set.of("lobby"))), false, 5);
		assertThat(reassertion.isEmpty()).as("its membership was there already").isTrue();
		assertThat(this.store.nodeOf("c1")).contains("node-a");
		assertThat(this.store.members("lobby")).containsOnly(Map.entry("c1", new ConnectionStore.Member("node-a", 1)));
		Summary summary = this.store.summary("node-a", "second");
		assertThat(summary.epoch()).isEqualTo("first");
		assertThat(summary.epochCreated()).isFalse();
		assertThat(summary.connections()).isEqualTo(1);
		assertThat(this.store.reassert("node-a", List.of(), true, 5).isEmpty()).isTrue();
		Reassertion emptied = this.store.reassert("node-a", List.of(new Held("c1", Set.of())), false, 6);
		assertThat(emptied.left()).containsOnly(Map.entry("lobby", List.of("c1")));
		assertThat(this.store.members("lobby")).isEmpty();
		assertThat(this.store.members("games")).isEmpty();
	}

	@Test
	void aJoinThatRacesItsConnectionsCloseLeavesNoMemberBehind() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			ids.add("racing-" + i);
			this.store.register("racing-" + i, "node-a");
		}
		// Each join and close of a connection start together.
		CyclicBarrier pair = new CyclicBarrier(2);
		CompletableFuture<Void> joins = CompletableFuture.runAsync(() -> ids.forEach((id) -> {
			await(pair);
			this.store.join("lobby", id, "node-a", 1);
		}));
		CompletableFuture<Void> closes = CompletableFuture.runAsync(() -> ids.forEach((id) -> {
			await(pair);
			this.store.unregister(id, "node-a");
		}));
		CompletableFuture.allOf(joins, closes).get(60, TimeUnit.SECONDS);
		assertThat(this.store.members("lobby")).isEmpty();
		assertThat(this.store.summary("node-a", "epoch")).isEqualTo(new Summary("epoch", true, 0, 0));
		assertThat(ids).allSatisfy((id) -> assertThat(this.store.nodeOf(id)).isEmpty());
	}

	private static int fingerprint(Map<String, Set<String>> roomsByConnection) {
		int fingerprint = 0;
		for (Map.Entry<String, Set<String>> connection : roomsByConnection.entrySet()) {
			fingerprint ^= DirectoryFingerprint.of(connection.getKey(), connection.getValue());
		}
		return fingerprint;
	}

	private List<String> registerInBothRooms(String nodeId, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = nodeId + "-connection-" + i;
			ids.add(id);
			this.store.register(id, nodeId);
			this.store.join("lobby", id, nodeId, i);
			this.store.join("games", id, nodeId, i);
		}
		return ids;
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package dev.cohort.cluster.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cohort.cache.spring.ClusterSpringCache;
import dev.cohort.chat.ChatRooms;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.QueueStats;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.CachedSquares;
import dev.cohort.testapp.TestNodes;
import dev.cohort.testapp.TestRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cohort's gauges on real nodes: the counts of a real Redis, read once per refresh
 * interval, not once per gauge per scrape; and the cache meters of Cohort's caches.
 */
class ClusterGaugesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	@AfterEach
	void tearDown() {
		this.nodes.close();
	}

	@Test
	void queueGaugesShowTheCountsOfEveryQueueIncludingQueuesThatAppearLater() {
		ConfigurableApplicationContext server = this.nodes.start("cluster.role=server",
				"cluster.metrics.refresh-interval=100ms");
		MeterRegistry registry = server.getBean(MeterRegistry.class);
		ClusterTasks tasks = server.getBean(ClusterTasks.class);
		for (int i = 0; i < 3; i++) {
			tasks.enqueue(JobRequest.of("logged", null).queue("reports"));
		}
		tasks.enqueue(JobRequest.of("logged", null).queue("reports").in(Duration.ofHours(1)));
		tasks.enqueue(JobRequest.of("logged", null).queue("reports").in(Duration.ofHours(1)));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(gauge(registry, "cohort.tasks.waiting", "reports")).isEqualTo(3);
			assertThat(gauge(registry, "cohort.tasks.delayed", "reports")).isEqualTo(2);
			assertThat(gauge(registry, "cohort.tasks.running", "reports")).isZero();
			assertThat(gauge(registry, "cohort.tasks.failed", "reports")).isZero();
		});
		// A queue that appears later, with a failed job: a worker that drains only it.
		this.nodes.start("cluster.role=worker", "cluster.tasks.queues=failing");
		tasks.enqueue(JobRequest.of("always-fails", Map.of("name", "ann")).queue("failing"));
		await().atMost(TIMEOUT).untilAsserted(() -> {
			assertThat(gauge(registry, "cohort.tasks.failed", "failing")).isEqualTo(1);
			assertThat(gauge(registry, "cohort.tasks.waiting", "failing")).isZero();
		});
		Gauge waiting = registry.get("cohort.tasks.waiting").tag("queue", "reports").gauge();
		assertThat(waiting.getId().getDescription()).isNotBlank();
		assertThat(waiting.getId().getBaseUnit()).isEqualTo("jobs");
		Gauge age = registry.get("cohort.tasks.oldest.waiting.age").tag("queue", "reports").gauge();
		assertThat(age.getId().getBaseUnit()).isEqualTo("seconds");
		// The next job has waited since it was enqueued, and keeps waiting: no worker
		// here.
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(age.value()).isGreaterThan(0));
		assertThat(gauge(registry, "cohort.tasks.oldest.waiting.age", "failing")).isZero();
	}

	@Test
	void roomsConnectionsAndLeadershipHaveGauges() {
		ConfigurableApplicationContext node = this.nodes.start("cluster.metrics.refresh-interval=100ms",
				"test.tasks.recurring=true");
		MeterRegistry registry = node.getBean(MeterRegistry.class);
		ChatRooms rooms = node.getBean(ChatRooms.class);
		rooms.add("lobby");
		rooms.add("kitchen");
		await().atMost(TIMEOUT)
			.untilAsserted(() -> assertThat(registry.get("cohort.rooms").gauge().value()).isEqualTo(2));
		assertThat(registry.get("cohort.connections").gauge().value()).isZero();
		await().atMost(TIMEOUT)
			.untilAsserted(
					() -> assertThat(registry.get("cohort.tasks.scheduler.leader").gauge().value()).isEqualTo(1));
	}

	@Test
	void scrapesReadTheCachedCountsWithoutAskingRedis() {
		ConfigurableApplicationContext first = this.nodes.start("cluster.role=server");
		first.getBean(ClusterTasks.class).enqueue(JobRequest.of("logged", null).queue("reports"));
		// One read at start-up, the next in an hour: every scrape until then reads the
		// cache.
		ConfigurableApplicationContext node = this.nodes.start("cluster.role=server",
				"cluster.metrics.refresh-interval=1h");
		MeterRegistry registry = node.getBean(MeterRegistry.class);
		await().atMost(TIMEOUT).until(() -> gauge(registry, "cohort.tasks.waiting", "reports") == 1);
		List<Meter> gauges = registry.getMeters()
			.stream()
			.filter((meter) -> meter.getId().getName().startsWith("cohort.") && meter instanceof Gauge)
			.toList();
		assertThat(gauges).hasSizeGreaterThanOrEqualTo(6);
		LettuceConnectionFactory factory = TestRedis.connectionFactory(RedisServer.shared());
		try (RedisConnection connection = factory.getConnection()) {
			long before = commandsProcessed(connection);
			int scrapes = 100;
			for (int i = 0; i < scrapes; i++) {
				gauges.forEach((gauge) -> ((Gauge) gauge).value());
			}
			long during = commandsProcessed(connection) - before;
			// Heartbeats and the like go on meanwhile, but nothing like one command per
			// gauge per scrape.
			assertThat(during).isLessThan(scrapes);
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void gaugesReadTheStoreOncePerRefreshIntervalHoweverOftenTheyAreRead() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		AtomicInteger reads = new AtomicInteger();
		List<QueueStats> stats = List.of(new QueueStats("mail", 4, 1, 0, 2, 10, 2, 0, 0, Duration.ofSeconds(90)));
		ClusterGauges gauges = new ClusterGauges(registry, Duration.ofMillis(200), () -> {
			reads.incrementAndGet();
			return stats;
		}, () -> 7, () -> 3, new AtomicBoolean(true)::get);
		gauges.start();
		try {
			await().atMost(TIMEOUT).until(() -> gauge(registry, "cohort.tasks.waiting", "mail") == 4);
			long started = System.nanoTime();
			for (int i = 0; i < 10_000; i++) {
				registry.getMeters()
					.forEach((meter) -> meter.measure().forEach((measurement) -> measurement.getValue()));
			}
			long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
			assertThat(reads.get()).isLessThanOrEqualTo(2 + (int) (elapsedMillis / 200));
			assertThat(gauge(registry, "cohort.tasks.delayed", "mail")).isEqualTo(1);
			assertThat(gauge(registry, "cohort.tasks.failed", "mail")).isEqualTo(2);
			assertThat(gauge(registry, "cohort.tasks.oldest.waiting.age", "mail")).isEqualTo(90);
			assertThat(registry.get("cohort.rooms").gauge().value()).isEqualTo(7);
			assertThat(registry.get("cohort.connections").gauge().value()).isEqualTo(3);
			assertThat(registry.get("cohort.tasks.scheduler.leader").gauge().value()).isEqualTo(1);
		}
		finally {
			gauges.stop();
		}
	}

	@Test
	void cacheHitsAndMissesOfCohortsCachesAreCounted() {
		ConfigurableApplicationContext node = this.nodes.start();
		MeterRegistry registry = node.getBean(MeterRegistry.class);
		CachedSquares squares = node.getBean(CachedSquares.class);
		squares.square(3);
		squares.square(3);
		squares.square(3);
		squares.square(4);
		assertThat(node.getBean(CacheManager.class).getCache("squares")).isInstanceOf(ClusterSpringCache.class);
		assertThat(cacheGets(registry, "squares", "hit")).isEqualTo(2);
		assertThat(cacheGets(registry, "squares", "miss")).isEqualTo(2);
		assertThat(registry.get("cache.puts").tag("cache", "squares").functionCounter().count()).isEqualTo(2);
	}

	private static double cacheGets(MeterRegistry registry, String cache, String result) {
		Meter meter = registry.get("cache.gets").tag("cache", cache).tag("result", result).meter();
		return (meter instanceof FunctionCounter counter) ? counter.count() : ((Counter) meter).count();
	}

	private static double gauge(MeterRegistry registry, String name, String queue) {
		Gauge gauge = registry.find(name).tag("queue", queue).gauge();
		return (gauge != null) ? gauge.value() : Double.NaN;
	}

	private static long commandsProcessed(RedisConnection connection) {
		Properties info = connection.serverCommands().info("stats");
		return Long.parseLong(info.getProperty("total_commands_processed"));
	}

}

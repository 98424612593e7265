package dev.cohort.sample;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cache.ClusterLock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.sample.cache.NoteView;
import dev.cohort.sample.cache.Quote;
import dev.cohort.sample.cache.QuoteOfTheDay;
import dev.cohort.sample.cache.Report;
import dev.cohort.sample.cache.Visits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.CacheManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cache endpoints on a solitary node (local transport, where the cluster cache lives
 * in this JVM), over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.data.redis.port=1")
class SampleCacheTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ClusterCache cache;

	@Autowired
	private ClusterNodes clusterNodes;

	@Autowired
	private QuoteOfTheDay quoteOfTheDay;

	@Autowired
	private CacheManager cacheManager;

	private RestClient http;

	private String self;

	@BeforeEach
	void createClient() {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.self = this.clusterNodes.self().id();
	}

	@Test
	void noteRoundTrip() {
		String key = "note-" + UUID.randomUUID();
		NoteView saved = this.http.put()
			.uri("/cache/notes/{key}", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "remember the milk"))
			.retrieve()
			.body(NoteView.class);
		assertThat(saved).isNotNull();
		assertThat(saved.savedBy()).isEqualTo(this.self);
		assertThat(saved.expiresIn()).isNull();

		NoteView loaded = this.http.get().uri("/cache/notes/{key}", key).retrieve().body(NoteView.class);
		assertThat(loaded).isEqualTo(saved);
		assertThat(loaded.key()).isEqualTo(key);
		assertThat(loaded.text()).isEqualTo("remember the milk");

		assertThat(this.http.delete().uri("/cache/notes/{key}", key).retrieve().toBodilessEntity().getStatusCode())
			.isEqualTo(HttpStatus.NO_CONTENT);
		assertThat(status(this.http.get().uri("/cache/notes/{key}", key))).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(status(this.http.delete().uri("/cache/notes/{key}", key))).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void noteWithTtlShowsWhatIsLeftAndExpires() {
		String key = "note-" + UUID.randomUUID();
		NoteView saved = this.http.put()
			.uri("/cache/notes/{key}?ttl=1m", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "soon gone"))
			.retrieve()
			.body(NoteView.class);
		assertThat(saved.expiresIn()).isEqualTo(Duration.ofMinutes(1));
		NoteView loaded = this.http.get().uri("/cache/notes/{key}", key).retrieve().body(NoteView.class);
		assertThat(loaded.expiresIn()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
		assertThat(this.cache.ttl("note:" + key)).hasValueSatisfying((ttl) -> assertThat(ttl).isPositive());

		this.http.put()
			.uri("/cache/notes/{key}?ttl=100ms", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "gone now"))
			.retrieve()
			.toBodilessEntity();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> status(this.http.get().uri("/cache/notes/{key}", key)) == HttpStatus.NOT_FOUND);
	}

	@Test
	void noteWithoutTextOrWithBadTtlIsBadRequest() {
		assertThat(status(this.http.put()
			.uri("/cache/notes/{key}", "empty")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", " ")))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(this.http.put()
			.uri("/cache/notes/{key}?ttl=soon", "bad-ttl")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "x")))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(status(this.http.put()
			.uri("/cache/notes/{key}?ttl=0s", "bad-ttl")
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("text", "x")))).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(this.cache.exists("note:bad-ttl")).isFalse();
	}

	@Test
	void visitsCountUp() {
		Visits first = this.http.post().uri("/cache/visits").retrieve().body(Visits.class);
		Visits second = this.http.post().uri("/cache/visits").retrieve().body(Visits.class);
		assertThat(first.count()).isPositive();
		assertThat(second.count()).isEqualTo(first.count() + 1);
		assertThat(second.nodeId()).isEqualTo(this.self);
		assertThat(this.http.get().uri("/cache/visits").retrieve().body(Visits.class).count())
			.isGreaterThanOrEqualTo(second.count());
		assertThat(this.cache.load("visits", Long.class))
			.hasValueSatisfying((count) -> assertThat(count).isGreaterThanOrEqualTo(second.count()));
	}

	@Test
	void reportRecordsAGrowingFencingTokenAndReleasesTheLock() {
		Report first = this.http.post().uri("/cache/report").retrieve().body(Report.class);
		Report second = this.http.post().uri("/cache/report").retrieve().body(Report.class);
		assertThat(first.nodeId()).isEqualTo(this.self);
		assertThat(second.nodeId()).isEqualTo(this.self);
		assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
		assertThat(second.finishedAt()).isAfterOrEqualTo(second.startedAt());
		assertThat(this.http.get().uri("/cache/report").retrieve().body(Report.class)).isEqualTo(second);
		assertThat(this.cache.load("report:last", Report.class)).contains(second);
		assertThat(this.cache.checkLock("report")).isEmpty();
	}

	@Test
	void reportIsAConflictWhileTheLockIsHeld() {
		Optional<ClusterLock> held = this.cache.tryLock("report", Duration.ofSeconds(30), Duration.ofSeconds(10));
		assertThat(held).isPresent();
		try (ClusterLock lock = held.get()) {
			long started = System.nanoTime();
			assertThat(status(this.http.post().uri("/cache/report"))).isEqualTo(HttpStatus.CONFLICT);
			// It waited for the holder before giving up.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
			assertThat(lock.isHeld()).isTrue();
			String problem = this.http.post()
				.uri("/cache/report")
				.exchange((request, response) -> response.bodyTo(String.class));
			assertThat(problem).contains("\"status\":409").contains("held by node '" + this.self + "'");
		}
		Report after = this.http.post().uri("/cache/report").retrieve().body(Report.class);
		assertThat(after.fencingToken()).isGreaterThan(held.get().fencingToken());
	}

	@Test
	void quoteIsComputedOnceAndThenAHit() {
		LocalDate date = LocalDate.of(2031, 5, 6);
		long before = this.quoteOfTheDay.computations();
		Quote first = this.http.get().uri("/cache/quote?date={date}", date).retrieve().body(Quote.class);
		Quote second = this.http.get().uri("/cache/quote?date={date}", date).retrieve().body(Quote.class);
		assertThat(first.date()).isEqualTo(date);
		assertThat(first.text()).isNotBlank();
		assertThat(first.computedBy()).isEqualTo(this.self);
		assertThat(second).isEqualTo(first);
		assertThat(this.quoteOfTheDay.computations()).isEqualTo(before + 1);
		// The entry is in the cluster cache, with the 'quotes' cache's own time to live.
		assertThat(this.cacheManager.getCache(QuoteOfTheDay.CACHE).get(date, Quote.class)).isEqualTo(first);
		assertThat(this.cache.ttl("quotes::" + date)).hasValueSatisfying(
				(ttl) -> assertThat(ttl).isGreaterThan(Duration.ofHours(23)).isLessThanOrEqualTo(Duration.ofHours(24)));

		Quote today = this.http.get().uri("/cache/quote").retrieve().body(Quote.class);
		assertThat(today.date()).isNotNull();
		assertThat(status(this.http.get().uri("/cache/quote?date=tomorrow"))).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	private static HttpStatusCode status(RestClient.RequestHeadersSpec<?> request) {
		return request.exchange((req, response) -> response.getStatusCode());
	}

}

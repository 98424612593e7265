package dev.cohort.cache.spring;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.cohort.cache.CacheValueException;
import dev.cohort.cluster.ClusterKeys;
import dev.cohort.test.redis.RedisServer;
import dev.cohort.testapp.CachedSquares;
import dev.cohort.testapp.CachedSquares.Root;
import dev.cohort.testapp.CachedSquares.Square;
import dev.cohort.testapp.Greeting;
import dev.cohort.testapp.TestNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which classes the {@code CacheManager} builds from the JSON in Redis: concrete JDK
 * value and collection types, the application's cached types as its {@code @Cacheable}
 * and {@code @CachePut} methods declare them, and the types it names; nothing else,
 * whoever wrote the JSON.
 */
class CacheManagerAllowedTypesTests {

	private final TestNodes nodes = TestNodes.redis(RedisServer.shared());

	@AfterEach
	void closeNodes() {
		this.nodes.close();
	}

	@Test
	void plantedJdkClassesAreRefusedWithAnErrorNamingTheKeyAndNoTimerThreadStarts() {
		ConfigurableApplicationContext node = this.nodes.start();
		Cache cache = node.getBean(CacheManager.class).getCache("planted");
		long timerThreads = timerThreads();
		plant(node, "planted::timer", "{\"value\":{\"@class\":\"java.util.Timer\"}}");
		plant(node, "planted::thread", "{\"value\":{\"@class\":\"java.lang.Thread\",\"name\":\"planted\"}}");
		// The type id of an allowed collection may name type arguments: they are checked
		// too, or the elements would be read as the declared (named) type.
		plant(node, "planted::generic",
				"{\"value\":[\"java.util.ArrayList<java.util.Timer>\",[[\"java.util.Timer\",{}]]]}");
		plant(node, "planted::array", "{\"value\":[\"[Ljava.util.Timer;\",[{}]]}");
		for (String key : List.of("timer", "thread", "generic", "array")) {
			assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> cache.get(key))
				.withMessageContaining("'planted::" + key + "'")
				.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("planted::" + key));
		}
		assertThat(timerThreads()).isEqualTo(timerThreads);
	}

	@Test
	void theApplicationsOwnClassesAreReadOnlyWhenDeclared() {
		ConfigurableApplicationContext node = this.nodes.start();
		Cache cache = node.getBean(CacheManager.class).getCache("greetings");
		// Greeting is in the application's package, but no @Cacheable method returns it.
		cache.put("hi", new Greeting("hi", 1));
		assertThatExceptionOfType(CacheValueException.class).isThrownBy(() -> cache.get("hi"))
			.withMessageContaining("'greetings::hi'")
			.withMessageContaining("cluster.cache.allowed-types");
	}

	@Test
	void typesNamedInThePropertyAreRead() {
		ConfigurableApplicationContext node = this.nodes
			.start("cluster.cache.allowed-types=dev.cohort.testapp.Greeting");
		Cache cache = node.getBean(CacheManager.class).getCache("greetings");
		cache.put("hi", new Greeting("hi", 1));
		assertThat(cache.get("hi", Greeting.class)).isEqualTo(new Greeting("hi", 1));
	}

	@Test
	void returnTypesOfCachedMethodsAreReadWithTheirTypeArguments() {
		ConfigurableApplicationContext node = this.nodes.start();
		CachedSquares squares = node.getBean(CachedSquares.class);
		Map<String, List<Root>> roots = squares.roots(3);
		// Root appears only as a type argument of a @CachePut method's return type.
		Cache cache = node.getBean(CacheManager.class).getCache("roots");
		assertThat(cache.get(3).get()).isEqualTo(roots);
		assertThat(squares.squaresTo(2)).isEqualTo(squares.squaresTo(2))
			.containsExactly(new Square(1, 1), new Square(2, 4));
	}

	@Test
	void jdkValuesAndCollectionsAreRead() {
		ConfigurableApplicationContext node = this.nodes.start();
		Cache cache = node.getBean(CacheManager.class).getCache("jdk");
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("long", 42L);
		values.put("decimal", new BigDecimal("1.50"));
		values.put("uuid", UUID.fromString("7d444840-9dc0-11d1-b245-5ffdce74fad2"));
		values.put("instant", Instant.parse("2030-01-02T03:04:05Z"));
		values.put("date", LocalDate.of(2030, 1, 2));
		values.put("list", List.of(1, 2, 3));
		values.put("set", Set.of("a"));
		values.put("map", Map.of("k", List.of()));
		values.put("array-list", new ArrayList<>(List.of("x")));
		values.put("hash-map", new HashMap<>(Map.of("y", 1L)));
		values.put("tree-set", new TreeSet<>(Set.of("b", "a")));
		values.put("as-list", Arrays.asList("p", "q"));
		cache.put("all", values);
		assertThat(cache.get("all").get()).isEqualTo(values);
		cache.put("ints", new int[] { 1, 2 });
		assertThat(cache.get("ints").get()).isEqualTo(new int[] { 1, 2 });
		cache.put("squares", new Square[] { new Square(1, 1) });
		assertThat(cache.get("squares").get()).isEqualTo(new Square[] { new Square(1, 1) });
	}

	private static void plant(ConfigurableApplicationContext node, String key, String json) {
		new StringRedisTemplate(node.getBean(RedisConnectionFactory.class)).opsForValue()
			.set(node.getBean(ClusterKeys.class).cacheEntry(key), json);
	}

	private static long timerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("Timer-")).count();
	}

}

package dev.cohort.testapp;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Records task runs in a Redis list, so that a test can read what nodes in other
 * processes ran. Present when {@code test.tasks.log-key} is set.
 */
public class TaskLog {

	private final StringRedisTemplate redis;

	private final String key;

	TaskLog(RedisConnectionFactory connectionFactory, String key) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.key = key;
	}

	void record(String entry) {
		this.redis.opsForList().rightPush(this.key, entry);
	}

}

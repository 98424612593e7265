/**
 * Real Redis servers for tests: {@link dev.cohort.test.redis.RedisServer standalone},
 * {@link dev.cohort.test.redis.RedisSentinelSet Sentinel} and
 * {@link dev.cohort.test.redis.RedisClusterSet Cluster} set-ups of {@code redis-server}
 * processes on free ports of {@code 127.0.0.1}.
 */
package dev.cohort.test.redis;

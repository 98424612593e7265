package dev.cohort.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches when the node uses the Redis transport ({@code cluster.transport=redis}, the
 * default) and Spring Data Redis is on the classpath: where a capability's Redis store
 * applies.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(name = "cluster.transport", havingValue = "redis", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
@interface ConditionalOnRedisTransport {

}

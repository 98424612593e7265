package dev.cohort.cache.spring;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.cohort.cache.CacheValueException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cache.support.NullValue;

/**
 * Writes {@code @Cacheable} results as JSON that says what type they are, since a
 * {@link org.springframework.cache.Cache} is read without one. The type names are Java
 * class names, so only the classes that {@link CacheValueTypes} allows are read back:
 * anyone who can write to Redis could otherwise make every node build objects of any
 * class on its classpath.
 */
final class CacheValueCodec {

	private final JsonMapper mapper;

	CacheValueCodec(JsonMapper mapper, CacheValueTypes types) {
		this.mapper = mapper.rebuild()
			.activateDefaultTyping(new CacheValueTypeValidator(types), DefaultTyping.NON_FINAL,
					JsonTypeInfo.As.PROPERTY)
			.build();
	}

	String write(String key, Object storeValue) {
		Object value = (storeValue == NullValue.INSTANCE) ? null : storeValue;
		try {
			return this.mapper.writeValueAsString(new Cached(value));
		}
		catch (JacksonException ex) {
			throw new CacheValueException(key,
					"cannot write a " + storeValue.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	Object read(String key, String json) {
		try {
			Object value = this.mapper.readValue(json, Cached.class).value();
			return (value != null) ? value : NullValue.INSTANCE;
		}
		catch (JacksonException ex) {
			throw new CacheValueException(key,
					"holds a cached value that cannot be read (if it names a class that the CacheManager does not "
							+ "read, return that class from a @Cacheable method or add it to "
							+ "cluster.cache.allowed-types): " + ex.getOriginalMessage(),
					ex);
		}
	}

	/**
	 * The holder whose {@code Object} property makes default typing name the value's
	 * class.
	 */
	record Cached(@Nullable Object value) {
	}

}

package dev.cohort.cluster.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Cohort's Lua scripts, read from the class path once and handed to Spring Data Redis as
 * text. A script made from a resource instead is checked for a change of its file, under
 * a lock, every time it runs, which costs every call of a hot script.
 */
public final class RedisScripts {

	private RedisScripts() {
	}

	/**
	 * A script.
	 * @param <T> what it returns
	 * @param folder its folder on the class path, such as {@code dev/cohort/cache/redis}
	 * @param name its file name
	 * @param type what it returns
	 * @return the script
	 */
	public static <T> RedisScript<T> load(String folder, String name, Class<T> type) {
		return RedisScript.of(text(folder, name), type);
	}

	/**
	 * A script that uses the functions a file of the same folder defines for every script
	 * of the folder: that file's text comes first.
	 * @param <T> what it returns
	 * @param folder its folder on the class path
	 * @param shared the file name of the shared functions
	 * @param name its file name
	 * @param type what it returns
	 * @return the script
	 */
	public static <T> RedisScript<T> load(String folder, String shared, String name, Class<T> type) {
		return RedisScript.of(text(folder, shared) + "\n" + text(folder, name), type);
	}

	private static String text(String folder, String name) {
		try {
			return new ClassPathResource(folder + "/" + name).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Lua script " + folder + "/" + name, ex);
		}
	}

}

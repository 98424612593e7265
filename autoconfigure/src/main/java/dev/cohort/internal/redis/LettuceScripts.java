package dev.cohort.internal.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.ExceptionTranslationStrategy;
import org.springframework.data.redis.FallbackExceptionTranslationStrategy;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * What Cohort's calls on Lettuce's own commands share: running a script as Spring Data
 * does ({@code EVALSHA}, then {@code EVAL} once if Redis does not know it), and turning
 * Lettuce's failures into Spring's, as Spring Data Redis's connections do.
 */
public final class LettuceScripts {

	private static final ExceptionTranslationStrategy TRANSLATION = new FallbackExceptionTranslationStrategy(
			new LettuceExceptionConverter());

	private LettuceScripts() {
	}

	/**
	 * Runs a script that answers a list, without waiting.
	 * @param <K> the keys' type
	 * @param <V> the arguments' type
	 * @param commands the commands to send it on
	 * @param script the script
	 * @param keys its keys
	 * @param args its arguments
	 * @return its reply, failed with Lettuce's exception (not wrapped)
	 */
	static <K, V> CompletableFuture<List<Object>> run(RedisScriptingAsyncCommands<K, V> commands, RedisScript<?> script,
			K[] keys, V[] args) {
		return commands.<List<Object>>evalsha(script.getSha1(), ScriptOutputType.MULTI, keys, args)
			.toCompletableFuture()
			.exceptionallyCompose((ex) -> (cause(ex) instanceof RedisNoScriptException)
					// Redis lost its scripts (a restart, a SCRIPT FLUSH): run the text.
					? commands.<List<Object>>eval(script.getScriptAsString(), ScriptOutputType.MULTI, keys, args)
						.toCompletableFuture()
					: CompletableFuture.failedFuture(cause(ex)));
	}

	/**
	 * The failure a completion stage wraps, or the failure itself.
	 * @param ex the failure
	 * @return what it wraps
	 */
	public static Throwable cause(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * A Lettuce failure as Spring's {@link DataAccessException}, as Spring Data Redis
	 * translates them on its connections.
	 * @param ex the failure
	 * @return the exception to throw
	 */
	public static RuntimeException translated(Throwable ex) {
		RuntimeException runtime = (ex instanceof RuntimeException failure) ? failure
				: new RedisCommandExecutionException(ex.getMessage(), ex);
		DataAccessException translated = TRANSLATION.translate(runtime);
		return (translated != null) ? translated : runtime;
	}

}

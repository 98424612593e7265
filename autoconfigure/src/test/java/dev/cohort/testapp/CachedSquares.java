package dev.cohort.testapp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/**
 * A {@code @Cacheable} service that counts how often it really computes.
 */
public class CachedSquares {

	private final AtomicInteger computed = new AtomicInteger();

	/**
	 * How many times this node really computed (a method, since callers hold a proxy).
	 * @return the count
	 */
	public int computed() {
		return this.computed.get();
	}

	/**
	 * A square, cached.
	 * @param n the number
	 * @return its square
	 */
	@Cacheable("squares")
	public Square square(int n) {
		this.computed.incrementAndGet();
		return new Square(n, (long) n * n);
	}

	/**
	 * Squares up to a number, cached as a list.
	 * @param n the last number
	 * @return the squares
	 */
	@Cacheable("square-lists")
	public List<Square> squaresTo(int n) {
		this.computed.incrementAndGet();
		return IntStream.rangeClosed(1, n).mapToObj((i) -> new Square(i, (long) i * i)).toList();
	}

	/**
	 * Nothing, cached.
	 * @param n ignored
	 * @return {@code null}
	 */
	@Cacheable("nothing")
	public Square nothing(int n) {
		this.computed.incrementAndGet();
		return null;
	}

	/**
	 * The square roots of the numbers up to {@code n}, stored whatever is cached. Their
	 * type, {@link Root}, appears only as a type argument.
	 * @param n the last number
	 * @return the roots, by number
	 */
	@CachePut(cacheNames = "roots", key = "#n")
	public Map<String, List<Root>> roots(int n) {
		this.computed.incrementAndGet();
		return Map.of("roots", IntStream.rangeClosed(1, n).mapToObj((i) -> new Root(i, Math.sqrt(i))).toList());
	}

	/**
	 * A number and its square.
	 *
	 * @param n the number
	 * @param square its square
	 */
	public record Square(int n, long square) {
	}

	/**
	 * A number and its square root.
	 *
	 * @param n the number
	 * @param root its square root
	 */
	public record Root(int n, double root) {
	}

}

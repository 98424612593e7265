package dev.cohort.cache.spring;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.core.ResolvableType;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The classes that the {@link ClusterCacheManager} builds from the class names in the
 * JSON it reads: concrete JDK value and collection types, arrays of allowed types, the
 * classes {@linkplain #allow(ResolvableType) allowed} (the application's cached types as
 * declared) and, only if asked for, every class of {@linkplain #trustPackage trusted
 * packages}. Anyone who can write to Redis chooses those names, so nothing is allowed by
 * a package prefix unless a package is trusted on purpose: {@code java.util} alone holds
 * {@code Timer}, which starts a thread when built. Types can be added while the
 * application runs; it is safe for concurrent use.
 */
public final class CacheValueTypes {

	/**
	 * JDK types whose instances are plain values or collections of them. The
	 * {@code Collections$}, {@code Arrays$} and {@code ImmutableCollections$} classes are
	 * what {@code List.of()}, {@code Collections.unmodifiableList()},
	 * {@code Arrays.asList()} and {@code Stream.toList()} return: Jackson names them and
	 * reads them back as the plain collections they wrap.
	 */
	private static final Set<String> JDK_TYPES = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Byte",
			"java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
			"java.lang.Character", "java.math.BigDecimal", "java.math.BigInteger", "java.util.UUID", "java.util.Date",
			"java.util.Locale", "java.util.Currency", "java.net.URI", "java.time.Instant", "java.time.LocalDate",
			"java.time.LocalTime", "java.time.LocalDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
			"java.time.ZonedDateTime", "java.time.Duration", "java.time.Period", "java.time.Year",
			"java.time.YearMonth", "java.time.MonthDay", "java.time.ZoneId", "java.time.ZoneOffset",
			"java.time.DayOfWeek", "java.time.Month", "java.util.ArrayList", "java.util.LinkedList",
			"java.util.ArrayDeque", "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
			"java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.EnumSet",
			"java.util.EnumMap", "java.util.Arrays$ArrayList", "java.util.Collections$EmptyList",
			"java.util.Collections$EmptySet", "java.util.Collections$EmptyMap", "java.util.Collections$SingletonList",
			"java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
			"java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
			"java.util.Collections$UnmodifiableSet", "java.util.Collections$UnmodifiableSortedSet",
			"java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap",
			"java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
			"java.util.ImmutableCollections$SubList", "java.util.ImmutableCollections$Set12",
			"java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Map1",
			"java.util.ImmutableCollections$MapN");

	/** Packages that may not be trusted whole: they hold classes with side effects. */
	private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

	/** Deep enough for any real type; a bound against self-referencing generics. */
	private static final int MAX_DEPTH = 16;

	private final Set<String> allowed = ConcurrentHashMap.newKeySet();

	private final List<String> trustedPackages = new CopyOnWriteArrayList<>();

	/**
	 * Allows a class, and the classes of its type arguments and array components, for
	 * example {@code Map<String, List<Order>>} allows {@code Order}.
	 * @param type the type
	 */
	public void allow(ResolvableType type) {
		allow(type, 0);
	}

	/**
	 * Allows a class (or, for an array, its component type).
	 * @param type the class
	 */
	public void allow(Class<?> type) {
		allow(ResolvableType.forClass(type));
	}

	private void allow(ResolvableType type, int depth) {
		if (depth > MAX_DEPTH || type == ResolvableType.NONE) {
			return;
		}
		if (type.isArray()) {
			allow(type.getComponentType(), depth + 1);
			return;
		}
		Class<?> resolved = type.resolve();
		if (resolved != null && !resolved.isPrimitive() && resolved != Object.class) {
			this.allowed.add(resolved.getName());
		}
		for (ResolvableType argument : type.getGenerics()) {
			allow(argument, depth + 1);
		}
	}

	/**
	 * Trusts every class of a package and its sub-packages.
	 * @param packageName the package
	 * @throws IllegalArgumentException for a JDK package or a blank name
	 */
	public void trustPackage(String packageName) {
		Assert.isTrue(StringUtils.hasText(packageName), "A trusted package must not be blank");
		String prefix = packageName.strip().endsWith(".") ? packageName.strip() : packageName.strip() + ".";
		Assert.isTrue(JDK_PACKAGES.stream().noneMatch(prefix::startsWith),
				() -> "Package '" + packageName + "' cannot be trusted: JDK packages hold classes that act when "
						+ "built (java.util.Timer starts a thread); name the classes in cluster.cache.allowed-types");
		this.trustedPackages.add(prefix);
	}

	/**
	 * Whether the class of this name may be built, decided on the name alone so that a
	 * refused class is not even loaded.
	 * @param className the name, as {@link Class#getName()} gives it
	 * @return whether it is allowed
	 */
	boolean allows(String className) {
		if (className.startsWith("[")) {
			return allowsArray(className.substring(1));
		}
		return JDK_TYPES.contains(className) || this.allowed.contains(className)
				|| this.trustedPackages.stream().anyMatch(className::startsWith);
	}

	/**
	 * An array's component, named as after the {@code [} of {@link Class#getName()}:
	 * {@code I} for {@code int}, {@code Lcom.example.Order;}, or another array.
	 */
	private boolean allowsArray(String component) {
		if (component.startsWith("L") && component.endsWith(";")) {
			return allows(component.substring(1, component.length() - 1));
		}
		return component.startsWith("[") ? allowsArray(component.substring(1))
				: component.length() == 1 && "ZBCSIJFD".contains(component);
	}

}

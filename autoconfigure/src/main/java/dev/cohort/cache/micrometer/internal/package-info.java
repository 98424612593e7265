/**
 * The binder that gives the caches Cohort's cache managers create after start-up their
 * Spring Boot cache meters.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on
 * {@code dev.cohort.cache.micrometer} instead.
 */
@NullMarked
package dev.cohort.cache.micrometer.internal;

import org.jspecify.annotations.NullMarked;

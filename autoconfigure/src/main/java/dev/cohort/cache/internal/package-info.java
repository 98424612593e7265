/**
 * The cache engine: {@code DefaultClusterCache}, which holds the logic every store shares
 * (mapping values, waiting for locks, renewing them, dumping and restoring), and its
 * helpers.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of {@code dev.cohort.cache} instead.
 */
@NullMarked
package dev.cohort.cache.internal;

import org.jspecify.annotations.NullMarked;

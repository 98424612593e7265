/**
 * The signed envelope every message between nodes travels in, its codec, signer, verifier
 * and replay guard, and the bus that carries it.
 * <p>
 * Not API: Cohort's engine, which may change in any release without notice. Depend on the
 * interfaces of the capability packages instead.
 */
@NullMarked
package dev.cohort.cluster.message.internal;

import org.jspecify.annotations.NullMarked;

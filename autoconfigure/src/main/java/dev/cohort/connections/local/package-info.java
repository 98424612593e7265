/**
 * The directory of connections and room members in this JVM, for the local transport.
 */
@NullMarked
package dev.cohort.connections.local;

import org.jspecify.annotations.NullMarked;

/**
 * The {@code cluster} actuator endpoint, on
 * {@link dev.cohort.operations.ClusterOperations}. Present only with Spring Boot's
 * actuator on the classpath.
 */
@NullMarked
package dev.cohort.operations.actuate;

import org.jspecify.annotations.NullMarked;

/**
 * Spring Boot auto-configuration of Cohort and its configuration properties.
 */
@NullMarked
package dev.cohort.autoconfigure;

import org.jspecify.annotations.NullMarked;

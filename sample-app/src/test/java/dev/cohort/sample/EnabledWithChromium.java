package dev.cohort.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A browser test class that needs Debian's Chromium and ChromeDriver
 * ({@link HeadlessChromium}). Where they are missing, the class is skipped on a
 * developer's machine and fails on CI (the environment variable {@code CI} set to any
 * non-empty value), as Testcontainers does without Docker; see {@link ChromiumCondition}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ChromiumCondition.class)
@interface EnabledWithChromium {

}

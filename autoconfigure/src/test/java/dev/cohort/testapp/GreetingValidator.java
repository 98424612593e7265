package dev.cohort.testapp;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The application's validator, as Bean Validation would be with
 * {@code spring-boot-starter-validation}: a greeting's number must not be negative.
 */
public class GreetingValidator implements Validator {

	@Override
	public boolean supports(Class<?> type) {
		return Greeting.class.equals(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		if (((Greeting) target).number() < 0) {
			errors.rejectValue("number", "negative", "must not be negative");
		}
	}

}

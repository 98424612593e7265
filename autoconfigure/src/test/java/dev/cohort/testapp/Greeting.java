package dev.cohort.testapp;

/**
 * A payload for tests.
 *
 * @param text the text
 * @param number a number
 */
public record Greeting(String text, int number) {

}

package dev.cohort.connections.internal;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * Writes a connection's frames to its socket for a {@link ClientOutbox}, one at a time,
 * without blocking the caller.
 */
interface FrameWriter {

	/**
	 * Starts writing a frame. Never blocks; the caller writes no other frame until this
	 * one is done.
	 * @param frame the frame
	 * @param done called once when the frame is written ({@code null}) or could not be
	 * (the exception), on any thread, possibly the caller's
	 */
	void write(String frame, Consumer<@Nullable Throwable> done);

	/**
	 * Closes the socket, never blocking the caller (closing can wait for the client).
	 * @param status the close status
	 */
	void close(CloseStatus status);

}

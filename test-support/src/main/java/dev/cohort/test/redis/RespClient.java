package dev.cohort.test.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny blocking RESP2 client, just enough to start up, probe and wire together the
 * servers of this package without pulling a real client (and its threads) into every
 * fixture.
 */
final class RespClient implements Closeable {

	private static final int CONNECT_TIMEOUT_MILLIS = 1000;

	private static final int READ_TIMEOUT_MILLIS = 5000;

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RespClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	/**
	 * Open a connection to the given address.
	 * @param host the host
	 * @param port the port
	 * @return the connected client
	 * @throws IOException if the connection cannot be established
	 */
	static RespClient connect(String host, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			socket.setTcpNoDelay(true);
			return new RespClient(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Connect, run one command and disconnect.
	 * @param host the host
	 * @param port the port
	 * @param args the command and its arguments
	 * @return the reply, see {@link #call(String...)}
	 * @throws IOException on connection problems
	 */
	static Object call(String host, int port, String... args) throws IOException {
		try (RespClient client = connect(host, port)) {
			return client.call(args);
		}
	}

	/**
	 * Run one command. Simple and bulk strings are returned as {@link String}, integers
	 * as {@link Long}, arrays as {@link List}, nil as {@code null}; an error reply is
	 * thrown as {@link ErrorReplyException}.
	 * @param args the command and its arguments
	 * @return the reply
	 * @throws IOException on connection problems
	 */
	Object call(String... args) throws IOException {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		writeLine(buffer, "*" + args.length);
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			writeLine(buffer, "$" + bytes.length);
			buffer.write(bytes);
			writeLine(buffer, "");
		}
		this.out.write(buffer.toByteArray());
		this.out.flush();
		return read();
	}

	/**
	 * Run {@code INFO <section>} and parse the {@code key:value} lines.
	 * @param section the INFO section
	 * @return the fields of the section
	 * @throws IOException on connection problems
	 */
	Map<String, String> info(String section) throws IOException {
		return parseInfo((String) call("INFO", section));
	}

	static Map<String, String> parseInfo(String info) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String line : info.split("\r?\n")) {
			int colon = line.indexOf(':');
			if (!line.startsWith("#") && colon > 0) {
				fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
			}
		}
		return fields;
	}

	private static void writeLine(ByteArrayOutputStream buffer, String line) {
		buffer.writeBytes(line.getBytes(StandardCharsets.UTF_8));
		buffer.write('\r');
		buffer.write('\n');
	}

	private Object read() throws IOException {
		int type = this.in.read();
		if (type == -1) {
			throw new EOFException("Connection closed by server");
		}
		String line = readLine();
		switch (type) {
			case '+':
				return line;
			case '-':
				throw new ErrorReplyException(line);
			case ':':
				return Long.parseLong(line);
			case '$': {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				byte[] bytes = this.in.readNBytes(length);
				if (bytes.length != length) {
					throw new EOFException("Connection closed by server");
				}
				readLine();
				return new String(bytes, StandardCharsets.UTF_8);
			}
			case '*': {
				int length = Integer.parseInt(line);
				if (length < 0) {
					return null;
				}
				List<Object> elements = new ArrayList<>(length);
				for (int i = 0; i < length; i++) {
					try {
						elements.add(read());
					}
					catch (ErrorReplyException ex) {
						elements.add(ex);
					}
				}
				return elements;
			}
			default:
				throw new IOException("Unexpected RESP type '" + (char) type + "'");
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int current = this.in.read();
			if (current == -1) {
				throw new EOFException("Connection closed by server");
			}
			if (previous == '\r' && current == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(current);
			previous = current;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * An error reply ({@code -ERR ...}) from the server.
	 */
	static final class ErrorReplyException extends IOException {

		ErrorReplyException(String message) {
			super(message);
		}

	}

}

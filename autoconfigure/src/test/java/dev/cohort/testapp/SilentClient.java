package dev.cohort.testapp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket client on a raw socket that reads the handshake and the server's first
 * frame, then never reads again: the server's writes to it pile up in the socket buffers,
 * as with a client that hung or a malicious one. Its receive buffer is small, so that
 * they fill soon.
 */
public final class SilentClient implements AutoCloseable {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final Socket socket;

	private final OutputStream out;

	private final JsonNode welcome;

	private SilentClient(int port) throws IOException {
		this.socket = new Socket();
		this.socket.setReceiveBufferSize(4096);
		this.socket.setSoTimeout(20_000);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
		this.out = this.socket.getOutputStream();
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String request = "GET /cohort/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		InputStream in = this.socket.getInputStream();
		String head = readHead(in);
		if (!head.startsWith("HTTP/1.1 101")) {
			throw new IOException("Handshake refused: " + head);
		}
		this.welcome = mapper.readTree(readTextFrame(in));
	}

	/**
	 * Connects to the WebSocket endpoint on a port and reads the welcome.
	 * @param port the port
	 * @return the client
	 * @throws IOException if it cannot connect
	 */
	public static SilentClient connect(int port) throws IOException {
		return new SilentClient(port);
	}

	/**
	 * This client's connection id, from the welcome.
	 * @return the id
	 */
	public String id() {
		return this.welcome.path("connectionId").stringValue();
	}

	/**
	 * Sends a text frame, masked as a client must.
	 * @param json the frame
	 * @throws IOException if it cannot be sent
	 */
	public void send(String json) throws IOException {
		byte[] payload = json.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		frame.write(0x81);
		if (payload.length < 126) {
			frame.write(0x80 | payload.length);
		}
		else {
			frame.write(0x80 | 126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		frame.write(mask);
		for (int i = 0; i < payload.length; i++) {
			frame.write(payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame.toByteArray());
		this.out.flush();
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("Connection closed during the handshake");
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	private static String readTextFrame(InputStream in) throws IOException {
		int opcode = in.read() & 0x0F;
		int length = in.read() & 0x7F;
		if (length == 126) {
			length = (in.read() << 8) | in.read();
		}
		byte[] payload = in.readNBytes(length);
		if (opcode != 1) {
			throw new IOException("Expected a text frame, got opcode " + opcode);
		}
		return new String(payload, StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}

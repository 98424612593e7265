package dev.cohort.rpc.internal;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Reads and writes the bodies of RPC messages ({@link RpcWire}) field by field with
 * Jackson's streaming API. The JSON is what mapping the records would give, and is read
 * from any order of fields; it is written by hand because mapping records in Jackson 3
 * calls their constructors and accessors through method handles made for each message,
 * which in a profile of RPC calls cost more than reading and writing the JSON. Arguments,
 * values and errors are still mapped with the application's mapper.
 */
final class RpcWireCodec {

	private final JsonMapper mapper;

	/**
	 * Reads one value from the middle of a body: the rest of the body follows it, which
	 * is not the trailing content the feature refuses.
	 */
	private final ObjectReader values;

	private final ObjectReader errors;

	/**
	 * Creates a codec.
	 * @param mapper the application's mapper
	 */
	RpcWireCodec(JsonMapper mapper) {
		this.mapper = mapper;
		this.values = mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.errors = this.values.forType(RpcWire.Error.class);
	}

	/**
	 * Writes a request.
	 * @param call the call id
	 * @param method the method name
	 * @param args each argument as JSON text, as the application's mapper wrote it
	 * @param reply whether the caller waits for a reply
	 * @param deadline when the caller gives up, or {@code null}
	 * @return the body
	 */
	String writeRequest(String call, String method, List<String> args, boolean reply, @Nullable Long deadline) {
		return write(call, method, (json) -> {
			json.writeName("args");
			json.writeStartArray();
			for (String arg : args) {
				json.writeRawValue(arg);
			}
			json.writeEndArray();
			json.writeBooleanProperty("reply", reply);
			json.writeName("deadline");
			if (deadline == null) {
				json.writeNull();
			}
			else {
				json.writeNumber(deadline);
			}
		});
	}

	/**
	 * Writes a reply.
	 * @param call the call id
	 * @param method the method name
	 * @param value the result as JSON text, as the application's mapper wrote it, or
	 * {@code null} when there is an error
	 * @param error what went wrong, or {@code null}
	 * @return the body
	 */
	String writeReply(@Nullable String call, @Nullable String method, @Nullable String value,
			RpcWire.@Nullable Error error) {
		return write(call, method, (json) -> {
			json.writeName("value");
			if (value == null) {
				json.writeNull();
			}
			else {
				json.writeRawValue(value);
			}
			json.writeName("error");
			json.writePOJO(error);
		});
	}

	/**
	 * A body: an object of the call id, the method name and the fields the rest writes.
	 */
	private String write(@Nullable String call, @Nullable String method, Consumer<JsonGenerator> rest) {
		TextWriter out = new TextWriter();
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			json.writeStartObject();
			json.writeStringProperty("call", call);
			json.writeStringProperty("method", method);
			rest.accept(json);
			json.writeEndObject();
		}
		return out.toString();
	}

	/**
	 * Reads a request; a field that is missing or JSON's null is {@code null}.
	 * @throws JacksonException if the body is not a JSON object, or a field is not of its
	 * type
	 */
	RpcWire.Request readRequest(String body) {
		try (JsonParser json = object(body)) {
			String call = null;
			String method = null;
			List<JsonNode> args = null;
			boolean reply = false;
			Long deadline = null;
			String name;
			while ((name = json.nextName()) != null) {
				JsonToken token = json.nextToken();
				switch (name) {
					case "call" -> call = text(json, name, token);
					case "method" -> method = text(json, name, token);
					case "args" ->
						args = expect(json, name, token, JsonToken.START_ARRAY, "an array") ? trees(json) : null;
					case "reply" -> reply = bool(json, name, token);
					case "deadline" ->
						deadline = expect(json, name, token, JsonToken.VALUE_NUMBER_INT, "a whole number")
								? json.getLongValue() : null;
					default -> json.skipChildren();
				}
			}
			return new RpcWire.Request(call, method, args, reply, deadline);
		}
	}

	/**
	 * Reads a reply; a field that is missing or JSON's null is {@code null}.
	 * @throws JacksonException if the body is not a JSON object, or a field is not of its
	 * type
	 */
	RpcWire.Reply readReply(String body) {
		try (JsonParser json = object(body)) {
			String call = null;
			String method = null;
			JsonNode value = null;
			RpcWire.Error error = null;
			String name;
			while ((name = json.nextName()) != null) {
				JsonToken token = json.nextToken();
				switch (name) {
					case "call" -> call = text(json, name, token);
					case "method" -> method = text(json, name, token);
					case "value" -> value = tree(json);
					case "error" -> error = expect(json, name, token, JsonToken.START_OBJECT, "an object")
							? this.errors.<RpcWire.Error>readValue(json) : null;
					default -> json.skipChildren();
				}
			}
			return new RpcWire.Reply(call, method, value, error);
		}
	}

	private JsonParser object(String body) {
		JsonParser json = this.mapper.createParser(body);
		if (json.nextToken() != JsonToken.START_OBJECT) {
			StreamReadException ex = new StreamReadException(json, "the body is not a JSON object");
			json.close();
			throw ex;
		}
		return json;
	}

	private static @Nullable String text(JsonParser json, String name, JsonToken token) {
		return expect(json, name, token, JsonToken.VALUE_STRING, "a string") ? json.getString() : null;
	}

	/** A boolean field; JSON's null is {@code false}. */
	private static boolean bool(JsonParser json, String name, JsonToken token) {
		if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
			return token == JsonToken.VALUE_TRUE;
		}
		expect(json, name, token, null, "true or false");
		return false;
	}

	/**
	 * Whether a field holds the token expected; {@code false} if it is JSON's null.
	 * @throws StreamReadException if it holds anything else, as mapping the records
	 * refused such a body
	 */
	private static boolean expect(JsonParser json, String name, JsonToken token, @Nullable JsonToken expected,
			String what) {
		if (token == expected) {
			return true;
		}
		if (token == JsonToken.VALUE_NULL) {
			return false;
		}
		throw new StreamReadException(json, "field '" + name + "' is not " + what);
	}

	private List<JsonNode> trees(JsonParser json) {
		List<JsonNode> trees = new ArrayList<>();
		while (json.nextToken() != JsonToken.END_ARRAY) {
			trees.add(tree(json));
		}
		return trees;
	}

	/** The value at the current token as a tree; JSON's null as {@link NullNode}. */
	private JsonNode tree(JsonParser json) {
		JsonNode tree = this.values.readTree(json);
		return (tree != null) ? tree : NullNode.getInstance();
	}

	/**
	 * Collects the text written, like {@code StringWriter} but without its lock on every
	 * write: one generator writes from one thread.
	 */
	private static final class TextWriter extends Writer {

		private final StringBuilder text = new StringBuilder(128);

		@Override
		public void write(char[] chars, int offset, int length) {
			this.text.append(chars, offset, length);
		}

		@Override
		public void write(String chars, int offset, int length) {
			this.text.append(chars, offset, offset + length);
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

		@Override
		public String toString() {
			return this.text.toString();
		}

	}

}

package dev.cohort.rpc.internal;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bodies of RPC messages read and write as mapping the records does, so that nodes of
 * this version and of earlier ones, which mapped the records, understand each other.
 */
class RpcWireCodecTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final RpcWireCodec codec = new RpcWireCodec(this.mapper);

	private final RpcWire.Request request = new RpcWire.Request("c1", "greet",
			List.of(tree("{\"name\":\"a \\\"b\\\"\"}"), tree("7"), NullNode.getInstance()), true, 1234L);

	private final RpcWire.Reply reply = new RpcWire.Reply("c1", "greet", tree("[1,{\"x\":null}]"), null);

	/** Its value is JSON's null, which both readers read as a null node. */
	private final RpcWire.Reply error = new RpcWire.Reply("c1", "greet", NullNode.getInstance(),
			new RpcWire.Error("failed", "java.lang.IllegalStateException", "no", "at here"));

	@Test
	void requestsReadAsTheRecordsMapAndBack() {
		assertThat(this.mapper.readValue(write(this.request), RpcWire.Request.class)).isEqualTo(this.request);
		assertThat(this.codec.readRequest(this.mapper.writeValueAsString(this.request))).isEqualTo(this.request);
		RpcWire.Request fireAndForget = new RpcWire.Request("c2", "m", List.of(), false, null);
		assertThat(this.codec.readRequest(write(fireAndForget))).isEqualTo(fireAndForget);
	}

	@Test
	void repliesReadAsTheRecordsMapAndBack() {
		for (RpcWire.Reply each : List.of(this.reply, this.error)) {
			assertThat(this.mapper.readValue(write(each), RpcWire.Reply.class)).isEqualTo(each);
			assertThat(this.codec.readReply(this.mapper.writeValueAsString(each))).isEqualTo(each);
		}
	}

	@Test
	void fieldsComeInAnyOrderAndUnknownOnesAreSkipped() {
		RpcWire.Request read = this.codec.readRequest(
				"{\"deadline\":5,\"extra\":{\"a\":[1]},\"args\":[1],\"reply\":true,\"method\":\"m\",\"call\":\"c\"}");
		assertThat(read).isEqualTo(new RpcWire.Request("c", "m", List.of(tree("1")), true, 5L));
	}

	@Test
	void fieldsOfTheWrongTypeAreRefusedAndNullsAreMissing() {
		for (String body : List.of("{\"call\":{\"a\":1}}", "{\"method\":[\"m\"]}", "{\"args\":{}}",
				"{\"reply\":\"yes\"}", "{\"deadline\":\"soon\"}")) {
			assertThatExceptionOfType(JacksonException.class).as(body)
				.isThrownBy(() -> this.codec.readRequest(body))
				.withMessageContaining("is not");
		}
		assertThatExceptionOfType(JacksonException.class).isThrownBy(() -> this.codec.readReply("{\"error\":\"bad\"}"));
		assertThat(this.codec
			.readRequest("{\"call\":null,\"method\":null,\"args\":null,\"reply\":null,\"deadline\":null}"))
			.isEqualTo(new RpcWire.Request(null, null, null, false, null));
		assertThat(this.codec.readReply("{\"call\":null,\"error\":null}"))
			.isEqualTo(new RpcWire.Reply(null, null, null, null));
	}

	@Test
	void bodiesThatAreNotJsonObjectsAreRefused() {
		for (String body : List.of("[1]", "\"text\"", "{\"call\":", "not json")) {
			assertThatExceptionOfType(JacksonException.class).as(body).isThrownBy(() -> this.codec.readRequest(body));
			assertThatExceptionOfType(JacksonException.class).as(body).isThrownBy(() -> this.codec.readReply(body));
		}
	}

	/** Writes a request as a node does, from its arguments as JSON text. */
	private String write(RpcWire.Request request) {
		return this.codec.writeRequest(request.call(), request.method(),
				request.args().stream().map(this.mapper::writeValueAsString).toList(), request.reply(),
				request.deadline());
	}

	/** Writes a reply as a node does, from its value as JSON text. */
	private String write(RpcWire.Reply reply) {
		JsonNode value = reply.value();
		return this.codec.writeReply(reply.call(), reply.method(),
				(value != null && !value.isNull()) ? this.mapper.writeValueAsString(value) : null, reply.error());
	}

	private JsonNode tree(String json) {
		return this.mapper.readTree(json);
	}

}

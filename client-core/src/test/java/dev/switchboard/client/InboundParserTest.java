package dev.switchboard.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's frames, exactly as docs/PROTOCOL.md shows them. */
class InboundParserTest {
    @Test
    void welcomes() throws IOException {
        assertThat(InboundParser.parse(
                "{\"type\":\"welcome\",\"connectionId\":\"3f9a-1\",\"userId\":\"bob\",\"epoch\":\"7BwTCEko7kM\",\"seq\":41}"))
                .isEqualTo(new Inbound.Welcome("3f9a-1", "bob", "7BwTCEko7kM", 41, null, 0));
        assertThat(InboundParser.parse("{\"type\":\"welcome\",\"connectionId\":\"c\",\"userId\":\"bob\","
                + "\"epoch\":\"E\",\"seq\":45,\"recovered\":true,\"missed\":4}"))
                .isEqualTo(new Inbound.Welcome("c", "bob", "E", 45, true, 4));
        assertThat(InboundParser.parse(
                "{\"type\":\"welcome\",\"connectionId\":\"c\",\"userId\":null,\"epoch\":null,\"seq\":0}"))
                .isEqualTo(new Inbound.Welcome("c", null, null, 0, null, 0));
    }

    @Test
    void messagesKeepTheirBodyExactly() throws IOException {
        Inbound text = InboundParser.parse("{\"type\":\"message\",\"seq\":42,\"from\":\"alice\","
                + "\"message\":\"any \\\"JSON\\\" \\u00e9\",\"ts\":1764100000000}");
        Inbound json = InboundParser.parse("{\"type\":\"message\",\"seq\":43,\"from\":null,"
                + "\"message\":{\"n\":1.10,\"deep\":[[{}]]},\"ts\":1764100000001,\"receipt\":true}");

        Message first = ((Inbound.Delivery) text).message();
        assertThat(first).isEqualTo(new Message(42, "alice", "\"any \\\"JSON\\\" é\"", "any \"JSON\" é",
                1764100000000L, false));
        Message second = ((Inbound.Delivery) json).message();
        assertThat(second.json()).isEqualTo("{\"n\":1.10,\"deep\":[[{}]]}");
        assertThat(second.isText()).isFalse();
        assertThat(second.from()).isNull();
        assertThat(second.receiptRequested()).isTrue();
    }

    @Test
    void answersAndEvents() throws IOException {
        assertThat(InboundParser.parse("{\"type\":\"ack\",\"id\":\"r1\",\"to\":\"bob\",\"delivered\":2,\"seq\":42}"))
                .isEqualTo(new Inbound.Answer("r1", new Ack("bob", 2, 42)));
        assertThat(InboundParser.parse(
                "{\"type\":\"ack\",\"id\":\"r1\",\"to\":\"bob\",\"delivered\":1,\"seq\":43,\"partial\":true}"))
                .as("a cluster node did not report in time")
                .isEqualTo(new Inbound.Answer("r1", new Ack("bob", 1, 43, true)));
        assertThat(InboundParser.parse(
                "{\"type\":\"presence\",\"id\":\"r2\",\"user\":\"bob\",\"online\":true,\"connections\":2}"))
                .isEqualTo(new Inbound.Answer("r2", new Presence("bob", true, 2)));
        assertThat(InboundParser.parse("{\"type\":\"presence\",\"user\":\"bob\",\"online\":false,\"connections\":0}"))
                .isEqualTo(new Inbound.Event(new Presence("bob", false, 0)));
        assertThat(InboundParser.parse(
                "{\"type\":\"receipt\",\"id\":\"r1\",\"to\":\"bob\",\"seq\":42,\"connectionId\":\"3f9a-7\"}"))
                .isEqualTo(new Inbound.Event(new Receipt("bob", 42, "3f9a-7")));
        assertThat(InboundParser.parse("{\"type\":\"pong\",\"id\":\"r3\"}")).isEqualTo(new Inbound.Answer("r3", null));
        assertThat(InboundParser.parse("{\"type\":\"error\",\"id\":null,\"code\":\"rate_limited\",\"error\":\"slow down\"}"))
                .isEqualTo(new Inbound.Failure(null, "rate_limited", "slow down"));
    }

    @Test
    void unknownTypesAndMembersAreSkippedAsTheProtocolGrowsByAdding() throws IOException {
        assertThat(InboundParser.parse("{\"type\":\"gossip\",\"x\":[1,{\"y\":2}]}")).isEqualTo(new Inbound.Unknown("gossip"));
        assertThat(InboundParser.parse("{\"novel\":{\"a\":[1]},\"type\":\"pong\",\"id\":\"r9\",\"more\":true}"))
                .isEqualTo(new Inbound.Answer("r9", null));
    }

    @Test
    void framesThatAreNotTheProtocolAreErrors() {
        assertThatThrownBy(() -> InboundParser.parse("[1]")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> InboundParser.parse("{\"seq\":1}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> InboundParser.parse("{\"type\":\"message\",\"seq\":1}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> InboundParser.parse("{\"type\":\"ack\",\"id\":\"r1\"}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> InboundParser.parse("{\"type\":")).isInstanceOf(IOException.class);
    }
}

package dev.switchboard.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisInfoTest {

    private static final String INFO = """
            # Stats\r
            total_commands_processed:1234\r
            \r
            # CPU\r
            used_cpu_sys:1.500000\r
            used_cpu_user:2.250000\r
            # Commandstats\r
            cmdstat_evalsha:calls=100,usec=900,usec_per_call=9.00,rejected_calls=0,failed_calls=0\r
            cmdstat_config|resetstat:calls=1,usec=33,usec_per_call=33.00\r
            """;

    @Test
    void readsCountersCpuAndCalls() {
        RedisInfo info = RedisInfo.parse(INFO);

        assertThat(info.totalCommands()).isEqualTo(1234);
        assertThat(info.cpuSeconds()).isEqualTo(3.75);
        assertThat(info.calls()).containsEntry("evalsha", 100L).containsEntry("config|resetstat", 1L).hasSize(2);
    }

    @Test
    void severalServersAddUp() {
        RedisInfo a = RedisInfo.parse("total_commands_processed:10\r\nused_cpu_user:1.5\r\nused_cpu_sys:0.5\r\n"
                + "cmdstat_evalsha:calls=4,usec=40\r\n");
        RedisInfo b = RedisInfo.parse("total_commands_processed:5\r\nused_cpu_user:1\r\n"
                + "cmdstat_evalsha:calls=1,usec=9\r\ncmdstat_spublish:calls=2,usec=3\r\n");

        RedisInfo sum = RedisInfo.sum(java.util.List.of(a, b));

        assertThat(sum.totalCommands()).isEqualTo(15);
        assertThat(sum.cpuSeconds()).isEqualTo(3.0);
        assertThat(sum.calls()).containsEntry("evalsha", 5L).containsEntry("spublish", 2L);
        assertThat(sum.usec()).containsEntry("evalsha", 49L).containsEntry("spublish", 3L);
    }

    @Test
    void missingCountersReadAsZero() {
        RedisInfo info = RedisInfo.parse("# Server\r\nredis_version:7.0.15\r\n");

        assertThat(info.totalCommands()).isZero();
        assertThat(info.cpuSeconds()).isZero();
        assertThat(info.calls()).isEmpty();
    }

    @Test
    void readsOneBulkString() throws IOException {
        byte[] reply = "$5\r\nab:cd\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(RedisInfo.readBulk(new ByteArrayInputStream(reply))).isEqualTo("ab:cd");
    }

    @Test
    void anErrorReplyIsAnError() {
        byte[] reply = "-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> RedisInfo.readBulk(new ByteArrayInputStream(reply)))
                .isInstanceOf(IOException.class).hasMessageContaining("NOAUTH");
    }

    @Test
    void hostPortParsesItsForms() {
        assertThat(HostPort.parse("redis:6379")).isEqualTo(new HostPort("redis", 6379));
        assertThat(HostPort.parse("6400")).isEqualTo(new HostPort("127.0.0.1", 6400));
        assertThat(HostPort.parse(":6400")).isEqualTo(new HostPort("127.0.0.1", 6400));
        assertThatThrownBy(() -> HostPort.parse("redis")).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.switchboard.client;

import dev.switchboard.client.jdk.JdkWebSocketTransport;
import dev.switchboard.client.okhttp.OkHttpWebSocketTransport;
import dev.switchboard.client.transport.WebSocketTransport;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Android needs of the client, proved with the JDK's {@code jdeps} on the built classes: the
 * core ({@code switchboard-client-core}) and the OkHttp transport ({@code switchboard-client-okhttp})
 * use no module of the JDK but those Android has — above all not {@code java.net.http}, which it
 * lacks. (Which APIs of those modules they call is animal-sniffer's check, at their build, against
 * Android's API level 26.) The JDK transport is the control: there jdeps must find {@code java.net.http}.
 */
class AndroidReadyTest {
    /** The JDK modules whose packages Android provides (java.lang…, java.util…, java.util.logging). */
    private static final Set<String> ON_ANDROID = Set.of("java.base", "java.logging");

    @Test
    void theCoreUsesNoJdkModuleAndroidLacks() throws Exception {
        assertThat(jdkModules(WebSocketTransport.class)).as("the JDK modules switchboard-client-core needs")
                .contains("java.base").doesNotContain("java.net.http").isSubsetOf(ON_ANDROID);
    }

    @Test
    void theOkHttpTransportUsesNoJdkModuleAndroidLacks() throws Exception {
        assertThat(jdkModules(OkHttpWebSocketTransport.class)).as("the JDK modules switchboard-client-okhttp needs")
                .contains("java.base").doesNotContain("java.net.http").isSubsetOf(ON_ANDROID);
    }

    @Test
    void jdepsFindsJavaNetHttpWhereItIsUsed() throws Exception {
        assertThat(jdkModules(JdkWebSocketTransport.class)).as("the JDK modules switchboard-client needs")
                .contains("java.net.http");
    }

    /** The JDK modules the jar or classes directory holding {@code member} needs, by {@code jdeps --list-deps}. */
    private static List<String> jdkModules(Class<?> member) throws Exception {
        Path where = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "--list-deps", "--ignore-missing-deps", where.toString());
        assertThat(status).as("jdeps on %s: %s", where, err).isZero();
        return out.toString().lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
    }
}

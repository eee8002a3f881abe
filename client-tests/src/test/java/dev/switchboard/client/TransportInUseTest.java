package dev.switchboard.client;

import dev.switchboard.client.testing.Servers;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite runs over the transport its run names (-Ddev.switchboard.client.transport): a client
 * built without one finds it, and its handshake is that library's, as a server sees it.
 */
class TransportInUseTest {
    @Test
    void aClientBuiltWithoutATransportOpensItsWebSocketWithTheNamedOne() throws Exception {
        String named = System.getProperty(Transports.PROPERTY);
        assertThat(named).as("the surefire run names the transport").isIn("jdk", "okhttp");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + listener.getLocalPort()
                    + "/")).userId("bob").options(Servers.fastOptions()).build();
            try {
                client.connect();
                Map<String, String> headers;
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(5_000);
                    headers = headers(socket);
                    socket.getOutputStream().write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(headers).containsEntry("sec-websocket-protocol", "switchboard.v1");
                assertThat(headers.get("user-agent")).as("the library that opened the WebSocket")
                        .startsWith(named.equals("okhttp") ? "okhttp/" : "Java-http-client/");
            } finally {
                client.close();
            }
        }
    }

    /** The request's headers, names in lower case. */
    private static Map<String, String> headers(Socket socket) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        Map<String, String> headers = new HashMap<>();
        String line = in.readLine(); // the request line
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }
}

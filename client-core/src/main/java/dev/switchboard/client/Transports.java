package dev.switchboard.client;

import dev.switchboard.client.transport.WebSocketTransport;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the {@link WebSocketTransport} of a client built without one: the one on the class path
 * ({@link ServiceLoader}), or, when there are several, the one the system property
 * {@value #PROPERTY} names. Stateless.
 */
final class Transports {
    /** Names the transport to use when several are on the class path: {@code jdk}, {@code okhttp}. */
    static final String PROPERTY = "dev.switchboard.client.transport";

    private Transports() {
    }

    /**
     * @throws IllegalStateException when none is found, several are and the property names none,
     *     or the property names one that is not there
     */
    static WebSocketTransport discover() {
        return choose(found(), System.getProperty(PROPERTY));
    }

    /** The transports on the class path; one that cannot load here (its library is missing) is left out. */
    static List<WebSocketTransport> found() {
        List<WebSocketTransport> found = new ArrayList<>();
        // This form (the interface's own class loader) is the one R8 rewrites for Android.
        Iterator<WebSocketTransport> providers =
                ServiceLoader.load(WebSocketTransport.class, WebSocketTransport.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return found;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError | LinkageError unusable) {
                // e.g. switchboard-client's JDK transport on Android, which has no java.net.http
            }
        }
    }

    /** The choice among {@code found}, as {@link #discover} makes it; {@code wanted} may be {@code null}. */
    static WebSocketTransport choose(List<WebSocketTransport> found, String wanted) {
        List<String> names = new ArrayList<>();
        for (WebSocketTransport transport : found) {
            names.add(transport.name());
        }
        if (wanted != null && !wanted.trim().isEmpty()) {
            for (WebSocketTransport transport : found) {
                if (transport.name().equals(wanted.trim())) {
                    return transport;
                }
            }
            throw new IllegalStateException("-D" + PROPERTY + "=" + wanted + " names no WebSocket transport on the"
                    + " class path; found: " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no WebSocket transport on the class path: depend on"
                    + " dev.switchboard:switchboard-client (the JDK's, for desktops and servers) or"
                    + " dev.switchboard:switchboard-client-okhttp (OkHttp, for Android), or give one with"
                    + " builder.transport(...)");
        }
        throw new IllegalStateException("several WebSocket transports on the class path (" + String.join(", ", names)
                + "): choose one with builder.transport(...) or -D" + PROPERTY + "=" + names.get(0));
    }
}

package dev.switchboard.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened and must close — servers, clients, Redis processes — closed in the reverse
 * order they were kept (clients before their server, servers before their Redis). A test keeps one
 * and closes it in its {@code @AfterEach}.
 */
public final class Closer implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Keeps {@code resource} to close later; returns it. */
    public <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Closes everything kept, the last kept first, each even if another failed; throws the first failure. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        resources.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Closes each of {@code all}, each even if another failed; throws the first failure. */
    public static void closeAll(List<? extends AutoCloseable> all) throws Exception {
        Closer closer = new Closer();
        all.forEach(closer::keep);
        closer.close();
    }
}

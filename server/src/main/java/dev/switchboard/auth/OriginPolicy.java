package dev.switchboard.auth;

import java.util.Set;

/**
 * Which browser origins may open a WebSocket ({@code --allowed-origins}), against cross-site
 * WebSocket hijacking. Exact, case-sensitive match on the {@code Origin} header.
 *
 * <p>A handshake without {@code Origin} is not from a browser page (browsers always send it), so
 * the origin check cannot apply to it; such clients are guarded by the token in token mode.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    /** @param allowed the allowed origins; empty allows every origin */
    public OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    public boolean permits(String origin) {
        return origin == null || allowed.isEmpty() || allowed.contains(origin);
    }
}

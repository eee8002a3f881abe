package dev.switchboard.auth;

/**
 * What a client presented at its handshake, extracted by the transport.
 *
 * @param bearerToken the token from {@code Authorization: Bearer …} or, failing that, from
 *     {@code ?token=}; {@code null} if neither
 * @param requestedUserId the {@code ?userId=} query parameter, {@code null} if absent or empty
 */
public record Credentials(String bearerToken, String requestedUserId) {
    @Override
    public String toString() {
        // Never the token.
        return "Credentials[token=" + (bearerToken == null ? "none" : "present") + "]";
    }
}

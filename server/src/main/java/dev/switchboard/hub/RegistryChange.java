package dev.switchboard.hub;

/** What a {@link ConnectionRegistry} add or remove changed, so counters and subscriptions stay exact. */
public enum RegistryChange {
    /** Nothing: the session was already registered (add) or was not registered (remove). */
    UNCHANGED,
    /** Added a connection to a user who already had one. */
    ADDED,
    /** Added the user's first connection: the user came online on this node. */
    USER_ONLINE,
    /** Removed a connection; the user still has others. */
    REMOVED,
    /** Removed the user's last connection: the user went offline on this node; no entry remains. */
    USER_OFFLINE;

    public boolean changed() {
        return this != UNCHANGED;
    }
}

package dev.switchboard.client;

import java.util.Objects;

/**
 * How many connections a user has open: the answer to {@link SwitchboardClient#presence(String)}, and
 * the event a client receives when another connection of its own user opens or closes. An immutable
 * value.
 */
public final class Presence {
    private final String user;
    private final boolean online;
    private final int connections;

    /**
     * @param user the user
     * @param online whether the user has at least one open connection
     * @param connections the number of open connections
     */
    public Presence(String user, boolean online, int connections) {
        this.user = user;
        this.online = online;
        this.connections = connections;
    }

    /** The user. */
    public String user() {
        return user;
    }

    /** Whether the user has at least one open connection. */
    public boolean online() {
        return online;
    }

    /** The number of open connections. */
    public int connections() {
        return connections;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Presence)) {
            return false;
        }
        Presence that = (Presence) other;
        return Objects.equals(user, that.user) && online == that.online && connections == that.connections;
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, online, connections);
    }

    @Override
    public String toString() {
        return "Presence[user=" + user + ", online=" + online + ", connections=" + connections + "]";
    }
}

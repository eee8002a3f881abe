package dev.switchboard.client;

/**
 * How many connections a user has open: the answer to {@link SwitchboardClient#presence(String)}, and
 * the event a client receives when another connection of its own user opens or closes.
 *
 * @param user the user
 * @param online whether the user has at least one open connection
 * @param connections the number of open connections
 */
public record Presence(String user, boolean online, int connections) {
}

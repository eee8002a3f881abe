package dev.switchboard.client;

/** The base of every exception this client completes a future with or reports to a listener. */
public class SwitchboardException extends RuntimeException {
    public SwitchboardException(String message) {
        super(message);
    }

    public SwitchboardException(String message, Throwable cause) {
        super(message, cause);
    }
}

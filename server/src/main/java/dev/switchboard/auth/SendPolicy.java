package dev.switchboard.auth;

import dev.switchboard.core.Identity;

import java.util.Locale;

/** Who a connection may send to ({@code --send-policy}). */
public enum SendPolicy {
    /** Anyone may send to anyone: the seed's behaviour, the dev-mode default. */
    ANY,
    /** Only to one's own user (the phone-to-PC case): the token-mode default. */
    SELF,
    /** Only to the users listed in the token's {@code sendTo} claim. */
    CLAIM;

    /** Whether {@code sender} may address {@code target}. */
    public boolean permits(Identity sender, String target) {
        switch (this) {
            case ANY:
                return true;
            case SELF:
                return sender.userId() != null && sender.userId().equals(target);
            case CLAIM:
                return sender.sendTo().contains(target);
            default:
                throw new AssertionError(this);
        }
    }

    /** The text of a {@code forbidden} error, the same in every protocol. */
    public String refusal() {
        return "you may not send to or ask about this user (send policy: " + flagValue() + ")";
    }

    /** The policy's name on the command line. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code any}, {@code self} or {@code claim}. */
    public static SendPolicy parse(String value) {
        for (SendPolicy policy : values()) {
            if (policy.flagValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return policy;
            }
        }
        throw new IllegalArgumentException("send policy must be any, self or claim: '" + value + "'");
    }
}

package dev.switchboard.app;

import dev.switchboard.core.Identity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/**
 * What a pairing code or a device token stands for: the PC's user, its {@code sendTo} claim and
 * when the grant ends (epoch ms; {@code 0} for a PC token that never expires). Immutable. Its
 * byte form is what a pending code holds in Redis and what a device token carries, signed.
 */
public record PairingGrant(String userId, Set<String> sendTo, long expiresAtMillis) {
    /** The first byte of the byte form; a future layout gets another, so old tokens are refused cleanly. */
    private static final byte VERSION = 1;
    /** More would not fit a handshake's headers anyway; a longer list is a forgery or garbage. */
    private static final int MAX_SEND_TO = 10_000;

    public PairingGrant {
        if (userId == null) {
            throw new IllegalArgumentException("a grant needs a user");
        }
        sendTo = sendTo == null ? Set.of() : Set.copyOf(sendTo);
    }

    /** The grant of a verified PC identity (with a user). */
    static PairingGrant of(Identity pc) {
        return new PairingGrant(pc.userId(), pc.sendTo(), pc.expiresAtMillis());
    }

    /** The identity a connection holding this grant gets. */
    Identity identity() {
        return new Identity(userId, true, expiresAtMillis, sendTo);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + userId.length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(expiresAtMillis);
            out.writeUTF(userId);
            out.writeInt(sendTo.size());
            for (String user : sendTo) {
                out.writeUTF(user);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException when {@code bytes} are not a grant of this version */
    static PairingGrant fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown grant version");
            }
            long expires = in.readLong();
            String user = in.readUTF();
            int count = in.readInt();
            if (count < 0 || count > MAX_SEND_TO) {
                throw new IllegalArgumentException("bad sendTo count");
            }
            Set<String> sendTo = new HashSet<>();
            for (int i = 0; i < count; i++) {
                sendTo.add(in.readUTF());
            }
            if (in.available() > 0) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new PairingGrant(user, sendTo, expires);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated grant", e);
        }
    }
}

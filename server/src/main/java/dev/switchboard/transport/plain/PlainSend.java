package dev.switchboard.transport.plain;

import dev.switchboard.core.Message;

/** A valid plain-mode send: {@code {"userId": ..., "message": ...}}. */
record PlainSend(String userId, Message message) {
}

package dev.switchboard.broker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Lua scripts that make each step on a user's stream atomic in Redis. Each runs by its SHA-1
 * ({@code EVALSHA}) and falls back to sending its text once when Redis does not know it (after a
 * restart or {@code SCRIPT FLUSH}).
 *
 * <p>Keys of one user share the hash tag {@code {userId}}. The presence scripts also read the
 * liveness keys of other nodes, which a Redis Cluster would refuse; standalone and Sentinel-managed
 * Redis run them as written.
 */
final class RedisScripts {
    /**
     * KEYS: meta, stream[, idempotency key]. ARGV: epoch if new, history size, history TTL ms, meta
     * TTL ms, channel, body, history bytes per user[, fingerprint]. Returns {seq, epoch,
     * subscribers}. The stream keeps at most {@code size} entries and {@code bytes} bytes of bodies
     * (the meta's {@code bytes} field counts them): beyond either, its oldest entries are trimmed,
     * one at a time, never the newest. With an idempotency key already used: {"duplicate", seq,
     * epoch, delivered or ""} when the fingerprint matches, else {"reused"}; nothing is published.
     * A first use records {@code fingerprint|seq|epoch} on the key for the history TTL.
     */
    static final Script PUBLISH = new Script("""
            if KEYS[3] then
              local prior = redis.call('GET', KEYS[3])
              if prior then
                local fp, pseq, pepoch, pcount = string.match(prior, '^([^|]*)|(%d+)|([^|]*)|?(%d*)$')
                if fp ~= ARGV[8] then
                  return {'reused'}
                end
                return {'duplicate', tonumber(pseq), pepoch, pcount}
              end
            end
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[1], 'epoch', epoch)
              redis.call('DEL', KEYS[2])
            end
            local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
            if tonumber(ARGV[2]) > 0 then
              local count = redis.call('XLEN', KEYS[2])
              if count == 0 then
                redis.call('HSET', KEYS[1], 'bytes', 0)
              end
              redis.call('XADD', KEYS[2], seq .. '-0', 'b', ARGV[6])
              count = count + 1
              local kept = redis.call('HINCRBY', KEYS[1], 'bytes', #ARGV[6])
              while count > 1 and (count > tonumber(ARGV[2]) or kept > tonumber(ARGV[7])) do
                local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
                local first = tonumber(string.match(oldest[1], '^(%d+)'))
                redis.call('XTRIM', KEYS[2], 'MINID', (first + 1) .. '-0')
                kept = redis.call('HINCRBY', KEYS[1], 'bytes', -#oldest[2][2])
                count = count - 1
              end
              redis.call('PEXPIRE', KEYS[2], ARGV[3])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            local n = redis.call('PUBLISH', ARGV[5], 'P' .. seq .. ' ' .. epoch .. ' ' .. ARGV[6])
            if KEYS[3] then
              redis.call('SET', KEYS[3], ARGV[8] .. '|' .. seq .. '|' .. epoch, 'PX', ARGV[3])
            end
            return {seq, epoch, n}
            """);

    /**
     * KEYS: meta, stream. ARGV: epoch if new, meta TTL ms, the client's epoch (or empty), the
     * client's seq, history size. Returns {seq, epoch, id1, body1, id2, body2, ...}: the entries after
     * the client's seq when the epochs match and the gap could be in history; every entry of the
     * stream when the client's epoch is another (it has seen none of this one); else none.
     */
    static final Script RECOVER = new Script("""
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              redis.call('DEL', KEYS[2])
              return {0, epoch}
            end
            local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
            local result = {seq, epoch}
            local since = tonumber(ARGV[4])
            local entries = {}
            if epoch ~= ARGV[3] then
              entries = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', ARGV[5])
            elseif since < seq and seq - since <= tonumber(ARGV[5]) then
              entries = redis.call('XRANGE', KEYS[2], (since + 1) .. '-0', '+', 'COUNT', ARGV[5])
            end
            for _, entry in ipairs(entries) do
              table.insert(result, entry[1])
              table.insert(result, entry[2][2])
            end
            return result
            """);

    /**
     * KEYS: presence. ARGV: node id, its count, liveness key prefix, channel to announce on (or
     * empty), the count's revision. Each node's entry is {@code count:revision}; a report older than
     * the recorded one is ignored, and a count of 0 stays as a tombstone (so a late older report
     * cannot bring back a connection that left) until the hash expires a minute after its total
     * reached 0. Returns the total over live nodes; drops the counts of nodes that are gone.
     */
    static final Script PRESENCE = new Script("""
            local recorded = redis.call('HGET', KEYS[1], ARGV[1])
            local revision = recorded and tonumber(string.match(recorded, ':(%d+)$') or '0') or -1
            if revision <= tonumber(ARGV[5]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[5])
            end
            local total = 0
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              if all[i] == ARGV[1] or redis.call('EXISTS', ARGV[3] .. all[i]) == 1 then
                total = total + tonumber(string.match(all[i + 1], '^(%d+)'))
              else
                redis.call('HDEL', KEYS[1], all[i])
              end
            end
            if total > 0 then
              redis.call('PERSIST', KEYS[1])
            else
              redis.call('PEXPIRE', KEYS[1], 60000)
            end
            if ARGV[4] ~= '' then
              redis.call('PUBLISH', ARGV[4], 'R' .. total .. ' ' .. ARGV[1])
            end
            return total
            """);

    /** KEYS: presence. ARGV: node id, liveness key prefix. Returns the total of the other live nodes. */
    static final Script OTHERS = new Script("""
            local total = 0
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              if all[i] ~= ARGV[1] then
                if redis.call('EXISTS', ARGV[2] .. all[i]) == 1 then
                  total = total + tonumber(string.match(all[i + 1], '^(%d+)'))
                else
                  redis.call('HDEL', KEYS[1], all[i])
                end
              end
            end
            return total
            """);

    private static final Script[] ALL = {PUBLISH, RECOVER, PRESENCE, OTHERS};

    private RedisScripts() {
    }

    /**
     * Loads every script into Redis's cache ({@code SCRIPT LOAD}), so that {@code EVALSHA} finds them.
     * Called when the command connection is made, before it is used, and again whenever it
     * reconnects: a script Redis does not know makes an {@code EVALSHA} fail and be sent again as
     * {@code EVAL}, and a later publish already on the wire could overtake that retry — one sender's
     * messages would then be placed out of order.
     */
    static CompletableFuture<Void> loadAll(RedisAsyncCommands<String, byte[]> redis) {
        CompletableFuture<?>[] loads = new CompletableFuture<?>[ALL.length];
        for (int i = 0; i < ALL.length; i++) {
            loads[i] = redis.scriptLoad(ALL[i].text).toCompletableFuture();
        }
        return CompletableFuture.allOf(loads);
    }

    /** One script: its text and SHA-1. */
    static final class Script {
        private final String text;
        private final String sha;

        Script(String text) {
            this.text = text;
            this.sha = sha1(text);
        }

        /**
         * Runs the script: by its SHA-1 while the link knows Redis has the scripts cached, else with
         * its text (so that no command fails for want of a script and is retried behind later ones).
         */
        <T> CompletableFuture<T> run(RedisLink link, ScriptOutputType type, String[] keys, byte[]... args) {
            RedisAsyncCommands<String, byte[]> redis = link.redis();
            if (redis == null) {
                return RedisLink.unreachable();
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            if (!link.scriptsCached()) {
                redis.<T>eval(text, type, keys, args).whenComplete((value, error) -> {
                    if (error == null) {
                        result.complete(value);
                    } else {
                        result.completeExceptionally(RedisLink.translate(error));
                    }
                });
                return result;
            }
            redis.<T>evalsha(sha, type, keys, args).whenComplete((value, error) -> {
                if (error == null) {
                    result.complete(value);
                } else if (unwrap(error) instanceof RedisNoScriptException) {
                    // Someone flushed Redis's script cache: text until the scripts are loaded again.
                    link.scriptsLost();
                    redis.<T>eval(text, type, keys, args).whenComplete((retried, failed) -> {
                        if (failed == null) {
                            result.complete(retried);
                        } else {
                            result.completeExceptionally(RedisLink.translate(failed));
                        }
                    });
                } else {
                    result.completeExceptionally(RedisLink.translate(error));
                }
            });
            return result;
        }

        private static Throwable unwrap(Throwable error) {
            return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        }

        private static String sha1(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

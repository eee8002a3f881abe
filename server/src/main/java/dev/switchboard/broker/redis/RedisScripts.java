package dev.switchboard.broker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Lua scripts that make each step on a user's stream atomic in Redis. Each runs by its SHA-1
 * ({@code EVALSHA}) and falls back to sending its text once when Redis does not know it (after a
 * restart or {@code SCRIPT FLUSH}).
 *
 * <p>No script touches keys of two slots, so each runs on a Redis Cluster as on one Redis: the keys
 * of one user share the hash tag {@code {userId}} (and so does the user's channel, which the scripts
 * publish on with the command they are given: {@code PUBLISH}, or {@code SPUBLISH} on a Redis
 * Cluster); the node registry is one key; presence learns which nodes are alive from the caller
 * (which reads the registry) instead of reading other nodes' keys. The one exception is on one
 * standalone Redis only: there the idempotency key of a send is global ({@code sb:k:…}), not the
 * addressee's.
 */
final class RedisScripts {
    /**
     * Publishes one or more messages, in order, each to its own user. KEYS: per message the user's
     * meta and stream[, the idempotency key]. ARGV: history size, history TTL ms, meta TTL ms,
     * history bytes per user, publish command, layout generation (empty: none); then per message:
     * epoch if new, channel, body, fingerprint (empty: no idempotency key, and no third key). Returns
     * one reply per message: {seq, epoch, subscribers}; with an idempotency key already used,
     * {"duplicate", seq, epoch, delivered or ""} when the fingerprint matches, else {"reused"} —
     * nothing published for it. A first use records {@code fingerprint|seq|epoch} on the key for the
     * history TTL.
     *
     * <p>Each stream keeps at most {@code size} entries and {@code bytes} bytes of bodies (the meta's
     * {@code bytes} field counts them): beyond either, its oldest entries are trimmed, one at a time,
     * never the newest. A stream whose meta is gone, or was written under another layout generation
     * (the shard list changed since), starts again in a new epoch.
     *
     * <p>Per message, in the common case, seven commands: HGET (HMGET with a layout), HINCRBY, XADD
     * (with NOMKSTREAM, which also tells whether the history stream still exists — it expires before
     * the meta), HINCRBY, PEXPIRE, PEXPIRE and the publish; XLEN only once the stream may hold more
     * than {@code size} entries. The script call itself is shared by the batch
     * ({@link PublishBatcher}). Cheap hash commands on few fields were measured faster than fewer
     * commands on more fields ({@code bench/script-cost}). The first write of the first message is
     * one Redis refuses past {@code maxmemory} (HINCRBY, HSET), so a refused batch wrote nothing
     * (Redis lets a script that already wrote go on past the limit: at most one batch).
     */
    static final Script PUBLISH = new Script("""
            local size = tonumber(ARGV[1])
            local maxBytes = tonumber(ARGV[4])
            local function publish(meta, stream, idem, newEpoch, channel, body, fingerprint)
              if idem then
                local prior = redis.call('GET', idem)
                if prior then
                  local fp, pseq, pepoch, pcount = string.match(prior, '^([^|]*)|(%d+)|([^|]*)|?(%d*)$')
                  if fp ~= fingerprint then
                    return {'reused'}
                  end
                  return {'duplicate', tonumber(pseq), pepoch, pcount}
                end
              end
              local epoch
              if ARGV[6] == '' then
                epoch = redis.call('HGET', meta, 'epoch')
              else
                local m = redis.call('HMGET', meta, 'epoch', 'gen')
                epoch = m[2] == ARGV[6] and m[1] or nil
              end
              if not epoch then
                epoch = newEpoch
                redis.call('HSET', meta, 'epoch', epoch, 'seq', 0, 'gen', ARGV[6])
                redis.call('DEL', stream)
              end
              local seq = redis.call('HINCRBY', meta, 'seq', 1)
              if size > 0 then
                local kept
                if redis.call('XADD', stream, 'NOMKSTREAM', seq .. '-0', 'b', body) then
                  kept = redis.call('HINCRBY', meta, 'bytes', #body)
                else
                  redis.call('XADD', stream, seq .. '-0', 'b', body)
                  kept = #body
                  redis.call('HSET', meta, 'bytes', kept)
                end
                redis.call('PEXPIRE', stream, ARGV[2])
                if seq > size or kept > maxBytes then
                  local count = redis.call('XLEN', stream)
                  local trimmed = 0
                  while count > 1 and (count > size or kept > maxBytes) do
                    local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1]
                    local first = tonumber(string.match(oldest[1], '^(%d+)'))
                    redis.call('XTRIM', stream, 'MINID', (first + 1) .. '-0')
                    kept = kept - #oldest[2][2]
                    trimmed = trimmed + #oldest[2][2]
                    count = count - 1
                  end
                  if trimmed > 0 then
                    redis.call('HINCRBY', meta, 'bytes', -trimmed)
                  end
                end
              end
              redis.call('PEXPIRE', meta, ARGV[3])
              local n = redis.call(ARGV[5], channel, 'P' .. seq .. ' ' .. epoch .. ' ' .. body)
              if idem then
                redis.call('SET', idem, fingerprint .. '|' .. seq .. '|' .. epoch, 'PX', ARGV[2])
              end
              return {seq, epoch, n}
            end
            local out = {}
            local k = 1
            for a = 7, #ARGV, 4 do
              local idem = nil
              if ARGV[a + 3] ~= '' then
                idem = KEYS[k + 2]
              end
              out[#out + 1] = publish(KEYS[k], KEYS[k + 1], idem, ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3])
              k = k + (idem and 3 or 2)
            end
            return out
            """);

    /**
     * KEYS: meta, stream. ARGV: epoch if new, meta TTL ms, the client's epoch (or empty), the
     * client's seq, history size, layout generation (empty: none). Returns {seq, epoch, id1, body1,
     * id2, body2, ...}: the entries after the client's seq when the epochs match and the gap could be
     * in history; every entry of the stream when the client's epoch is another (it has seen none of
     * this one); else none. A stream with no meta, or one written under another layout generation,
     * starts again (seq 0, a new epoch), as {@link #PUBLISH} would.
     */
    static final Script RECOVER = new Script("""
            local m = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'gen')
            local epoch = m[1]
            if not epoch or (ARGV[6] ~= '' and m[3] ~= ARGV[6]) then
              epoch = ARGV[1]
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0, 'bytes', 0, 'gen', ARGV[6])
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              redis.call('DEL', KEYS[2])
              return {0, epoch}
            end
            local seq = tonumber(m[2] or '0')
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
     * KEYS: the shards' layout ({@code sb:layout}, a hash: the shard list and its generation), the
     * node registry. ARGV: this node's shard list, a new generation. Returns the generation to stamp
     * users' streams with: the stored one if the lists match; else, if no node is alive (all stopped
     * for the change), the new one, now stored; else nil: live nodes run another list.
     */
    static final Script LAYOUT = new Script("""
            local stored = redis.call('HMGET', KEYS[1], 'shards', 'gen')
            if stored[1] == ARGV[1] then
              return stored[2]
            end
            if stored[1] then
              local t = redis.call('TIME')
              local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
              if redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf') > 0 then
                return false
              end
            end
            redis.call('HSET', KEYS[1], 'shards', ARGV[1], 'gen', ARGV[2])
            return ARGV[2]
            """);

    /**
     * KEYS: presence. ARGV: node id, its count, the live nodes (space-separated, or {@code *} when the
     * caller does not know them: then every count counts and none is dropped), channel to announce
     * on (or empty), the count's revision, publish command, when this node registered, when the
     * caller read the live nodes (both in the registry's time, ms). Each node's entry is
     * {@code count:revision:registered}; a report older than the recorded one is ignored, and a count
     * of 0 stays as a tombstone (so a late older report cannot bring back a connection that left)
     * until the hash expires a minute after its total reached 0. A node the caller does not list as
     * live still counts if it registered after the caller read the list; else its entry is dropped.
     * Returns the total.
     */
    static final Script PRESENCE = new Script("""
            local recorded = redis.call('HGET', KEYS[1], ARGV[1])
            local revision = recorded and tonumber(string.match(recorded, '^%d+:(%d+)') or '0') or -1
            if revision <= tonumber(ARGV[5]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[5] .. ':' .. ARGV[7])
            end
            local live = nil
            if ARGV[3] ~= '*' then
              live = {}
              for id in string.gmatch(ARGV[3], '%S+') do live[id] = true end
            end
            local total = 0
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              local registered = tonumber(string.match(all[i + 1], '^%d+:%d+:(%d+)$') or '0')
              if all[i] == ARGV[1] or live == nil or live[all[i]] or registered >= tonumber(ARGV[8]) then
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
              redis.call(ARGV[6], ARGV[4], 'R' .. total .. ' ' .. ARGV[1])
            end
            return total
            """);

    /**
     * KEYS: presence. ARGV: node id, the live nodes and when the caller read them (as
     * {@link #PRESENCE}). Returns the total of the other nodes that count (as {@link #PRESENCE});
     * drops the entries of nodes that are gone.
     */
    static final Script OTHERS = new Script("""
            local live = nil
            if ARGV[2] ~= '*' then
              live = {}
              for id in string.gmatch(ARGV[2], '%S+') do live[id] = true end
            end
            local total = 0
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              if all[i] ~= ARGV[1] then
                local registered = tonumber(string.match(all[i + 1], '^%d+:%d+:(%d+)$') or '0')
                if live == nil or live[all[i]] or registered >= tonumber(ARGV[3]) then
                  total = total + tonumber(string.match(all[i + 1], '^(%d+)'))
                else
                  redis.call('HDEL', KEYS[1], all[i])
                end
              end
            end
            return total
            """);

    /**
     * KEYS: the node registry (a sorted set: node id → lease end, Redis time in ms). ARGV: node id,
     * lease ms (0: the node leaves). Drops expired leases, renews (or removes) this node's, and
     * returns {Redis time ms, 1 if this node was not registered (or had expired) else 0, live node ids...}.
     */
    static final Script REGISTRY = new Script("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local added = 0
            if tonumber(ARGV[2]) > 0 then
              added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            else
              redis.call('ZREM', KEYS[1], ARGV[1])
            end
            local live = redis.call('ZRANGE', KEYS[1], 0, -1)
            table.insert(live, 1, added)
            table.insert(live, 1, now)
            return live
            """);

    private static final Script[] ALL = {PUBLISH, RECOVER, PRESENCE, OTHERS, REGISTRY, LAYOUT};

    private RedisScripts() {
    }

    /**
     * Loads every script into Redis's cache ({@code SCRIPT LOAD}), so that {@code EVALSHA} finds them.
     * Called when the command connection is made, before it is used, and again whenever it
     * reconnects: a script Redis does not know makes an {@code EVALSHA} fail and be sent again as
     * {@code EVAL}, and a later publish already on the wire could overtake that retry — one sender's
     * messages would then be placed out of order.
     */
    static CompletableFuture<Void> loadAll(RedisClusterAsyncCommands<String, byte[]> redis) {
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
        <T> CompletableFuture<T> run(Link link, ScriptOutputType type, String[] keys, byte[]... args) {
            RedisClusterAsyncCommands<String, byte[]> redis = link.redis();
            if (redis == null) {
                return RedisErrors.unreachable();
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            if (!link.scriptsCached()) {
                redis.<T>eval(text, type, keys, args).whenComplete((value, error) -> {
                    if (error == null) {
                        result.complete(value);
                    } else {
                        result.completeExceptionally(RedisErrors.translate(error));
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
                            result.completeExceptionally(RedisErrors.translate(failed));
                        }
                    });
                } else {
                    result.completeExceptionally(RedisErrors.translate(error));
                }
            });
            return result;
        }

        /**
         * The script as a command to write oneself ({@link PublishBatcher}): by its SHA-1 when
         * {@code cached}, else with its text; its reply a list (of lists).
         */
        AsyncCommand<String, byte[], List<Object>> command(boolean cached, String[] keys, byte[][] args) {
            CommandArgs<String, byte[]> arguments = new CommandArgs<>(ProbedLink.CODEC);
            if (cached) {
                arguments.add(sha);
            } else {
                arguments.add(text.getBytes(StandardCharsets.UTF_8));
            }
            arguments.add(keys.length).addKeys(keys).addValues(args);
            return new AsyncCommand<>(new Command<>(cached ? CommandType.EVALSHA : CommandType.EVAL,
                    new NestedMultiOutput<>(ProbedLink.CODEC), arguments));
        }

        /** Whether {@code error} says Redis does not have the script cached. */
        static boolean noScript(Throwable error) {
            return unwrap(error) instanceof RedisNoScriptException;
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

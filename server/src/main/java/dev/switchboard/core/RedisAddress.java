package dev.switchboard.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code --redis} names, in one of three forms:
 * <ul>
 *   <li>{@link Kind#SINGLE}: one Redis URI — {@code redis://}, {@code rediss://} (TLS),
 *       {@code redis-sentinel://} (Sentinel-managed primary), {@code redis-socket://};</li>
 *   <li>{@link Kind#SHARDS}: several of those, comma-separated ({@code redis://a:6379,redis://b:6379}):
 *       client-side shards, the first one the home of the cluster-wide state;</li>
 *   <li>{@link Kind#CLUSTER}: {@code redis-cluster://[[user:]password@]host:port[,host:port…]} (or
 *       {@code rediss-cluster://} for TLS): a Redis Cluster, reached through these seed nodes.</li>
 * </ul>
 * A shard's own URI may contain commas (a Sentinel URI lists its Sentinels): the list is split only
 * before a scheme. Immutable.
 *
 * @param uris one URI per shard (SINGLE: one; SHARDS: two or more, in the given order, which is part
 *     of the placement); for CLUSTER one {@code redis://} (or {@code rediss://}) URI per seed node
 */
public record RedisAddress(Kind kind, List<String> uris) {
    /** The forms {@code --redis} takes. */
    public enum Kind { SINGLE, SHARDS, CLUSTER }

    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel",
            "redis-socket");
    private static final String FORMS = "--redis must be a redis://, rediss://, redis-sentinel:// or redis-socket://"
            + " URI, a comma-separated list of them (shards), or redis-cluster://host:port[,host:port...]";

    public RedisAddress {
        uris = List.copyOf(uris);
        if (uris.isEmpty()) {
            throw new IllegalArgumentException(FORMS);
        }
    }

    /** Parses {@code --redis}; throws {@link IllegalArgumentException} naming the flag if it is none of the forms. */
    public static RedisAddress parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(FORMS);
        }
        String scheme = scheme(value);
        if (scheme.equals("redis-cluster") || scheme.equals("rediss-cluster")) {
            return cluster(value, scheme.equals("rediss-cluster") ? "rediss" : "redis");
        }
        String[] parts = value.split(",(?=[a-z]+(-[a-z]+)?://)");
        for (String part : parts) {
            if (!SCHEMES.contains(scheme(part))) {
                throw new IllegalArgumentException(FORMS);
            }
        }
        return new RedisAddress(parts.length == 1 ? Kind.SINGLE : Kind.SHARDS, List.of(parts));
    }

    /** The home of the cluster-wide state: the one Redis, the first shard, or the first seed node. */
    public String home() {
        return uris.get(0);
    }

    /** The number of shards: 1 but for {@link Kind#SHARDS}. */
    public int shards() {
        return kind == Kind.SHARDS ? uris.size() : 1;
    }

    /** The seeds of {@code redis-cluster://[auth@]h1:p1,h2:p2} as one URI each, with the credentials. */
    private static RedisAddress cluster(String value, String seedScheme) {
        String rest = value.substring(value.indexOf("://") + 3);
        int at = rest.lastIndexOf('@');
        String auth = at < 0 ? "" : rest.substring(0, at + 1);
        String hosts = at < 0 ? rest : rest.substring(at + 1);
        List<String> seeds = new ArrayList<>();
        for (String hostPort : hosts.split(",")) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1 || !hostPort.substring(colon + 1).chars()
                    .allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("--redis redis-cluster:// takes host:port[,host:port...]");
            }
            seeds.add(seedScheme + "://" + auth + hostPort);
        }
        return new RedisAddress(Kind.CLUSTER, seeds);
    }

    private static String scheme(String uri) {
        int end = uri.indexOf("://");
        return end < 0 ? "" : uri.substring(0, end);
    }

    /** Never shows a password. */
    @Override
    public String toString() {
        return "RedisAddress[" + kind + ", " + uris.size() + " URI(s)]";
    }
}

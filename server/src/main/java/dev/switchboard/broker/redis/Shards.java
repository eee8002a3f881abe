package dev.switchboard.broker.redis;

import dev.switchboard.core.Clock;
import dev.switchboard.core.Hash64;
import dev.switchboard.core.RedisAddress;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Where each user's keys and channel live, and where the cluster-wide state (the node registry, the
 * nodes' channels) lives — the <em>home</em> — for the three forms of {@code --redis}
 * ({@link RedisAddress}):
 * <ul>
 *   <li>one Redis: one {@link StandaloneLink}, everything on it;</li>
 *   <li>client-side shards: one {@link StandaloneLink} per shard; each user lives on the shard
 *       chosen by rendezvous hashing of the user id and the shard's URI (without credentials), the
 *       home is the first shard of the list;</li>
 *   <li>a Redis Cluster: one {@link ClusterLink} for every user and the home; Redis Cluster places
 *       each key by its slot.</li>
 * </ul>
 *
 * <p>Rendezvous hashing is written by hand (Lettuce shards nothing over standalone servers, and it
 * is a dozen lines): each user goes to the shard with the highest hash of (shard, user), so adding
 * a shard moves only the users that now rank it first (about 1/N of them), removing one moves only
 * its users, and the order of the list does not matter but for the home. Thread-safe and immutable
 * after construction; {@link #close} blocks up to two seconds.
 */
final class Shards implements AutoCloseable {
    /** How often Lettuce re-reads a Redis Cluster's topology even when nothing suggests it changed. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final List<Link> links;
    private final long[] seeds;
    private final boolean single;

    private Shards(ClientResources resources, AbstractRedisClient client, List<Link> links, long[] seeds,
                   boolean single) {
        this.resources = resources;
        this.client = client;
        this.links = List.copyOf(links);
        this.seeds = seeds;
        this.single = single;
    }

    /**
     * The links to {@code address} (not connected yet).
     *
     * @param handlers the handler of each link, by its index in {@link #all()}
     */
    static Shards of(RedisAddress address, Clock clock, String probeChannel, IntFunction<Link.Handler> handlers) {
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(Link.COMMAND_TIMEOUT).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(Link.COMMAND_TIMEOUT);
        if (address.kind() == RedisAddress.Kind.CLUSTER) {
            List<RedisURI> seeds = address.uris().stream().map(RedisURI::create).toList();
            seeds.forEach(uri -> uri.setClientName("switchboard:" + probeChannel));
            RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
            cluster.setOptions(ClusterClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(timeouts)
                    .socketOptions(socket)
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                            .refreshTriggersReconnectAttempts(3)
                            .build())
                    .build());
            Link link = new ClusterLink(cluster, masked(seeds.get(0)) + " (Redis Cluster)", clock, probeChannel,
                    handlers.apply(0));
            return new Shards(resources, cluster, List.of(link), new long[] {0}, false);
        }
        RedisClient standalone = RedisClient.create(resources);
        standalone.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(timeouts)
                .socketOptions(socket)
                .build());
        List<Link> links = new ArrayList<>();
        long[] seeds = new long[address.uris().size()];
        for (int i = 0; i < seeds.length; i++) {
            RedisURI uri = RedisURI.create(address.uris().get(i));
            seeds[i] = Hash64.of(Hash64.SEED, identity(address.uris().get(i)).getBytes(StandardCharsets.UTF_8));
            links.add(new StandaloneLink(standalone, uri, clock, probeChannel, handlers.apply(i)));
        }
        return new Shards(resources, standalone, links, seeds, address.kind() == RedisAddress.Kind.SINGLE);
    }

    /** A shard's identity for placement: its URI without credentials, so a new password moves nobody. */
    static String identity(String uri) {
        return uri.replaceFirst("//[^@/]*@", "//");
    }

    /** Where the cluster-wide state lives: the one Redis, the first shard, or the Redis Cluster. */
    Link home() {
        return links.get(0);
    }

    /** The link that holds {@code user}'s keys and channel. */
    Link of(String user) {
        return links.get(indexOf(user));
    }

    /** The index in {@link #all()} of the link that holds {@code user}'s keys and channel. */
    int indexOf(String user) {
        if (seeds.length == 1) {
            return 0;
        }
        byte[] id = user.getBytes(StandardCharsets.UTF_8);
        int best = 0;
        long bestScore = 0;
        for (int i = 0; i < seeds.length; i++) {
            long score = Hash64.of(seeds[i], id);
            if (i == 0 || Long.compareUnsigned(score, bestScore) > 0) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /** Runs short, non-blocking tasks for the links' publish batchers: Lettuce's computation thread. */
    java.util.concurrent.Executor flusher() {
        return resources.eventExecutorGroup();
    }

    /** Whether keys of a script must share one slot: a Redis Cluster. */
    boolean bySlot() {
        return client instanceof RedisClusterClient;
    }

    /** Every link, the home first. */
    List<Link> all() {
        return links;
    }

    /**
     * Whether everything is on one standalone Redis, so a script may touch keys of several users
     * and nodes (a Redis Cluster or another shard would refuse or not have them).
     */
    boolean single() {
        return single;
    }

    /** A URI for the log: no password. */
    static String masked(RedisURI uri) {
        return uri.toString().replaceAll("//[^@]*@", "//***@");
    }

    @Override
    public void close() {
        links.forEach(Link::close);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}

package dev.switchboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: {@code masters × (1 + replicas)} {@code redis-server} processes
 * with {@code --cluster-enabled yes} on free ports, joined by {@code redis-cli --cluster create}
 * (from the PATH, next to {@code redis-server}), waited for until every node reports
 * {@code cluster_state:ok} and every replica is in sync. Nodes fail over after
 * {@link #NODE_TIMEOUT_MILLIS} of silence, so a test can kill a master and see its replica promoted
 * within seconds. {@link #close} kills every process.
 */
public final class RedisClusterProcess implements AutoCloseable {
    /** {@code cluster-node-timeout}: short, so that a failover takes seconds. */
    public static final long NODE_TIMEOUT_MILLIS = 1000;

    private final List<RedisProcess> nodes;

    private RedisClusterProcess(List<RedisProcess> nodes) {
        this.nodes = nodes;
    }

    /** Three masters, each with one replica. */
    public static RedisClusterProcess start() throws Exception {
        return start(3, 1);
    }

    public static RedisClusterProcess start(int masters, int replicas) throws Exception {
        List<RedisProcess> nodes = new ArrayList<>();
        RedisClusterProcess cluster = new RedisClusterProcess(nodes);
        try {
            for (int i = 0; i < masters * (1 + replicas); i++) {
                nodes.add(RedisProcess.startClusterNode(NODE_TIMEOUT_MILLIS));
            }
            List<String> command = new ArrayList<>(List.of(cli().toString(), "--cluster", "create"));
            nodes.forEach(n -> command.add("127.0.0.1:" + n.port()));
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes());
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed: " + output);
            }
            cluster.awaitHealthy();
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** What {@code --redis} takes: {@code redis-cluster://} with every node as a seed. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public List<RedisProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** The node that is master of {@code key}'s slot now, as a live node sees it. */
    public RedisProcess masterOf(String key) throws IOException {
        int slot = Integer.parseInt(anyLive().command("CLUSTER", "KEYSLOT", key).trim().substring(1));
        for (String line : clusterNodes()) {
            String[] f = line.split(" ");
            if (!f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < f.length; i++) {
                String[] range = f[i].split("-");
                if (range[0].startsWith("[")) {
                    continue;
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return byPort(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))));
                }
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /** Runs a command on every live master, returning each raw reply (for INFO commandstats and the like). */
    public List<String> onMasters(String... args) throws IOException {
        List<String> replies = new ArrayList<>();
        for (String line : clusterNodes()) {
            String[] f = line.split(" ");
            if (f[2].contains("master") && !f[2].contains("fail")) {
                replies.add(byPort(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@'))))
                        .command(args));
            }
        }
        return replies;
    }

    /** Waits until every replica has received everything its master has (before a test kills the master). */
    public void awaitReplicated() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            boolean caughtUp = true;
            for (String info : onMasters("INFO", "replication")) {
                long offset = Long.parseLong(info.replaceAll("(?s).*master_repl_offset:(\\d+).*", "$1"));
                java.util.regex.Matcher replica = java.util.regex.Pattern.compile("slave\\d+:[^\\r\\n]*offset=(\\d+)")
                        .matcher(info);
                boolean any = false;
                while (replica.find()) {
                    any = true;
                    caughtUp &= Long.parseLong(replica.group(1)) >= offset;
                }
                caughtUp &= any;
            }
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replicas did not catch up");
            }
            Thread.sleep(20);
        }
    }

    /** Waits until every live node says the cluster is ok and every slot has a master. */
    public void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean ok = true;
            for (RedisProcess node : live()) {
                String info = node.command("CLUSTER", "INFO");
                ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384");
                String replication = node.command("INFO", "replication");
                ok &= !replication.contains("role:slave") || replication.contains("master_link_status:up");
            }
            if (ok) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the Redis Cluster did not become healthy: " + clusterNodes());
            }
            Thread.sleep(50);
        }
    }

    private List<String> clusterNodes() throws IOException {
        String reply = anyLive().command("CLUSTER", "NODES");
        List<String> lines = new ArrayList<>();
        for (String line : reply.split("\n")) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("$")) {
                lines.add(line);
            }
        }
        return lines;
    }

    private List<RedisProcess> live() {
        List<RedisProcess> live = new ArrayList<>();
        for (RedisProcess node : nodes) {
            try {
                if (node.command("PING").startsWith("+PONG")) {
                    live.add(node);
                }
            } catch (IOException dead) {
                // killed by the test
            }
        }
        return live;
    }

    private RedisProcess anyLive() {
        return live().stream().findFirst().orElseThrow(() -> new IllegalStateException("every node is down"));
    }

    private RedisProcess byPort(int port) {
        return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
    }

    private static Path cli() throws IOException {
        Path cli = RedisProcess.binary().resolveSibling("redis-cli");
        if (!Files.isExecutable(cli)) {
            throw new IOException("a Redis Cluster test needs redis-cli next to " + RedisProcess.binary());
        }
        return cli;
    }

    @Override
    public void close() throws Exception {
        Closer.closeAll(nodes);
    }
}

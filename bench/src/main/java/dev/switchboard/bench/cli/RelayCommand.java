package dev.switchboard.bench.cli;

import dev.switchboard.bench.client.NettyTransport;
import dev.switchboard.bench.relay.RelayServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Run the minimal Netty relay baseline (plain contract) until stopped.")
final class RelayCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Listen address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "8090", description = "Listen port, 0 for any (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", description = "Event-loop threads (default: number of cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        int loops = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        RelayServer relay = RelayServer.start(host, port, loops);
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close, "relay-shutdown"));
        System.out.printf("relay listening on ws://%s:%d/ (%s, %d threads)%n", host, relay.port(), NettyTransport.name(), loops);
        relay.listener().closeFuture().sync();
        return 0;
    }
}

package dev.switchboard.broker.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AckBatcherTest {
    private final List<String> frames = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstFrameHeld = new CountDownLatch(1);
    private volatile CountDownLatch release = new CountDownLatch(0);
    private final AckBatcher batcher = new AckBatcher((node, frame) -> {
        frames.add(node + ":" + decode(frame));
        firstFrameHeld.countDown();
        try {
            release.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    });

    @AfterEach
    void close() {
        batcher.close();
    }

    private static String decode(byte[] frame) {
        ByteBuffer in = ByteBuffer.wrap(frame);
        assertThat(in.get()).isEqualTo(ClusterWire.ACK);
        List<String> reports = new ArrayList<>();
        while (in.remaining() >= AckBatcher.REPORT_BYTES) {
            reports.add(in.getLong() + "=" + in.getInt());
        }
        assertThat(in.remaining()).isZero();
        return String.join(",", reports);
    }

    @Test
    void aLoneReportGoesOutAtOnce() {
        batcher.report("n1", 7, 2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> frames.size() == 1);
        assertThat(frames).containsExactly("n1:7=2");
    }

    @Test
    void reportsMadeWhileAFrameIsGoingOutShareTheNextFrameInOrder() throws Exception {
        release = new CountDownLatch(1);
        batcher.report("n1", 1, 1);
        assertThat(firstFrameHeld.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 2; i <= 101; i++) {
            batcher.report("n1", i, i % 3);
        }
        release.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> frames.size() == 2);
        List<String> second = new ArrayList<>();
        for (int i = 2; i <= 101; i++) {
            second.add(i + "=" + (i % 3));
        }
        assertThat(frames).containsExactly("n1:1=1", "n1:" + String.join(",", second));
    }

    @Test
    void eachNodeGetsItsOwnReports() {
        batcher.report("n1", 1, 1);
        batcher.report("n2", 2, 5);
        await().atMost(5, TimeUnit.SECONDS).until(() -> frames.size() == 2);
        assertThat(frames).containsExactlyInAnyOrder("n1:1=1", "n2:2=5");
    }
}

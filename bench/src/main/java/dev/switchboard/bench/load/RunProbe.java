package dev.switchboard.bench.load;

/**
 * Something measured over a run's measured window besides the server under test (another node's
 * CPU, a Redis's command counters), added to the run's metrics at the end.
 */
interface RunProbe extends MeasuredRun.PhaseListener {

    /** Adds this probe's figures; {@code window} gives the messages sent in the measured window. */
    void addMetrics(ScenarioResult.Builder result, MeasuredRun.Window window);

    /** One line for the printed summary. */
    String summary();
}

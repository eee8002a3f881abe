package dev.switchboard.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Records every log event of the process, at every level, while it is open: it turns the root
 * logger to {@code TRACE}, lets every logger inherit that (logback-test.xml quiets the transport
 * and Netty), and restores the levels on {@link #close()}. For tests that must prove something
 * never reaches a log: a secret must not appear in any event's message, arguments, MDC or stack
 * trace, whatever level a deployment runs at.
 *
 * <p>While open, the usual appenders are detached (TRACE from every library would flood the build
 * output). One capture at a time (levels are process-wide); events from every thread are recorded.
 */
public final class LogCapture implements AutoCloseable {
    private final LoggerContext context;
    private final Map<Logger, Level> savedLevels = new HashMap<>();
    private final List<Appender<ILoggingEvent>> mutedAppenders = new ArrayList<>();
    private final Recorder recorder = new Recorder();

    private LogCapture() {
        context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                savedLevels.put(logger, logger.getLevel());
                if (logger != root) {
                    logger.setLevel(null);
                }
            }
        }
        root.setLevel(Level.TRACE);
        root.iteratorForAppenders().forEachRemaining(mutedAppenders::add);
        mutedAppenders.forEach(root::detachAppender);
        recorder.setContext(context);
        recorder.setName("log-capture");
        recorder.start();
        root.addAppender(recorder);
    }

    /** Starts recording everything. */
    public static LogCapture everything() {
        return new LogCapture();
    }

    /**
     * Every event so far as one text each: level, logger, formatted message, each argument, MDC
     * and the full stack trace of its throwable.
     */
    public List<String> events() {
        return List.copyOf(recorder.events);
    }

    /** The events that contain {@code text}. */
    public List<String> eventsContaining(String text) {
        return recorder.events.stream().filter(event -> event.contains(text)).toList();
    }

    @Override
    public void close() {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(recorder);
        recorder.stop();
        savedLevels.forEach(Logger::setLevel);
        mutedAppenders.forEach(root::addAppender);
    }

    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        final Queue<String> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder text = new StringBuilder()
                    .append(event.getLevel()).append(' ')
                    .append(event.getLoggerName()).append(" - ")
                    .append(event.getFormattedMessage());
            Object[] arguments = event.getArgumentArray();
            if (arguments != null) {
                text.append(" args=").append(Arrays.deepToString(arguments));
            }
            if (!event.getMDCPropertyMap().isEmpty()) {
                text.append(" mdc=").append(event.getMDCPropertyMap());
            }
            if (event.getThrowableProxy() != null) {
                text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            events.add(text.toString());
        }
    }
}

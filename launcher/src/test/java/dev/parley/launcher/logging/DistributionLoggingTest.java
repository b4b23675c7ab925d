package dev.parley.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

@DisplayName("the shipped conf/logback.xml applied without Joran")
class DistributionLoggingTest {
    private static final Path DIST_LOGBACK = Path.of("src/main/dist/conf/logback.xml");

    private final String before = System.getProperty(DistributionLogging.CONFIGURATION_FILE);

    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(DistributionLogging.CONFIGURATION_FILE);
        } else {
            System.setProperty(DistributionLogging.CONFIGURATION_FILE, before);
        }
    }

    @Test
    @DisplayName("the jar holds the distribution's conf/logback.xml as it is")
    void shippedCopy() throws Exception {
        assertThat(DistributionLogging.shipped()).isEqualTo(Files.readAllBytes(DIST_LOGBACK));
    }

    @Test
    @DisplayName("sets up what conf/logback.xml says: levels, appender, target and the formatted line")
    void sameAsJoran() throws Exception {
        LoggerContext joran = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(joran);
        configurator.doConfigure(DIST_LOGBACK.toFile());
        assertThat(joran.getStatusManager().getCopyOfStatusList())
                .noneMatch(status -> status.getLevel() >= Status.WARN);
        LoggerContext direct = new LoggerContext();
        DistributionLogging.apply(direct);

        for (String name : List.of(Logger.ROOT_LOGGER_NAME, "org.apache.mina", "org.apache.mina.filter.codec",
                "org.apache.mina.filter.ssl", "org.apache.mina.filter.ssl.SslHandler",
                "com.zaxxer.hikari", "com.zaxxer.hikari.pool.HikariPool", "org.flywaydb",
                "org.flywaydb.core.internal.command.DbMigrate", "dev.parley", "dev.parley.launcher.server.ServerRun")) {
            assertThat(direct.getLogger(name).getEffectiveLevel()).as(name)
                    .isEqualTo(joran.getLogger(name).getEffectiveLevel());
            assertThat(direct.getLogger(name).getLevel()).as(name).isEqualTo(joran.getLogger(name).getLevel());
            assertThat(direct.getLogger(name).isAdditive()).as(name).isEqualTo(joran.getLogger(name).isAdditive());
            assertThat(appenders(direct.getLogger(name))).as(name).isEqualTo(appenders(joran.getLogger(name)));
        }
        ConsoleAppender<ILoggingEvent> joranStderr = stderr(joran);
        ConsoleAppender<ILoggingEvent> directStderr = stderr(direct);
        assertThat(directStderr.isStarted()).isTrue();
        assertThat(directStderr.getTarget()).isEqualTo(joranStderr.getTarget()).isEqualTo("System.err");
        assertThat(directStderr.isWithJansi()).isEqualTo(joranStderr.isWithJansi());
        assertThat(directStderr.isImmediateFlush()).isEqualTo(joranStderr.isImmediateFlush());
        PatternLayoutEncoder joranEncoder = (PatternLayoutEncoder) joranStderr.getEncoder();
        PatternLayoutEncoder directEncoder = (PatternLayoutEncoder) directStderr.getEncoder();
        assertThat(directEncoder.getPattern()).isEqualTo(joranEncoder.getPattern());
        assertThat(directEncoder.getCharset()).isEqualTo(joranEncoder.getCharset());

        LoggingEvent event = new LoggingEvent("test", direct.getLogger("dev.parley.launcher.server.ServerRun"),
                Level.WARN, "listening on {}:{}", new IllegalStateException("boom"), new Object[] {"0.0.0.0", 7000});
        event.setTimeStamp(1_780_000_000_123L);
        event.setThreadName("main");
        String line = new String(directEncoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).isEqualTo(new String(joranEncoder.encode(event), StandardCharsets.UTF_8))
                .contains(" WARN  [main] ").contains("ServerRun - listening on 0.0.0.0:7000")
                .contains("java.lang.IllegalStateException: boom");
    }

    @Test
    @DisplayName("takes over only for a file with exactly the shipped content")
    void onlyTheShippedFile() throws Exception {
        Path copy = Files.write(tmp.resolve("logback.xml"), Files.readAllBytes(DIST_LOGBACK));
        assertThat(configureWith(copy.toString())).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        String edited = Files.readString(DIST_LOGBACK)
                .replace("<root level=\"INFO\">", "<logger name=\"dev.parley\" level=\"DEBUG\"/>\n  <root level=\"INFO\">");
        Path operators = Files.writeString(tmp.resolve("edited.xml"), edited);
        assertThat(configureWith(operators.toString())).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(configureWith(tmp.resolve("missing.xml").toString())).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(configureWith(copy.toUri().toString())).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(configureWith(tmp.toString())).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(configureWith(null)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }

    private static ExecutionStatus configureWith(String file) {
        if (file == null) {
            System.clearProperty(DistributionLogging.CONFIGURATION_FILE);
        } else {
            System.setProperty(DistributionLogging.CONFIGURATION_FILE, file);
        }
        LoggerContext context = new LoggerContext();
        DistributionLogging configurator = new DistributionLogging();
        configurator.setContext(context);
        ExecutionStatus status = configurator.configure(context);
        boolean configured = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext();
        assertThat(configured).as("appenders set up").isEqualTo(status == ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        return status;
    }

    private static List<String> appenders(ch.qos.logback.classic.Logger logger) {
        List<String> all = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            all.add(appender.getName() + ":" + appender.getClass().getName());
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context) {
        return (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    }
}

package dev.parley.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;

/**
 * Applies the distribution's conf/logback.xml as long as it is the one shipped, without reading it as XML.
 *
 * <p>Logback's XML configuration (Joran: an XML parser, its model and the many classes behind it) took about
 * 50 ms of every start of {@code parley server}, to set up one console appender and a few levels. When
 * {@code logback.configurationFile} (which bin/parley sets to conf/logback.xml) names a file with exactly
 * the content shipped, this sets up the same thing directly. Any other file, including an edited
 * conf/logback.xml, or no such property, goes to logback's own configuration as before.
 * DistributionLoggingTest keeps the two the same.
 *
 * <p>No {@code @ConfiguratorRank}: logback runs the configurators it finds as services before its own, whatever
 * their rank, and reading the annotation would generate a proxy class at every start.
 */
public final class DistributionLogging extends ContextAwareBase implements Configurator {
    /** The property logback reads its configuration file from. */
    static final String CONFIGURATION_FILE = "logback.configurationFile";
    /** src/main/dist/conf/logback.xml, copied next to this class by the build (launcher/pom.xml). */
    static final String SHIPPED = "logback.xml";

    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String file = System.getProperty(CONFIGURATION_FILE);
        if (file == null || !isShipped(file)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** What the shipped conf/logback.xml says. */
    static void apply(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("org.apache.mina").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("org.apache.mina.filter.ssl").setLevel(Level.OFF);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
    }

    private static boolean isShipped(String file) {
        byte[] shipped = shipped();
        if (shipped == null) {
            return false;
        }
        try {
            Path path = Path.of(file);
            return Files.isRegularFile(path) && Files.size(path) == shipped.length
                    && Arrays.equals(Files.readAllBytes(path), shipped);
        } catch (InvalidPathException | IOException | SecurityException e) {
            // Not a file this can read (a URL, a resource name): logback's own configuration deals with it.
            return false;
        }
    }

    /** Null if the build left it out: then every file goes to logback's own configuration. */
    static byte[] shipped() {
        try (InputStream in = DistributionLogging.class.getResourceAsStream(SHIPPED)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.parley.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import dev.parley.core.spi.ParleyPlugin;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.spi.ToolProvider;

/**
 * Builds a third-party plugin jar with javac and jar, the way an outside author would: module
 * {@code test.echo}, plugin {@code echo}, command {@code ECHO} answering {@code OK ECHO <greeting>}, and a
 * reference.conf defining {@code parley.echo.greeting = hello}.
 */
public final class EchoPluginJar {
    private EchoPluginJar() {
    }

    /** Writes {@code echo.jar} into the directory and returns its path. */
    public static Path build(Path workDirectory, Path targetDirectory) throws IOException, URISyntaxException {
        return build(workDirectory, targetDirectory, true);
    }

    /** The same; without {@code provides} in its module-info when {@code provides} is false (a plugin author's slip). */
    public static Path build(Path workDirectory, Path targetDirectory, boolean provides)
            throws IOException, URISyntaxException {
        Path src = workDirectory.resolve("echo-src");
        write(src.resolve("module-info.java"), "module test.echo {\n    requires dev.parley.core;\n"
                + (provides ? "    provides dev.parley.core.spi.ParleyPlugin with test.echo.EchoPlugin;\n" : "")
                + "    exports test.echo;\n}\n");
        write(src.resolve("test/echo/EchoPlugin.java"), """
                package test.echo;

                import dev.parley.core.spi.Command;
                import dev.parley.core.spi.ParleyPlugin;
                import dev.parley.core.spi.PluginContext;
                import dev.parley.core.spi.Reply;
                import java.util.List;

                public final class EchoPlugin implements ParleyPlugin {
                    private volatile String greeting;

                    @Override public String name() { return "echo"; }

                    @Override public void start(PluginContext context) {
                        greeting = context.config().getString("greeting");
                    }

                    @Override public List<Command> commands() {
                        return List.of(Command.sync("ECHO", "Answer with the greeting", r -> Reply.ok(greeting))
                                .beforeRegistration());
                    }
                }
                """);
        Path classes = workDirectory.resolve("echo-classes");
        write(classes.resolve("reference.conf"), """
                # Defaults of the echo test plugin.
                parley.echo {
                  # What ECHO answers.
                  greeting = hello
                }
                """);
        run("javac", "--release", "17", "-p", jarOf(ParleyPlugin.class) + File.pathSeparator + jarOf(Config.class),
                "-d", classes.toString(),
                src.resolve("module-info.java").toString(), src.resolve("test/echo/EchoPlugin.java").toString());
        Path jar = Files.createDirectories(targetDirectory).resolve("echo.jar");
        run("jar", "--create", "--file", jar.toString(), "-C", classes.toString(), ".");
        return jar;
    }

    /** Runs a JDK tool in-process; fails the test with the tool's output if it fails. */
    public static void run(String tool, String... args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true);
        int code = ToolProvider.findFirst(tool).orElseThrow().run(out, out, args);
        assertThat(code).as(tool + " output:\n" + output).isZero();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String jarOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}

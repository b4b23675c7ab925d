package dev.parley.launcher.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientArchitectureTest {
    private static final JavaClasses CLIENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.launcher.client");

    @Test
    @DisplayName("the client knows nothing of the server's assembly, Guice or MINA")
    void clientIsNoServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.parley.launcher.server..",
                "dev.parley.launcher.config..", "dev.parley.launcher.plugins..", "dev.parley.core.server..",
                "com.google.inject..", "org.apache.mina..").check(CLIENT);
    }

    @Test
    @DisplayName("the connection library knows no command line, terminal or feature")
    void connectionIsALibrary() {
        noClasses().that().resideInAnyPackage("dev.parley.launcher.client.connection..",
                        "dev.parley.launcher.client.display..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "org.jline..",
                        "dev.parley.launcher.client.chat..", "dev.parley.launcher.client.files..").check(CLIENT);
    }

    @Test
    @DisplayName("only the connection library knows the transport")
    void transportInConnectionOnly() {
        noClasses().that().resideOutsideOfPackage("dev.parley.launcher.client.connection..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.transport..").check(CLIENT);
    }

    @Test
    @DisplayName("files is used by chat, never the other way round; no cycles")
    void noCycles() {
        noClasses().that().resideInAPackage("dev.parley.launcher.client.files..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.launcher.client.chat..").check(CLIENT);
        slices().matching("dev.parley.launcher.client.(*)..").should().beFreeOfCycles().check(CLIENT);
    }
}

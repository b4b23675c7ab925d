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
    @DisplayName("the client commands know nothing of the server's assembly, Guice or MINA")
    void clientIsNoServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.parley.launcher.server..",
                "dev.parley.launcher.config..", "dev.parley.launcher.plugins..", "dev.parley.core.server..",
                "com.google.inject..", "org.apache.mina..").check(CLIENT);
    }

    @Test
    @DisplayName("display knows no command line, terminal or feature")
    void displayIsALibrary() {
        noClasses().that().resideInAnyPackage("dev.parley.launcher.client.display..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..", "org.jline..",
                        "dev.parley.launcher.client.chat..", "dev.parley.launcher.client.files..").check(CLIENT);
    }

    @Test
    @DisplayName("the commands reach the server through the client library (dev.parley.client), never the transport")
    void noTransport() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.parley.transport..").check(CLIENT);
    }

    @Test
    @DisplayName("files is used by chat, never the other way round; no cycles")
    void noCycles() {
        noClasses().that().resideInAPackage("dev.parley.launcher.client.files..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.launcher.client.chat..").check(CLIENT);
        slices().matching("dev.parley.launcher.client.(*)..").should().beFreeOfCycles().check(CLIENT);
    }
}

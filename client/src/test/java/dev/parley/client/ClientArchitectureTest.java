package dev.parley.client;

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
            .importPackages("dev.parley.client");

    @Test
    @DisplayName("the library knows no command line, terminal, server, Guice, launcher or MINA type")
    void aLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("picocli..", "org.jline..",
                "dev.parley.launcher..", "dev.parley.core.server..", "com.google.inject..", "org.apache.mina..")
                .check(CLIENT);
    }

    @Test
    @DisplayName("files builds on the connection, never the other way round")
    void filesOnTop() {
        noClasses().that().resideInAPackage("dev.parley.client").should().dependOnClassesThat()
                .resideInAPackage("dev.parley.client.files..").check(CLIENT);
        slices().matching("dev.parley.client.(*)..").should().beFreeOfCycles().check(CLIENT);
    }
}

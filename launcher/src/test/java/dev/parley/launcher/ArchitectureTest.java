package dev.parley.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where each library may be used inside the launcher. */
class ArchitectureTest {
    private static final JavaClasses LAUNCHER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.launcher");

    @Test
    @DisplayName("only the server package knows the transport; the clients reach it through the client library")
    void transportInServerOnly() {
        noClasses().that().resideOutsideOfPackages("dev.parley.launcher.server..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.transport..")
                .check(LAUNCHER);
    }

    @Test
    @DisplayName("picocli stays in the cli package, the entry point and the subcommands of the client, account"
            + " and store packages with their options")
    void picocliInCliOnly() {
        noClasses().that().resideOutsideOfPackage("dev.parley.launcher.cli..")
                .and().doNotHaveFullyQualifiedName(Main.class.getName())
                .and(com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage("dev.parley.launcher.client..",
                                        "dev.parley.launcher.account..", "dev.parley.launcher.store..")
                                .and(com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith("Command")
                                        // ClientOptions and what it nests (the --nick converter)
                                        .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(
                                                dev.parley.launcher.client.ClientOptions.class)))))
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(LAUNCHER);
    }

    @Test
    @DisplayName("configuration and plugin discovery know nothing of the server or the command line")
    void layering() {
        noClasses().that().resideInAnyPackage("dev.parley.launcher.config..", "dev.parley.launcher.plugins..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.parley.launcher.server..", "dev.parley.launcher.cli..")
                .check(LAUNCHER);
        slices().matching("dev.parley.launcher.(*)..").should().beFreeOfCycles().check(LAUNCHER);
    }
}

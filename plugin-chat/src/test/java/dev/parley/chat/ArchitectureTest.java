package dev.parley.chat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CHAT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.chat");

    @Test
    @DisplayName("the chat's feature packages do not depend on each other in a cycle")
    void noCycles() {
        slices().matching("dev.parley.chat.(*)..").should().beFreeOfCycles().check(CHAT);
    }

    @Test
    @DisplayName("the chat runs on a cluster through core's primitives only, never a cluster library")
    void noClusterLibrary() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..").check(CHAT);
    }

    @Test
    @DisplayName("only the plugin's wiring knows the cluster side: everything else sees the rooms and nicks through their ledgers")
    void oneDesign() {
        noClasses().that().resideOutsideOfPackage("dev.parley.chat.cluster..")
                .and().doNotHaveFullyQualifiedName("dev.parley.chat.ChatPlugin")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.chat.cluster..").check(CHAT);
    }

    @Test
    @DisplayName("rooms know nothing of nicks, and features know nothing of the plugin's wiring")
    void layering() {
        noClasses().that().resideInAPackage("dev.parley.chat.room..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.chat.nick..").check(CHAT);
        noClasses().that().resideInAnyPackage("dev.parley.chat.room..", "dev.parley.chat.nick..",
                        "dev.parley.chat.name..", "dev.parley.chat.protocol..")
                .should().dependOnClassesThat().resideInAPackage("dev.parley.chat").check(CHAT);
    }
}

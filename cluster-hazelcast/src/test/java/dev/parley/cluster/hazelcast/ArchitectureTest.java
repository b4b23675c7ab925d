package dev.parley.cluster.hazelcast;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CLUSTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.parley.cluster.hazelcast");

    @Test
    @DisplayName("the cluster module implements core's primitives and knows no plugin")
    void knowsNoPlugin() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.parley.chat..", "dev.parley.filetransfer..",
                "dev.parley.heartbeat..", "dev.parley.transport..").check(CLUSTER);
    }
}

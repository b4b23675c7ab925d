package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LoggingBackendTest {
    @Test
    @DisplayName("the kit brings a logging backend, so a plugin's log lines (and logged stack traces) reach the test output")
    void backendPresent() {
        assertThat(ModuleLayer.boot().findModule("org.slf4j.simple"))
                .as("slf4j-simple resolved (bound as org.slf4j's provider) on the test module path").isPresent();
    }
}

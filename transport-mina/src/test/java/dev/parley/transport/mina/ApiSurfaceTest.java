package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guards the module's promise that MINA stays an implementation detail: module-info requires MINA without
 * {@code transitive}, which is only right while no exported signature mentions a MINA type.
 */
@DisplayName("the exported API")
class ApiSurfaceTest {

    @Test
    @DisplayName("exports exactly the server, the client and their settings and listener")
    void exportedPackages() {
        Module module = MinaServer.class.getModule();
        if (module.isNamed()) {
            assertThat(module.getDescriptor().exports()).extracting(e -> e.source())
                    .containsExactly("dev.parley.transport.mina");
        }
    }

    @Test
    @DisplayName("no public signature mentions a MINA type")
    void noMinaTypes() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(MinaServer.class, MinaClient.class, ClientListener.class, TransportSettings.class,
                ClientTls.class)) {
            Stream.concat(Arrays.stream(type.getDeclaredMethods()), Arrays.stream(type.getDeclaredConstructors()))
                    .filter(m -> Modifier.isPublic(m.getModifiers()))
                    .forEach(m -> signatureTypes(m).stream()
                            .filter(t -> t.getName().startsWith("org.apache.mina."))
                            .forEach(t -> leaks.add(type.getSimpleName() + "." + m.getName() + " uses " + t.getName())));
        }
        assertThat(leaks).isEmpty();
    }

    private static List<Class<?>> signatureTypes(Executable executable) {
        List<Class<?>> types = new ArrayList<>(Arrays.asList(executable.getParameterTypes()));
        types.addAll(Arrays.asList(executable.getExceptionTypes()));
        if (executable instanceof Method method) {
            types.add(method.getReturnType());
        }
        return types;
    }

    @Test
    @DisplayName("MinaServer and MinaClient have the constructors and factories the launcher and CLI call")
    void entryPoints() throws NoSuchMethodException {
        Constructor<MinaServer> server = MinaServer.class.getConstructor(TransportSettings.class,
                dev.parley.core.net.ConnectionHandler.class);
        Method connect = MinaClient.class.getMethod("connect", String.class, int.class, java.time.Duration.class,
                ClientListener.class);
        Method connectTls = MinaClient.class.getMethod("connect", String.class, int.class, java.time.Duration.class,
                ClientListener.class, ClientTls.class);
        assertThat(connectTls.getExceptionTypes()).containsExactly(java.io.IOException.class);
        assertThat(ClientTls.class.getMethod("truststore", java.nio.file.Path.class, char[].class)).isNotNull();
        assertThat(ClientTls.class.getMethod("insecure")).isNotNull();
        assertThat(ClientTls.class.getMethod("systemTrust")).isNotNull();
        assertThat(server).isNotNull();
        assertThat(Modifier.isStatic(connect.getModifiers())).isTrue();
        assertThat(connect.getExceptionTypes()).containsExactly(java.io.IOException.class);
    }
}

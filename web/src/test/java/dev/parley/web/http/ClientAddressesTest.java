package dev.parley.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The client address behind trusted proxies")
class ClientAddressesTest {
    private final ClientAddresses addresses = new ClientAddresses(List.of(
            AddressBlock.parse("10.0.0.0/8", "k"), AddressBlock.parse("::1", "k")));

    private static SocketAddress peer(String ip) {
        return new InetSocketAddress(ip, 5000);
    }

    private static String host(SocketAddress a) {
        return ((InetSocketAddress) a).getAddress().getHostAddress();
    }

    @Test
    @DisplayName("a trusted proxy's X-Forwarded-For gives the right-most untrusted address")
    void trustedProxy() {
        assertThat(host(addresses.clientOf(peer("10.1.2.3"), List.of("198.51.100.7, 10.9.9.9")))).isEqualTo("198.51.100.7");
        assertThat(host(addresses.clientOf(peer("10.1.2.3"), List.of("1.2.3.4", "198.51.100.7")))).isEqualTo("198.51.100.7");
    }

    @Test
    @DisplayName("an address the client wrote left of the proxy's entry is not believed")
    void spoofedLeftEntry() {
        assertThat(host(addresses.clientOf(peer("10.1.2.3"), List.of("127.0.0.1, 203.0.113.9")))).isEqualTo("203.0.113.9");
    }

    @Test
    @DisplayName("the header of an untrusted peer is ignored")
    void untrustedPeer() {
        assertThat(host(addresses.clientOf(peer("192.0.2.1"), List.of("203.0.113.9")))).isEqualTo("192.0.2.1");
    }

    @Test
    @DisplayName("garbage in the header stops the walk; the peer stays when nothing valid came")
    void garbage() {
        assertThat(host(addresses.clientOf(peer("10.1.2.3"), List.of("evil.example.org")))).isEqualTo("10.1.2.3");
        assertThat(host(addresses.clientOf(peer("10.1.2.3"), List.of()))).isEqualTo("10.1.2.3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "10.0.0.0/33", "1.2.3", "::1/200", "10.0.0.0/x", ""})
    @DisplayName("bad trusted-proxies entries fail start-up with the key's name")
    void badEntries(String entry) {
        assertThatThrownBy(() -> AddressBlock.parse(entry, "parley.http.trusted-proxies"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parley.http.trusted-proxies");
    }
}

package dev.parley.transport.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.core.server.CoreSettings;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Per-address limits count IPv6 clients per prefix")
class AddressPrefixTest {

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest(name = "{0} and {1} are one client at /{2}: {3}")
    @CsvSource({
            "::1, ::2, 64, true",
            "::1, ::1:0:0:1, 64, true",
            "2001:db8::1, 2001:db8::ffff:ffff:ffff:ffff, 64, true",
            "2001:db8::1, 2001:db8:0:1::1, 64, false",
            "2001:db8::1, 2001:db8:0:1::1, 48, true",
            "2001:db8::1, 2001:db8::2, 128, false",
            "::1, ::1, 128, true",
            "192.0.2.1, 192.0.2.2, 64, false",
            "192.0.2.1, ::ffff:192.0.2.1, 64, true",
            "fe80::1%1, fe80::2%2, 64, true"})
    void sameKey(String a, String b, int prefix, boolean same) throws IOException {
        InetAddress first = AddressPrefix.of(ip(a), prefix);
        InetAddress second = AddressPrefix.of(ip(b), prefix);
        assertThat(first.equals(second)).isEqualTo(same);
    }

    @Test
    @DisplayName("the key of an IPv6 address is its network: 2001:db8:1:2:3:4:5:6/64 is 2001:db8:1:2::")
    void network() throws IOException {
        assertThat(AddressPrefix.of(ip("2001:db8:1:2:3:4:5:6"), 64)).isEqualTo(ip("2001:db8:1:2::"));
        assertThat(AddressPrefix.of(ip("2001:db8:1:2:3:4:5:6"), 60)).isEqualTo(ip("2001:db8:1::"));
        assertThat(AddressPrefix.of(ip("2001:db8:1:2:3:4:5:6"), 128)).isEqualTo(ip("2001:db8:1:2:3:4:5:6"));
        assertThat(AddressPrefix.of(ip("10.1.2.3"), 64)).isEqualTo(ip("10.1.2.3"));
    }

    @Test
    @DisplayName("over [::1]: the limit counts the /64, and the count is asked by any address of it")
    void overIpv6Loopback() throws Exception {
        assumeTrue(hasIpv6Loopback(), "this machine has no IPv6 loopback (::1) to listen on");
        TransportSettings settings = new TransportSettings("::1", 0, 100, 2, 4096, 1 << 20, 1 << 20, 1,
                Duration.ZERO, null);
        try (TestServer server = TestServer.start(new CoreSettings("parley", 2, 64), settings)) {
            List<LineClient> two = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    two.add(server.connect().hello());
                }
                try (LineClient third = server.connect()) {
                    assertThat(third.readLine()).startsWith("BYE TOO_MANY_CONNECTIONS :your address (for IPv6, its /64 network)");
                    third.expectClosed();
                }
                assertThat(server.transport.connectionCount(ip("::1"))).isEqualTo(2);
                assertThat(server.transport.connectionCount(ip("::abcd"))).as("another address of ::/64").isEqualTo(2);
                assertThat(server.transport.connectionCount(ip("2001:db8::1"))).isZero();
            } finally {
                for (LineClient c : two) {
                    c.close();
                }
            }
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(ip("::1"), 0));
            return ip("::1") instanceof Inet6Address && NetworkInterface.getByInetAddress(ip("::1")) != null;
        } catch (IOException e) {
            return false;
        }
    }
}

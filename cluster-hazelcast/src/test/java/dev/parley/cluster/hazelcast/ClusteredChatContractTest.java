package dev.parley.cluster.hazelcast;

import dev.parley.testkit.LineClient;
import dev.parley.testkit.chat.ChatContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The chat contract on a cluster of three real servers (core, MINA and a Hazelcast member each, loopback only):
 * user {@code i} connects to node {@code i mod 3}, so every event the contract checks crosses nodes, through the
 * cluster's rooms and nicks. The single-server run of the same tests is in the chat plugin.
 */
@DisplayName("the chat contract on a three-node cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusteredChatContractTest implements ChatContract {
    private List<ClusterNode> nodes;

    @BeforeAll
    void startCluster() throws IOException {
        Path spool = Files.createDirectories(Path.of("target", "contract-spool-" + System.nanoTime()));
        nodes = ClusterNode.startCluster("parley-contract-" + System.nanoTime(), 3, spool);
    }

    @AfterAll
    void stopCluster() {
        if (nodes != null) {
            nodes.forEach(ClusterNode::close);
        }
    }

    @Override
    public LineClient connect(int server) throws IOException {
        return nodes.get(Math.floorMod(server, nodes.size())).connect();
    }

    @Override
    public String operator() {
        return ClusterNode.OPERATOR;
    }

    @Override
    public String operatorPassword() {
        return ClusterNode.OPERATOR_PASSWORD;
    }
}

package jp.banso.neo4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;

/**
 * Runs an embedded Neo4j Community DBMS with only its Bolt connector, for Banso's local stack.
 *
 * <p>Usage: {@code Launcher <store dir> <bolt port> [page cache MiB]}, with the {@code neo4j} user's
 * password in the environment variable {@code BANSO_NEO4J_PASSWORD} (never on the command line). It
 * binds to 127.0.0.1 only, runs with authentication on, sets that password on the {@code neo4j} user at
 * every start (through the system database, before Bolt is announced: a new store gets it instead of
 * Neo4j's initial {@code neo4j}/change-required password, an older store without authentication gets
 * it too, and changing the password file and restarting changes it), prints
 * {@code BANSO-NEO4J-READY bolt://127.0.0.1:<port>} once Bolt accepts connections, and shuts the DBMS
 * down cleanly on SIGTERM/SIGINT so the store survives restarts.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: Launcher <store dir> <bolt port> [page cache MiB]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMiB = args.length > 2 ? Long.parseLong(args[2]) : 128L;
        String password = System.getenv("BANSO_NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("BANSO_NEO4J_PASSWORD must hold the neo4j user's password (8 characters or more)");
            System.exit(2);
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMiB))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(60))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "banso-neo4j-shutdown"));

        setPassword(dbms, password);
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        System.out.println("BANSO-NEO4J-READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }

    /** The neo4j user's password, set in the system database (an embedded transaction needs no login). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to set the password the user already has; anything else is an error.
            if (e.getMessage() == null || !e.getMessage().contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }
}

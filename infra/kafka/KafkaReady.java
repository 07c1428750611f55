// Exits 0 once the broker answers a metadata request (describeCluster), 1 otherwise.
// Run with Java's single-file source launcher against the cached kafka-clients jar:
//   java -cp '.local/cache/kafka/libs/*' infra/kafka/KafkaReady.java 127.0.0.1:9092
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

public class KafkaReady {
  public static void main(String[] args) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args.length > 0 ? args[0] : "127.0.0.1:9092");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "4000");
    try (Admin admin = Admin.create(props)) {
      int brokers = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
      System.out.println("brokers=" + brokers);
      System.exit(brokers > 0 ? 0 : 1);
    } catch (Exception e) {
      System.err.println("not ready: " + e.getMessage());
      System.exit(1);
    }
  }
}

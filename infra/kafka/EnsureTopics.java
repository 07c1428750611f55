// Creates the topics the stack provides when they are missing; leaves existing ones alone.
//   java -cp '.local/cache/kafka/libs/*' infra/kafka/EnsureTopics.java 127.0.0.1:9092 monitoring:1
// `monitoring` is where the original geotechnical pipeline's producer publishes its envelopes (it
// does not create topics, and the broker does not auto-create them), so the stack makes it.
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

public class EnsureTopics {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        String[] spec = args[i].split(":");
        if (!existing.contains(spec[0])) {
          missing.add(new NewTopic(spec[0], spec.length > 1 ? Integer.parseInt(spec[1]) : 1, (short) 1));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(15, TimeUnit.SECONDS);
        for (NewTopic topic : missing) System.out.println("created " + topic.name());
      }
    }
  }
}

using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Shared.Tests.DevStack;

public sealed class TestEnvironmentTests
{
    [Fact]
    public void Reads_the_exports_that_devstack_writes()
    {
        var values = TestEnvironment.ParseEnvFile(
        [
            "# dev stack environment",
            "export FRAUD_KAFKA_BOOTSTRAP='127.0.0.1:9092,127.0.0.1:9093'",
            "export FRAUD_PG='Host=127.0.0.1;Port=55432;Username=postgres;Database=fraud;Timeout=5'",
            "FRAUD_S3_URL=\"http://127.0.0.1:4569\"",
            "",
            "not an assignment",
        ]);

        Assert.Equal("127.0.0.1:9092,127.0.0.1:9093", values["FRAUD_KAFKA_BOOTSTRAP"]);
        Assert.Equal("Host=127.0.0.1;Port=55432;Username=postgres;Database=fraud;Timeout=5", values["FRAUD_PG"]);
        Assert.Equal("http://127.0.0.1:4569", values["FRAUD_S3_URL"]);
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public void Finds_the_repository_root()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, RepoPaths.SolutionFile)));
        Assert.True(File.Exists(RepoPaths.Combine("deploy", "devstack.sh")));
    }

    [Fact]
    public void Test_topics_are_unique_per_instance()
    {
        var a = new KafkaTestTopics("x");
        var b = new KafkaTestTopics("x");

        Assert.NotEqual(a.Name("transactions"), b.Name("transactions"));
        Assert.StartsWith(a.Prefix + ".", a.Name("verdicts"), StringComparison.Ordinal);
    }
}

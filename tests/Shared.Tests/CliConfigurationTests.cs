using Fraud.Streaming.Shared.Cli;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Kafka;
using Microsoft.Extensions.Configuration;

namespace Fraud.Streaming.Shared.Tests;

public sealed class CliConfigurationTests
{
    [Fact]
    public void Settings_on_the_command_line_are_configuration_and_the_rest_is_left_for_the_command()
    {
        var configuration = CliConfiguration.Build(
            ["synthetic", "--count", "10", "--Kafka:BootstrapServers=broker-a:9092", "--out-dir", "x=y", "--Kafka:TransactionsTopic=tx"], out var rest);

        Assert.Equal(["synthetic", "--count", "10", "--out-dir", "x=y"], rest);
        var kafka = CliConfiguration.Bind<KafkaOptions>(configuration, KafkaOptions.Section);
        Assert.Equal("broker-a:9092", kafka.BootstrapServers);
        Assert.Equal("tx", kafka.TransactionsTopic);
    }

    [Fact]
    public void A_section_is_checked_against_its_data_annotations_and_the_setting_is_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "x",
            ["Validation:MaxFutureSkew"] = "400.00:00:00",
        }).Build();

        Assert.StartsWith("Kafka:BootstrapServers: ", CliConfiguration.Problem<KafkaOptions>(configuration, KafkaOptions.Section), StringComparison.Ordinal);
        Assert.Equal("Validation:MaxFutureSkew must lie between 0 and 365 days", CliConfiguration.Problem<ValidationOptions>(configuration, ValidationOptions.Section));
        Assert.Null(CliConfiguration.Problem<KafkaOptions>(new ConfigurationBuilder().Build(), KafkaOptions.Section));
    }

    [Fact]
    public void A_value_that_does_not_bind_is_a_problem_not_an_exception()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Validation:MaxFutureSkew"] = "soon" }).Build();

        Assert.StartsWith("Validation: ", CliConfiguration.Problem<ValidationOptions>(configuration, ValidationOptions.Section), StringComparison.Ordinal);
    }
}

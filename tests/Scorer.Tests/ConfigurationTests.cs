using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Scorer__MaxBatchSize", "0", "MaxBatchSize")]
    [InlineData("Kafka__BootstrapServers", "", "BootstrapServers")]
    [InlineData("Scorer__GroupId", "", "GroupId")]
    [InlineData("State__Kind", "nfs", "State:Kind")]
    [InlineData("State__SnapshotIntervalSeconds", "0", "SnapshotIntervalSeconds")]
    [InlineData("State__Kind", "s3", "State:Bucket")]
    [InlineData("Scorer__CardIdleDays", "0", "CardIdleDays")]
    [InlineData("Scorer__CardSweepIntervalSeconds", "0", "CardSweepIntervalSeconds")]
    [InlineData("Scorer__ReasonsFor", "some", "ReasonsFor")]
    [InlineData("Scorer__ShadowMaxRowsPerSecond", "-1", "ShadowMaxRowsPerSecond")]
    [InlineData("Drift__WindowSeconds", "5", "WindowSeconds")]
    [InlineData("Drift__WindowSlots", "601", "WindowSlots")]
    [InlineData("Scorer__DuplicateWindow", "-1", "DuplicateWindow")]
    [InlineData("Scorer__MaxPollIntervalMs", "200000", "Scorer:MaxPollIntervalMs")]
    [InlineData("Validation__MaxFutureSkew", "500.00:00:00", "MaxFutureSkew")]
    [InlineData("ModelStore__FetchTimeoutSeconds", "0", "FetchTimeoutSeconds")]
    [InlineData("Trust__PublicKeyFiles__0", "/nonexistent/announce.pub", "Trust:PublicKeyFiles:0")]
    [InlineData("Trust__AllowUnsigned", "false", "no trusted public key")]
    public async Task A_bad_setting_stops_the_worker_at_start_with_exit_2_and_names_the_setting(string variable, string value, string named)
    {
        var dll = RepoPaths.BuiltAssembly("src/Scorer", "Fraud.Streaming.Scorer");
        // Every other setting is valid: the unsigned-announcement opt-out stands in for a trusted key.
        var environment = new Dictionary<string, string?> { ["Trust__AllowUnsigned"] = "true", ["Trust__PublicKeyFiles__0"] = null, [variable] = value };
        await using var scorer = ProcessRunner.StartDotnet(dll, ["run", "--urls", "http://127.0.0.1:0"], environment);
        var code = await scorer.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        Assert.Contains(scorer.Lines, line => line.IsError && line.Text.StartsWith("error: invalid configuration", StringComparison.Ordinal) && line.Text.Contains(named, StringComparison.Ordinal));
    }
}

using System.Diagnostics;
using FsCheck.Xunit;
using Fraud.Streaming.Shared.Contracts;
using Xunit.Abstractions;

namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>
/// The invariant of the contract, held by generated and mutated input: whatever a validator accepts goes through
/// features, inference, reasons, the verdict's JSON (which Monitoring must accept in turn), history rows, the
/// training table and the manifest statistics without an exception or a non-finite number; whatever it refuses is
/// refused with a reason, never an exception. Each property reports how many cases it ran and how long they took.
/// </summary>
public sealed class PipelineFuzzTests(ITestOutputHelper output)
{
    private static long _traffic;
    private static long _mutated;
    private static long _accepted;

    [Property(Arbitrary = [typeof(ContractArbitraries)], MaxTest = 1500, QuietOnSuccess = true)]
    public void Generated_traffic_the_contract_accepts_goes_the_whole_way_without_an_exception(GeneratedTraffic traffic)
    {
        Interlocked.Increment(ref _traffic);
        var accepted = new List<Transaction>();
        foreach (var t in traffic.Transactions)
        {
            // Through the bytes, as a consumer sees it (the generator makes values the serializer alone would let pass).
            if (TransactionValidator.TryParse(ContractJson.Serialize(t), Downstream.Window, out var parsed, out _))
            {
                accepted.Add(parsed);
            }
        }
        Interlocked.Add(ref _accepted, accepted.Count);
        Downstream.Transactions(accepted, traffic.Model);
    }

    [Property(Arbitrary = [typeof(ContractArbitraries)], MaxTest = 6000, QuietOnSuccess = true)]
    public void Mutated_real_messages_are_refused_with_a_reason_or_go_the_whole_way(MutatedMessage message)
    {
        Interlocked.Increment(ref _mutated);
        var (kind, bytes) = message.Build();
        if (Downstream.Check(kind, bytes))
        {
            Interlocked.Increment(ref _accepted);
        }
    }

    [Fact]
    public void Every_seed_message_is_accepted_and_goes_the_whole_way()
    {
        var clock = Stopwatch.StartNew();
        Assert.All(Seeds.Messages, m => Assert.True(Downstream.Check(m.Kind, m.Bytes), $"{m.Kind} seed refused"));
        output.WriteLine($"{Seeds.Messages.Count} seeds in {clock.Elapsed.TotalSeconds:F2} s; so far {_traffic} generated and {_mutated} mutated cases, {_accepted} accepted");
    }
}

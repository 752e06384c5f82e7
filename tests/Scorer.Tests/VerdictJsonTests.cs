using System.Text;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Models;

namespace Fraud.Streaming.Scorer.Tests;

/// <summary>The scorer writes verdicts without records; the bytes must be the ones the contract's serializer writes.</summary>
public sealed class VerdictJsonTests
{
    private static readonly string[] Texts = ["t-1", "card-000123", "", "caf\u00e9 \"quoted\" \\ </script> \u2028", "\u00e9\u4e2d\ud83d\ude00", "+1 & 'x'"];

    [Fact]
    public void Every_verdict_is_written_as_the_serializer_writes_it()
    {
        var random = new Random(5);
        var json = new VerdictJson();
        var idsAsBytes = 0;
        var floats = new[] { 0f, -0f, 1f, 0.1f, 1e-8f, 0.99999994f, float.Epsilon, float.MaxValue, 123.456f };
        var doubles = new[] { 0d, 0.1, 1e-300, 12345.678901234, 1e15, double.MaxValue };
        for (var i = 0; i < 2_000; i++)
        {
            var transaction = new Transaction
            {
                TransactionId = Pick(random, Texts),
                EventTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(random.Next(-12, 15) * 60))
                    .AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 365)),
                CardId = Pick(random, Texts),
                MerchantId = "m",
                MerchantCategory = "g",
                Amount = 1,
                Currency = "EUR",
                Country = "FR",
                Channel = "pos",
            };
            // Reasons name features by index into the model's names; any text may be a name.
            var ranked = Enumerable.Range(0, random.Next(4))
                .Select(_ => new RankedReason(random.Next(Texts.Length), Pick(random, floats) * (random.Next(2) * 2 - 1), (float)random.NextDouble() - 0.5f))
                .ToArray();
            var reasons = ranked.Select(r => r.ToReason(Texts)).ToArray();
            var verdict = new Verdict
            {
                TransactionId = transaction.TransactionId,
                CardId = transaction.CardId,
                EventTime = transaction.EventTime,
                Score = random.Next(3) == 0 ? Pick(random, floats) : (float)random.NextDouble(),
                Decision = (Decision)random.Next(3),
                ModelVersion = Pick(random, Texts),
                Reasons = reasons,
                ScoredAt = DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 30_000)),
                LatencyMs = random.Next(3) == 0 ? Pick(random, doubles) : random.NextDouble() * 1000,
                EntityDaysThrough = random.Next(3) == 0 ? null : DateOnly.FromDayNumber(random.Next(0, 3_000_000)),
            };
            // Half read back from the transaction's message, as the scorer holds it: a plain id stays the message's bytes.
            var fields = random.Next(2) == 0 ? TransactionFields.Of(transaction) : Read(transaction);
            idsAsBytes += fields.TransactionId.IsAscii ? 1 : 0;
            var written = json.Write(fields, verdict.Score, verdict.Decision, verdict.ModelVersion, ranked, Texts, verdict.ScoredAt,
                verdict.LatencyMs, verdict.EntityDaysThrough);
            Assert.Equal(Encoding.UTF8.GetString(ContractJson.Serialize(verdict)), Encoding.UTF8.GetString(written));
        }
        Assert.InRange(idsAsBytes, 200, 1_000); // both ways of holding an id are written, each hundreds of times
    }

    /// <summary>The transaction as admission reads its message; as it is where the contract refuses it (an empty id).</summary>
    private static TransactionFields Read(Transaction transaction) =>
        TransactionValidator.TryParseFields(ContractJson.Serialize(transaction), EventTimeWindow.FloorOnly, out var fields, out _)
            ? fields
            : TransactionFields.Of(transaction);

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}

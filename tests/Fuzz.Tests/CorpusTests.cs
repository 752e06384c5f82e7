namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>
/// Every poison message found so far (by the probe of the running system and by these fuzzers), kept in
/// <c>Corpus/</c> as the bytes that were sent: each is refused with a reason, or goes the whole way without an
/// exception. A file's name ends in its contract: <c>.transaction.json</c>, <c>.verdict.json</c>, <c>.label.json</c>,
/// <c>.manifest.json</c>.
/// </summary>
public sealed class CorpusTests
{
    public static TheoryData<string> Files() => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus")).Select(f => Path.GetFileName(f)!).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public void A_poison_from_the_corpus_is_handled(string file)
    {
        var kind = file.Split('.')[^2] switch
        {
            "transaction" => MessageKind.Transaction,
            "verdict" => MessageKind.Verdict,
            "label" => MessageKind.Label,
            "manifest" => MessageKind.Manifest,
            var other => throw new InvalidOperationException($"{file}: unknown contract '{other}'"),
        };
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", file));
        var accepted = Downstream.Check(kind, bytes);
        // The file name says which way it must go: "refused-..." the contract refuses, anything else it may accept.
        if (file.StartsWith("refused-", StringComparison.Ordinal))
        {
            Assert.False(accepted, $"{file} was accepted");
        }
    }
}

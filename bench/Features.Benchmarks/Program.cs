using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Running;
using Fraud.Streaming.Features.Benchmarks;
using Fraud.Streaming.Shared.Features;

var spec = CardFeatureExtractor.Spec;
Console.WriteLine($"CardState: {Unsafe.SizeOf<CardState>()} bytes per card; spec {spec.Name} ({spec.Count} features, hash {spec.Hash})");
if (args.Contains("--memory"))
{
    CardMemory.Print(Console.Out);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(OnlinePipelineBenchmarks).Assembly).Run(args);

/// <summary>
/// Bytes per card of <see cref="CardStateStore"/>, index and pages included, measured on real stores: at round
/// sizes and at the least favourable fills (just after the index doubled, just after a page was added).
/// </summary>
internal static class CardMemory
{
    public static void Print(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine("cards        store bytes     bytes/card  index slots  index load");
        int[] sizes = [10_000, 100_000, 1_000_000, (3 << 20) / 4 + 1, (3 << 19) / 4 + 1, (64 * CardStateStore.PageSize) + 1, 10_000_000];
        foreach (var cards in sizes)
        {
            var store = new CardStateStore();
            for (var card = 0; card < cards; card++)
            {
                store.GetOrAdd(CardStateStore.KeyOf(OnlinePipelineBenchmarks.CardId(card))).Count = 1;
            }
            var slots = store.IndexSlots;
            output.WriteLine(string.Create(inv,
                $"{cards,-12} {store.MemoryBytes,14:N0} {(double)store.MemoryBytes / cards,12:F1} {slots,12:N0} {(double)cards / slots,10:F3}"));
        }
    }
}

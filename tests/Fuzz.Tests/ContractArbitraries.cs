using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Fuzz.Tests;

/// <summary>A mutated real message: which seed, and the changes applied in order.</summary>
public sealed record MutatedMessage(int Seed, IReadOnlyList<Mutation> Mutations)
{
    internal (MessageKind Kind, byte[] Bytes) Build()
    {
        var (kind, bytes) = Seeds.Messages[Seed % Seeds.Messages.Count];
        foreach (var mutation in Mutations)
        {
            bytes = mutation.Apply(bytes);
        }
        return (kind, bytes);
    }

    public override string ToString()
    {
        var (kind, bytes) = Build();
        return $"{kind} seed {Seed}, {Mutations.Count} mutations: {Convert.ToBase64String(bytes)}";
    }
}

/// <summary>Generated traffic over the contracts: a few cards, values at and just beyond every bound, and a model to score with.</summary>
public sealed record GeneratedTraffic(IReadOnlyList<Transaction> Transactions, int Model)
{
    public override string ToString() => $"model {Model}:\n  " + string.Join("\n  ", Transactions.Select(t => System.Text.Encoding.UTF8.GetString(ContractJson.Serialize(t))));
}

/// <summary>FsCheck generators of contract-shaped traffic and of mutations of real messages.</summary>
public static class ContractArbitraries
{
    private static readonly DateTimeOffset Latest = Downstream.Window.Latest;

    public static Arbitrary<MutatedMessage> Mutated() => Arb.From(
        from seed in Gen.Choose(0, 1000)
        from mutations in Mutations().ListOf().Where(m => m.Count is > 0 and <= 6)
        select new MutatedMessage(seed, [.. mutations]),
        m => m.Mutations.Count > 1
            ? m.Mutations.Select((_, i) => m with { Mutations = [.. m.Mutations.Where((_, j) => j != i)] })
            : []);

    public static Arbitrary<GeneratedTraffic> Traffic() => Arb.From(
        from transactions in Transaction().ListOf().Where(l => l.Count is > 0 and <= 12)
        from model in Gen.Choose(0, 2)
        select new GeneratedTraffic([.. transactions], model),
        t => t.Transactions.Count > 1 ? t.Transactions.Select((_, i) => t with { Transactions = [.. t.Transactions.Where((_, j) => j != i)] }) : []);

    private static Gen<Mutation> Mutations() =>
        from kind in Gen.Elements(Enum.GetValues<MutationKind>())
        from at in Gen.Choose(0, 1000).Select(x => x / 1000d)
        from size in Gen.Choose(1, 64)
        from pick in Gen.Choose(0, 1000)
        select new Mutation(kind, at, size, pick);

    private static Gen<Transaction> Transaction() =>
        from id in Gen.Frequency((8, Gen.Choose(0, 30).Select(i => $"tx-{i}")), (1, Text()))
        from card in Gen.Frequency((8, Gen.Choose(0, 3).Select(i => $"card-{i}")), (1, Text()))
        from merchant in Gen.Frequency((6, Gen.Choose(0, 6).Select(i => $"m-{i}")), (1, Text()))
        from category in Gen.Frequency((4, Gen.Elements("grocery", "electronics", "7995", "")), (1, Text()))
        from channel in Gen.Frequency((4, Gen.Elements("pos", "online", "ECOM", "moto", "")), (1, Text()))
        from country in Gen.Frequency((4, Gen.Elements("DE", "NG", "")), (1, Text()))
        from device in Gen.Frequency((2, Gen.Constant<string?>(null)), (4, Gen.Choose(0, 2).Select(i => (string?)$"dev-{i}")), (1, Text().Select(t => (string?)t)))
        from amount in Amount()
        from time in Time()
        from attributes in Gen.Frequency((4, Gen.Constant<Dictionary<string, JsonElement>?>(null)), (1, Attributes()))
        select new Transaction
        {
            TransactionId = id,
            EventTime = time,
            CardId = card,
            MerchantId = merchant,
            MerchantCategory = category,
            Amount = amount,
            Currency = "EUR",
            Country = country,
            Channel = channel,
            DeviceId = device,
            Attributes = attributes,
        };

    private static Gen<double> Amount() => Gen.Frequency(
        (3, Gen.Choose(0, 100_000).Select(c => c / 100d)),
        (2, Gen.Choose(0, 1200).Select(e => Math.Pow(10, e / 100d))),
        (2, Gen.Elements(0d, double.Epsilon, 1e-7, 4.999999, 5, ContractLimits.MaxAmount, ContractLimits.MaxAmount * (1 + 1e-15), 1e13, 3.4e38, double.MaxValue)));

    private static Gen<DateTimeOffset> Time() => Gen.Frequency(
        (4, Gen.Choose(0, 100_000).Select(m => Latest.AddDays(-400).AddMinutes(m))),
        (2, Gen.Choose(-60, 60).Select(s => Latest.AddSeconds(s))),
        (1, Gen.Choose(-60, 60).Select(s => ContractLimits.TimeFloor.AddSeconds(s))),
        (1, Gen.Elements(DateTimeOffset.MinValue.AddDays(1), DateTimeOffset.MaxValue.AddDays(-1), new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero))));

    /// <summary>Texts: every Unicode plane, blanks, NUL, lengths around the limits.</summary>
    private static Gen<string> Text() => Gen.Frequency(
        (3, Gen.Elements("", " ", "\0", "a\0b", "😀", "é", "\u200b", "\t", "x")),
        (2, Gen.Choose(0, 0x10FFFF).Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32).ListOf().Select(cs => string.Concat(cs))),
        (1, Gen.Choose(ContractLimits.MaxCodeLength - 1, ContractLimits.MaxIdLength + 2).Select(n => new string('k', n))));

    private static Gen<Dictionary<string, JsonElement>?> Attributes() =>
        from values in Gen.Elements(
                "1.5", "-1e308", "1e308", "5e-324", "0", "\"Android\"", "\"\\u0000\"", "true", "null", "[1,[2,[3]]]",
                "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}", "99999999999999999999999", "1e400")
            .ListOf().Where(l => l.Count <= 5)
        from key in Gen.Elements("V1", "id_30", "\u0000", "", "😀")
        select (Dictionary<string, JsonElement>?)values.Select((v, i) => (Key: string.Create(CultureInfo.InvariantCulture, $"{key}{i}"), Value: JsonDocument.Parse(v).RootElement.Clone()))
            .ToDictionary(p => p.Key, p => p.Value);
}

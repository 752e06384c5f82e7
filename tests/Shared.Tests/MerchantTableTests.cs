using Fraud.Streaming.Shared.Features;

namespace Fraud.Streaming.Shared.Tests;

public sealed class MerchantTableTests
{
    private static readonly float[] Defaults = [0f, 0.02f, 3.5f, 0.3f];

    internal static MerchantTable Sample() => new(1_700_000_000_000, 1234, Defaults,
    [
        new(StableHash.Of64("m-b"), [2.5f, 0.4f, 4f, 0.9f]),
        new(StableHash.Of64("m-a"), [1.5f, 0.01f, 2f, 0.1f]),
    ]);

    [Fact]
    public void The_card_merchant_spec_is_card_v1_then_the_merchant_features_and_its_hash_is_pinned()
    {
        var spec = FeatureSpec.CardMerchantV1;
        Assert.Equal("card-merchant-v1", spec.Name);
        Assert.True(spec.HasMerchantFeatures);
        Assert.False(FeatureSpec.CardV1.HasMerchantFeatures);
        Assert.True(spec.WithCardIdleDays(3).HasMerchantFeatures);
        Assert.Equal(FeatureSpec.CardV1.Names, spec.Names.Take(FeatureSpec.CardV1.Count));
        Assert.Equal(MerchantTable.Features.Select(f => f.Name), spec.Names.Skip(FeatureSpec.CardV1.Count));
        Assert.Equal(spec.Count, spec.Names.Distinct().Count());
        // Pinned (docs/FEATURES.md): the merchant definitions are part of the hash.
        Assert.Equal("24e391c72fbac0eb", spec.Hash);
    }

    [Fact]
    public void A_known_merchant_gets_its_row_and_an_unknown_one_the_defaults()
    {
        var table = Sample();
        Assert.Equal([1.5f, 0.01f, 2f, 0.1f], table.Lookup("m-a").ToArray());
        Assert.Equal([2.5f, 0.4f, 4f, 0.9f], table.Lookup("m-b").ToArray());
        Assert.Equal(Defaults, table.Lookup("never-seen").ToArray());
        Assert.Equal(Defaults, table.Lookup(null).ToArray());
    }

    [Fact]
    public void Append_writes_only_the_tail_of_the_vector()
    {
        var row = Enumerable.Repeat(-7f, 10).ToArray();
        Sample().Append("m-b", row);
        Assert.Equal(Enumerable.Repeat(-7f, 6), row[..6]);
        Assert.Equal([2.5f, 0.4f, 4f, 0.9f], row[6..]);
    }

    [Fact]
    public void The_same_content_gives_the_same_bytes_whatever_the_entry_order_and_round_trips()
    {
        var a = Sample().Serialize();
        var reversed = new MerchantTable(1_700_000_000_000, 1234, Defaults,
        [
            new(StableHash.Of64("m-a"), [1.5f, 0.01f, 2f, 0.1f]),
            new(StableHash.Of64("m-b"), [2.5f, 0.4f, 4f, 0.9f]),
        ]).Serialize();
        Assert.Equal(a, reversed);

        var back = MerchantTable.Deserialize(a);
        Assert.Equal(a, back.Serialize());
        Assert.Equal(2, back.MerchantCount);
        Assert.Equal(1_700_000_000_000, back.CutoffMs);
        Assert.Equal(1234, back.SourceRows);
        Assert.Equal([2.5f, 0.4f, 4f, 0.9f], back.Lookup("m-b").ToArray());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("magic")]
    [InlineData("count")]
    [InlineData("nan")]
    [InlineData("order")]
    public void Corrupt_bytes_are_refused_with_a_reason(string damage)
    {
        var bytes = Sample().Serialize();
        var header = bytes.Length - (2 * 24);
        switch (damage)
        {
            case "truncated": bytes = bytes[..^3]; break;
            case "magic": bytes[0] = (byte)'X'; break;
            case "count": bytes[header - 4] = 3; break;
            case "nan": BitConverter.GetBytes(float.NaN).CopyTo(bytes, header + 8); break;
            case "order":
                var first = bytes[header..(header + 24)];
                bytes.AsSpan(header + 24, 24).CopyTo(bytes.AsSpan(header));
                first.CopyTo(bytes, header + 24);
                break;
        }
        var ex = Assert.Throws<InvalidDataException>(() => MerchantTable.Deserialize(bytes));
        Assert.Contains("merchant table", ex.Message, StringComparison.Ordinal);
    }
}

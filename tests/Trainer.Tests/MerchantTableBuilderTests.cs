using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Trainer.Training;

namespace Fraud.Streaming.Trainer.Tests;

public sealed class MerchantTableBuilderTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rows_at_or_after_the_cutoff_never_reach_the_table()
    {
        var cutoff = Start.AddDays(10);
        // Before the cutoff the merchant is clean; at and after it every row is fraud. A table that let a
        // scored row's own label in would show fraud at this merchant.
        var builder = new MerchantTableBuilder(cutoff, minRows: 1, smoothing: 0);
        for (var i = 0; i < 10; i++)
        {
            builder.Add("m1", Start.AddDays(i), 10, cardNotPresent: false, isFraud: false);
        }
        builder.Add("m1", cutoff, 10_000, cardNotPresent: true, isFraud: true);
        for (var i = 1; i < 10; i++)
        {
            builder.Add("m1", cutoff.AddDays(i), 10_000, cardNotPresent: true, isFraud: true);
        }
        builder.Add("m-after", cutoff.AddHours(1), 5, cardNotPresent: true, isFraud: true);

        var table = builder.Build();
        Assert.Equal(10, table.SourceRows);
        Assert.Equal(cutoff.ToUnixTimeMilliseconds(), table.CutoffMs);
        var m1 = table.Lookup("m1").ToArray();
        Assert.Equal(DeterministicMath.Log1P(10), m1[0]);
        Assert.Equal(0f, m1[1]);
        Assert.Equal(DeterministicMath.Log1P(10), m1[2]);
        Assert.Equal(0f, m1[3]);
        // A merchant seen only after the cutoff is unknown to the table.
        Assert.Equal(1, table.MerchantCount);
        Assert.Equal(table.Defaults.ToArray(), table.Lookup("m-after").ToArray());
    }

    [Fact]
    public void A_rare_merchant_gets_the_prior_and_a_frequent_one_a_rate_pulled_toward_it()
    {
        var builder = new MerchantTableBuilder(Start.AddDays(100), minRows: 5, smoothing: 20);
        // Global: 40 rows, 4 fraud (10 %), 10 card-not-present (25 %), mean amount 30.
        for (var i = 0; i < 36; i++)
        {
            builder.Add("big", Start.AddHours(i), i % 2 == 0 ? 20 : 40, cardNotPresent: i < 10, isFraud: i < 2);
        }
        for (var i = 0; i < 4; i++)
        {
            builder.Add("rare", Start.AddDays(50 + i), 30, cardNotPresent: false, isFraud: i < 2);
        }
        var table = builder.Build();

        Assert.Equal([0f, 0.1f, DeterministicMath.Log1P(30), 0.25f], table.Defaults.ToArray());
        Assert.Equal(table.Defaults.ToArray(), table.Lookup("rare").ToArray());
        var big = table.Lookup("big").ToArray();
        Assert.Equal(DeterministicMath.Log1P(36), big[0]);
        Assert.Equal((float)((2 + (20 * 0.1)) / (36 + 20)), big[1]);
        Assert.Equal(DeterministicMath.Log1P(30), big[2]);
        Assert.Equal((float)((10 + (20 * 0.25)) / (36 + 20)), big[3]);
    }

    [Fact]
    public void The_same_history_gives_the_same_bytes()
    {
        static byte[] Build()
        {
            var builder = new MerchantTableBuilder(Start.AddDays(30));
            var random = new Random(7);
            for (var i = 0; i < 5000; i++)
            {
                builder.Add($"m{random.Next(200)}", Start.AddMinutes(i * 9), random.NextDouble() * 500, random.Next(3) == 0, random.Next(50) == 0);
            }
            return builder.Build().Serialize();
        }
        var first = Build();
        Assert.Equal(first, Build());
        Assert.Equal(ModelPackageSha(first), ModelPackageSha(MerchantTable.Deserialize(first).Serialize()));
    }

    [Fact]
    public void Absurd_amounts_are_capped_and_the_table_stays_finite()
    {
        var builder = new MerchantTableBuilder(Start.AddDays(1), minRows: 1);
        builder.Add("m", Start, 1e300, false, false);
        builder.Add("m", Start, 1e300, false, false);
        builder.Add("m", Start, double.NaN, false, false);
        var table = builder.Build();
        Assert.All(table.Lookup("m").ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    private static string ModelPackageSha(byte[] bytes) => Shared.Models.ModelPackage.Sha256(bytes);
}

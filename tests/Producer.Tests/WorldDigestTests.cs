using System.Security.Cryptography;
using Fraud.Streaming.DataSets.Synthetic;
using Fraud.Streaming.Shared.Contracts;

namespace Fraud.Streaming.Producer.Tests;

/// <summary>
/// The synthetic worlds are pinned: the first events of a fixed seed hash to a known digest, so a figure measured on a
/// world (docs/BENCHMARKS.md) can be measured again on the very same events. A change to the generator that moves a
/// single byte of a pinned world fails here and must be a deliberate one.
/// </summary>
public sealed class WorldDigestTests
{
    private const int Events = 5_000;

    [Fact]
    public void The_classic_world_of_seed_42_begins_with_the_events_pinned_before_the_hard_world_existed()
    {
        Assert.Equal("17d372409c47d0798ef7bd901c111f61215938aad70097f2803ef4b4b87d6971", Digest(SyntheticSettings.Classic with { Seed = 42 }));
    }

    [Fact]
    public void The_default_hard_world_of_seed_42_begins_with_the_pinned_events()
    {
        Assert.Equal("b6f9ed7d47f8dc53c3bf88be3324608136dedfd56bbc5d6124b4108f06018b7f", Digest(new SyntheticSettings { Seed = 42 }));
    }

    /// <summary>SHA-256 over each event's transaction, its label and whether the feed carries that label.</summary>
    internal static string Digest(SyntheticSettings settings)
    {
        var generator = new SyntheticGenerator(settings);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < Events; i++)
        {
            var e = generator.Next();
            hash.AppendData(ContractJson.Serialize(e.Transaction));
            hash.AppendData(ContractJson.Serialize(e.Label));
            hash.AppendData(e.Published ? "+\n"u8 : "-\n"u8);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

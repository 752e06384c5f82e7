using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;

namespace Fraud.Streaming.Shared.Tests.Vocabularies;

public sealed class ChannelNamesTests
{
    [Theory]
    [InlineData("ecommerce", "ecommerce", true)]
    [InlineData(" ONLINE ", "ecommerce", true)]
    [InlineData("ecom", "ecommerce", true)]
    [InlineData("moto", "moto", true)]
    [InlineData("Phone", "moto", true)]
    [InlineData("card_present", "card_present", false)]
    [InlineData("pos", "card_present", false)]
    [InlineData("contactless", "contactless", false)]
    [InlineData("atm", "atm", false)]
    [InlineData("Kiosk", "kiosk", false)]
    public void Any_accepted_name_means_its_canonical_channel(string sent, string canonical, bool cardNotPresent)
    {
        Assert.Equal(canonical, ChannelNames.Canonicalise(sent));
        Assert.Equal(ValueKey.Of(canonical), ChannelNames.KeyOf(sent));
        Assert.Equal(cardNotPresent, ChannelNames.IsCardNotPresent(sent));
        Assert.Equal(cardNotPresent, FeatureInput.IsCardNotPresent(sent));
    }

    [Fact]
    public void The_names_are_the_ones_the_schema_in_the_repository_declares()
    {
        // The table is read from the schema embedded at build time: it must be the file producers read.
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ContractJsonTests.RepoRoot(), "schemas", "transaction.v1.schema.json")));
        var channel = schema.RootElement.GetProperty("properties").GetProperty("channel");
        var aliases = channel.GetProperty("x-channel-aliases").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(a => a.GetString()!).ToList());
        Assert.Equal(aliases.Keys, ChannelNames.Canonical);
        foreach (var (name, list) in aliases)
        {
            Assert.Equal(list, ChannelNames.Aliases[name]);
            Assert.All(list, alias => Assert.Equal(name, ChannelNames.Canonicalise(alias)));
        }
        Assert.Equal(channel.GetProperty("x-card-not-present").EnumerateArray().Select(e => e.GetString()!), ChannelNames.CardNotPresent);
    }

    [Fact]
    public void The_channel_table_is_part_of_the_feature_spec_hash()
    {
        var definition = FeatureSpec.CardV1.Names.ToList().IndexOf("card_not_present");
        Assert.True(definition >= 0);
        Assert.Contains("ecommerce=", ChannelNames.Definition, StringComparison.Ordinal);
        Assert.Contains("card-not-present: ecommerce,moto", ChannelNames.Definition, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;

namespace Fraud.Streaming.Shared.Tests.Vocabularies;

public sealed class FeatureEncodingTests
{
    private static readonly FeatureEncoding Encoding = ContractSamples.Encoding();

    private static (float[] Features, bool[] Unseen) Encode(Transaction t)
    {
        var slots = new ulong[Encoding.Layout.SlotCount];
        Encoding.Layout.Read(t, slots);
        var features = new float[Encoding.Count];
        var unseen = new bool[Encoding.Layout.SlotCount];
        Encoding.Write(slots, features, unseen);
        return (features, unseen);
    }

    private static Dictionary<string, JsonElement> Attributes(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    [Fact]
    public void Codes_are_the_vocabulary_position_with_explicit_unseen_and_missing_codes()
    {
        var t = ContractSamples.Transaction(channel: " Online ") with
        {
            MerchantCategory = "5411",
            Country = "BR",
            EmailDomain = null,
            Attributes = Attributes("""{"V1": 2.5, "M4": "M0"}"""),
        };
        var (features, unseen) = Encode(t);
        Assert.Equal(["channel_code", "merchant_category_code", "country_code", "currency_code", "email_domain_code", "attr_V1", "attr_M4_code"], Encoding.Names);
        // online is an alias of ecommerce (code 1); 5411 is the 2nd category; BR was never seen; no e-mail domain.
        Assert.Equal([1f, 2f, Vocabulary.UnseenCode, 1f, Vocabulary.MissingCode, 2.5f, 1f], features);
        Assert.Equal([false, false, true, false, false, false, false], unseen);
    }

    [Fact]
    public void Missing_attributes_take_their_declared_defaults()
    {
        var (features, unseen) = Encode(ContractSamples.Transaction() with { Attributes = null });
        Assert.Equal(-1f, features[5]); // V1's numeric default
        Assert.Equal(2f, features[6]); // M4 missing: its default "none", the vocabulary's 2nd value
        Assert.DoesNotContain(true, unseen[5..]);
        var (text, _) = Encode(ContractSamples.Transaction() with { Attributes = Attributes("""{"V1": "7.25", "M4": true}""") });
        Assert.Equal(7.25f, text[5]); // numeric text reads as the number
        Assert.Equal(Vocabulary.UnseenCode, text[6]); // true is a value, and not one of M4's
        var (junk, _) = Encode(ContractSamples.Transaction() with { Attributes = Attributes("""{"V1": "n/a"}""") });
        Assert.Equal(-1f, junk[5]);
    }

    [Fact]
    public void The_manifest_form_round_trips_and_the_spec_hash_covers_every_value()
    {
        var spec = FeatureSpec.CardEntityV1.WithEncoding(Encoding);
        var back = FeatureEncoding.FromInfo(JsonSerializer.Deserialize(ContractJson.Serialize(ContractSamples.Manifest(spec: spec)), ContractsJsonContext.Default.ModelManifest)!.FeatureSpec.Encoding);
        Assert.Equal(spec.Hash, FeatureSpec.CardEntityV1.WithEncoding(back).Hash);
        Assert.Equal(FeatureSpec.CardEntityV1.Count + 7, spec.Count);
        Assert.Equal(FeatureSpec.CardEntityV1.Count, spec.ComputedCount);
        Assert.NotEqual(FeatureSpec.CardEntityV1.Hash, spec.Hash);

        var swapped = Encoding.ToInfo()! with
        {
            Vocabularies = [.. Encoding.ToInfo()!.Vocabularies.Select(v => v.Field == "country" ? v with { Values = ["us", "fr"] } : v)],
        };
        Assert.NotEqual(spec.Hash, FeatureSpec.CardEntityV1.WithEncoding(FeatureEncoding.FromInfo(swapped)).Hash);
        Assert.Equal(FeatureSpec.CardEntityV1.Hash, FeatureSpec.CardEntityV1.WithEncoding(FeatureEncoding.FromInfo(null)).Hash);
    }

    [Fact]
    public void A_manifest_whose_vocabulary_was_altered_is_refused_and_a_faithful_one_serves_its_encoding()
    {
        var spec = FeatureSpec.CardV1.WithEncoding(Encoding);
        var onnx = OnnxTreeEnsembleWriter.Write(OnnxTreeEnsembleWriterTests.RandomEnsemble(seed: 2, spec.Count, trees: 5, depth: 3), spec.Names);
        var manifest = ContractSamples.Manifest(sha: ModelPackage.Sha256(onnx), spec: spec);
        using (var model = LoadedModel.Create(manifest, onnx, FeatureSpec.CardV1))
        {
            Assert.Equal(spec.Hash, model.Spec.Hash);
            Assert.Equal(Encoding.Names, model.Spec.Names.Skip(FeatureSpec.CardV1.Count));
        }

        var info = manifest.FeatureSpec.Encoding!;
        var altered = manifest with
        {
            FeatureSpec = manifest.FeatureSpec with
            {
                Encoding = info with { Vocabularies = [.. info.Vocabularies.Select(v => v.Field == "currency" ? v with { Values = ["usd"] } : v)] },
            },
        };
        Assert.Equal(ModelRejectedException.FeatureSpecMismatch, Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(altered, onnx, FeatureSpec.CardV1)).Code);

        var broken = manifest with { FeatureSpec = manifest.FeatureSpec with { Encoding = info with { Vocabularies = info.Vocabularies.Take(3).ToList() } } };
        var ex = Assert.Throws<ModelRejectedException>(() => LoadedModel.Create(broken, onnx, FeatureSpec.CardV1));
        Assert.Equal(ModelRejectedException.BadManifest, ex.Code);
        Assert.Contains("one vocabulary per field", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"US\"", " us")]
    [InlineData("87", "87")]
    [InlineData("87.0", "87")]
    [InlineData("1.5", "1.5")]
    [InlineData("true", "TRUE")]
    public void Categorical_attribute_values_are_keyed_by_their_text(string json, string same)
    {
        var value = JsonDocument.Parse(json).RootElement;
        Assert.Equal(ValueKey.Of(same), AttributeValues.Categorical(value));
        Assert.Equal(ValueKey.Normalise(same), ValueKey.Normalise(AttributeValues.CategoricalText(value)!));
    }

    [Fact]
    public void Vocabularies_refuse_values_that_are_the_same_after_normalisation()
    {
        Assert.Throws<ArgumentException>(() => new Vocabulary(["US", " us"]));
        Assert.Throws<ArgumentException>(() => new Vocabulary(["  "]));
        Assert.Equal(ValueKey.Missing, ValueKey.Of(" \t"));
        Assert.Equal(ValueKey.Of("GB"), ValueKey.Of(" gb "));
    }
}

using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;
using Fraud.Streaming.Testing;

namespace Fraud.Streaming.Scorer.Tests;

public sealed class UnseenValuesTests
{
    private static Transaction Tx(string id, string category, string country, string? email = "gmail.com") =>
        TestData.Transactions(1)[0] with { TransactionId = id, MerchantCategory = category, Country = country, EmailDomain = email };

    [Fact]
    public void Values_outside_the_vocabulary_are_counted_per_field_and_each_reported_once_per_model()
    {
        var scorer = new BatchScorer(8);
        var unseen = new UnseenValues();
        var reported = new List<string>();
        var before = ScorerMetrics.UnseenValues.WithLabels("merchant_category").Value;

        foreach (var t in new[] { Tx("a", "5999", "US"), Tx("b", "5999", "BR"), Tx("c", "grocery", "br"), Tx("d", "5411", "US", email: null) })
        {
            scorer.Add(t, DateTimeOffset.UnixEpoch);
        }
        scorer.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch);
        unseen.Record(scorer, TestModels.Loaded, (field, value, row) => reported.Add($"{field}={value}@{scorer.TransactionAt(row).TransactionId.Text}"));

        // 5999 twice and BR twice (any case) are outside the vocabulary; a missing e-mail domain is missing, not unseen.
        Assert.Equal(["merchant_category=5999@a", "country=br@b"], reported);
        Assert.Equal(2, unseen.Counts["merchant_category"]);
        Assert.Equal(2, unseen.Counts["country"]);
        Assert.False(unseen.Counts.ContainsKey("email_domain"));
        Assert.Equal(before + 2, ScorerMetrics.UnseenValues.WithLabels("merchant_category").Value);
        Assert.Equal(Vocabulary.UnseenCode, scorer.FeaturesAt(0)[TestModels.Spec().Names.ToList().IndexOf("merchant_category_code")]);
        Assert.Equal(Vocabulary.MissingCode, scorer.FeaturesAt(3)[TestModels.Spec().Names.ToList().IndexOf("email_domain_code")]);

        // The same values again: counted, not reported again.
        scorer.Clear();
        scorer.Add(Tx("e", "5999", "BR"), DateTimeOffset.UnixEpoch);
        scorer.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch);
        unseen.Record(scorer, TestModels.Loaded, (field, value, _) => reported.Add($"{field}={value}"));
        Assert.Equal(2, reported.Count);
        Assert.Equal("merchant_category:3,country:3".Split(',').Order(), unseen.Summary().Split(',').Order());
    }

    [Fact]
    public void A_swapped_in_model_with_other_vocabularies_and_attributes_is_served_its_own_encoding_from_its_first_batch()
    {
        // The second model knows 5999 and reads one attribute fewer: other codes, a narrower vector.
        var other = new FeatureEncoding(
            [new Vocabulary(["ecommerce"]), new Vocabulary(["5999"]), new Vocabulary(["br"]), new Vocabulary(["usd"]), Vocabulary.Empty],
            [(new AttributeDeclaration("V1", AttributeKind.Numeric, -7f), null)]);
        var spec = BatchScorer.Spec.WithEncoding(other);
        var onnx = OnnxTreeEnsembleWriter.Write(new TreeEnsemble(spec.Count, 0f, [TestModels.Ensemble(2).Trees[0]]), spec.Names);
        var manifest = TestModels.Manifest("v-other", onnx, "file:///models/v-other/model.onnx") with
        {
            FeatureSpec = new FeatureSpecInfo(spec.Name, spec.Hash, spec.Names) { Encoding = other.ToInfo() },
            Reference = [.. spec.Names.Select(n => new FeatureReference(n, 0.5f, 1f, -1f, 10f))],
        };
        using var swapped = LoadedModel.Create(manifest, onnx, BatchScorer.Spec);

        var scorer = new BatchScorer(4);
        scorer.Add(Tx("a", "5999", "BR"), DateTimeOffset.UnixEpoch);
        scorer.Score(TestModels.Loaded, DateTimeOffset.UnixEpoch);
        Assert.Equal(TestModels.Spec().Count, scorer.FeatureCount);
        var first = scorer.FeaturesAt(0).ToArray();
        Assert.Equal(Vocabulary.UnseenCode, first[TestModels.Spec().Names.ToList().IndexOf("merchant_category_code")]);
        scorer.Clear();

        scorer.Add(Tx("b", "5999", "BR") with { CardId = "card-other" }, DateTimeOffset.UnixEpoch);
        scorer.Score(swapped, DateTimeOffset.UnixEpoch);
        Assert.Equal(spec.Count, scorer.FeatureCount);
        var features = scorer.FeaturesAt(0).ToArray();
        var names = spec.Names.ToList();
        Assert.Equal(1f, features[names.IndexOf("merchant_category_code")]);
        Assert.Equal(1f, features[names.IndexOf("country_code")]);
        Assert.Equal(-7f, features[names.IndexOf("attr_V1")]);
        Assert.DoesNotContain(scorer.Unseen, u => u.Slot is 1 or 2);
        // Both cards are new: the computed features of the two transactions are the same bits whichever model scored.
        Assert.Equal(first.Take(spec.ComputedCount).Select(BitConverter.SingleToInt32Bits), features.Take(spec.ComputedCount).Select(BitConverter.SingleToInt32Bits));
    }
}

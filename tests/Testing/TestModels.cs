using Fraud.Streaming.Shared.Contracts;
using Fraud.Streaming.Shared.Features;
using Fraud.Streaming.Shared.Features.Vocabularies;
using Fraud.Streaming.Shared.Models;
using Fraud.Streaming.Shared.Onnx;

namespace Fraud.Streaming.Testing;

/// <summary>
/// Small, deterministic model packages over the scorer's spec (card and entity features) with a learned-looking encoding
/// (<see cref="Encoding"/>: vocabularies that know some of the test data's values and not others, two attributes), so
/// every test that scores through them covers the encoded features too.
/// </summary>
public static class TestModels
{
    public const string Name = "fraud-gbdt";
    public static readonly Thresholds DefaultThresholds = new(0.5f, 0.8f);

    /// <summary>
    /// The test models' vocabularies: aliases and other spellings of the test data's channels, some of its categories,
    /// countries, currencies and e-mail domains (the others are unseen); a numeric attribute <c>V1</c> (default -1) and a
    /// categorical <c>M4</c> (missing reads as "none").
    /// </summary>
    public static FeatureEncoding Encoding { get; } = new(
        [
            new Vocabulary(["card_present", "ecommerce", "contactless", "atm"]),
            new Vocabulary(["5411", "grocery", "electronics", "travel", "jewelry"]),
            new Vocabulary(["us", "gb", "de", "fr"]),
            new Vocabulary(["usd", "eur"]),
            new Vocabulary(["gmail.com", "example.org"]),
        ],
        [
            (new AttributeDeclaration("V1", AttributeKind.Numeric, -1f), null),
            (new AttributeDeclaration("M4", AttributeKind.Categorical, CategoricalDefault: "none"), new Vocabulary(["m0", "m2", "none"])),
        ]);

    /// <summary>The model spec of the test packages: <paramref name="computed"/> (the scorer's by default) with <see cref="Encoding"/>.</summary>
    public static FeatureSpec Spec(FeatureSpec? computed = null) => (computed ?? FeatureSpec.CardEntityV1).WithEncoding(Encoding);

    /// <summary>
    /// A loaded model for tests that drive a the scorer directly. Shared and never disposed (test process
    /// lifetime).
    /// </summary>
    public static LoadedModel Loaded { get; } = LoadedModel.Create(
        Manifest("v-test", Onnx(1), "s3://mem/v-test/model.onnx"), Onnx(1), FeatureSpec.CardEntityV1);

    /// <summary>
    /// Risk rises with the amount (so all three decisions occur on ordinary traffic), plus a few random trees
    /// over every feature; <paramref name="seed"/> changes the random part, so two versions score differently.
    /// </summary>
    public static TreeEnsemble Ensemble(int seed)
    {
        var spec = Spec();
        var trees = new List<RegressionTree>
        {
            // amount_log <= 3 ? -2 : (amount_log <= 5.5 ? 0.3 : 2.5)
            new([0, 0], [3f, 5.5f], [~0, ~1], [1, ~2], [-2f, 0.3f, 2.5f]),
        };
        var random = new Random(seed);
        for (var t = 0; t < 6; t++)
        {
            trees.Add(RandomTrees.Complete(random, spec.Count, depth: 3, thresholdMin: -1, thresholdSpan: 3, leafScale: 0.8));
        }
        return new TreeEnsemble(spec.Count, 0f, trees);
    }

    public static byte[] Onnx(int seed) => OnnxTreeEnsembleWriter.Write(Ensemble(seed), Spec().Names);

    /// <param name="spec">the computed spec the model is for (the scorer's by default); the test encoding is added.</param>
    public static ModelManifest Manifest(string version, byte[] onnx, string artifactUri, Thresholds? thresholds = null, FeatureSpec? spec = null)
    {
        spec = Spec(spec);
        var reference = new List<FeatureReference>(spec.Count);
        foreach (var feature in spec.Names)
        {
            reference.Add(new FeatureReference(feature, 0.5f, 1f, -1f, 10f));
        }
        return new ModelManifest
        {
            ModelName = Name,
            Version = version,
            CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ArtifactUri = artifactUri,
            ArtifactSha256 = ModelPackage.Sha256(onnx),
            FeatureSpec = new FeatureSpecInfo(spec.Name, spec.Hash, spec.Names) { Encoding = spec.Encoding.ToInfo() },
            Thresholds = thresholds ?? DefaultThresholds,
            Training = new TrainingLineage(new DateTimeOffset(2024, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero), 1000, 10, "test", 100),
            Algorithm = "test-trees",
            Device = "cpu",
            CodeVersion = "test",
            Parameters = new Dictionary<string, string>(),
            Metrics = new ModelMetrics(0.5, 0.1, 0.1),
            Reference = reference,
        };
    }

    /// <summary>Writes a model package (manifest.json, model.onnx) and returns its manifest.</summary>
    /// <param name="spec">the spec the manifest names (same features, e.g. another card idle time); the scorer's by default.</param>
    public static ModelManifest WritePackage(string directory, string version, int seed, Thresholds? thresholds = null, FeatureSpec? spec = null)
    {
        var onnx = Onnx(seed);
        var uri = new Uri(Path.GetFullPath(Path.Combine(directory, ModelPackage.OnnxFileName))).AbsoluteUri;
        var manifest = Manifest(version, onnx, uri, thresholds, spec);
        ModelPackage.Write(directory, manifest, onnx);
        return manifest;
    }
}

namespace Fraud.Streaming.Shared.Contracts;

/// <summary>
/// How a model encodes what has no fixed numeric meaning, frozen at training time: the vocabulary of each categorical
/// contract field and the attributes it passes through. Part of the feature spec (the spec hash covers it), stored in
/// the manifest; a scorer encodes with the serving model's.
/// </summary>
/// <param name="Vocabularies">one per categorical field, in field order (<c>channel</c>, <c>merchant_category</c>, <c>country</c>, <c>currency</c>, <c>email_domain</c>).</param>
/// <param name="Attributes">the declared attributes, in feature order.</param>
public sealed record FeatureEncodingInfo(IReadOnlyList<VocabularyInfo> Vocabularies, IReadOnlyList<AttributeInfo> Attributes);

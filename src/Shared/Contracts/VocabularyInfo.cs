namespace Fraud.Streaming.Shared.Contracts;

/// <summary>A learned vocabulary: value <c>i</c> (from 0) has code <c>i + 1</c>; 0 is unseen, -1 missing.</summary>
/// <param name="Field">the contract field (<c>merchant_category</c>).</param>
/// <param name="Values">normalised values (trimmed, lower case), most frequent first.</param>
public sealed record VocabularyInfo(string Field, IReadOnlyList<string> Values);

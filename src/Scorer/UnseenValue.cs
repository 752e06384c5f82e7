namespace Fraud.Streaming.Scorer;

/// <summary>A value outside the scoring model's vocabulary: row <paramref name="Row"/> of the batch, encoding slot <paramref name="Slot"/>, its key.</summary>
internal readonly record struct UnseenValue(int Row, int Slot, ulong Key);

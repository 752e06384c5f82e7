namespace Fraud.Streaming.Trainer.Training;

/// <summary>How vocabularies are learned: at most <paramref name="MaxSize"/> values per input, each seen at least <paramref name="MinCount"/> times in the training rows.</summary>
internal sealed record VocabularyOptions(int MaxSize = VocabularyOptions.DefaultMaxSize, int MinCount = VocabularyOptions.DefaultMinCount)
{
    /// <summary>Enough for the MCC codes any one issuer's cards really use; beyond it the long tail shares the unseen code.</summary>
    public const int DefaultMaxSize = 100;

    /// <summary>A value rarer than this in training cannot teach a tree anything about it; it is encoded as unseen.</summary>
    public const int DefaultMinCount = 20;

    /// <exception cref="ArgumentException">a bound is out of range; the message names the option.</exception>
    public void Validate()
    {
        if (MaxSize is < 1 or > 100_000)
        {
            throw new ArgumentException($"--vocabulary-max-size must be between 1 and 100000, not {MaxSize}");
        }
        if (MinCount < 1)
        {
            throw new ArgumentException($"--vocabulary-min-count must be at least 1, not {MinCount}");
        }
    }
}
